"""read -> write -> read is identical for every writable format, on real data."""

from __future__ import annotations

import pytest

from augment.core import Sentence, read_corpus, write_corpus


def _key(sentences):
    return [(s.id, s.lang, s.tokens, s.tags, s.meta) for s in sentences]


@pytest.fixture(scope="module")
def yor_dev(data_dir):
    return read_corpus(data_dir / "masakhaner1/yor/dev.txt", repair=True, lang="yo")


@pytest.mark.parametrize("ext", [".jsonl", ".parquet", ".hf"])
def test_corpus_roundtrip_keeps_everything(tmp_path, yor_dev, ext):
    first = tmp_path / f"a{ext}"
    second = tmp_path / f"b{ext}"
    sents = [Sentence(s.id, s.tokens, s.tags, s.lang, {"note": i, "src": {"tokens": ["x"]}} if i % 3 == 0 else {})
             for i, s in enumerate(yor_dev)]
    write_corpus(sents, first)
    back = read_corpus(first)
    if ext == ".hf":  # datasets keeps only id, lang, tokens, tags
        assert [(s.id, s.lang, s.tokens, s.tags) for s in back] == [(s.id, s.lang, s.tokens, s.tags) for s in sents]
    else:
        assert _key(back) == _key(sents)
    write_corpus(back, second)
    assert _key(read_corpus(second)) == _key(back)


def test_corpus_roundtrip_conll(tmp_path, data_dir):
    orig = read_corpus(data_dir / "conll2003_en/eng.testa")
    write_corpus(orig, tmp_path / "a.conll")
    back = read_corpus(tmp_path / "a.conll")
    assert [(s.tokens, s.tags) for s in back] == [(s.tokens, s.tags) for s in orig]
    write_corpus(back, tmp_path / "b.conll")
    assert (tmp_path / "a.conll").read_bytes() == (tmp_path / "b.conll").read_bytes()


def test_corpus_conll_accepts_bom_crlf_tabs_trailing_space(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes("\ufeffOba\tB-PER \r\nAde I-PER\t\r\nlo O\r\n\r\n-DOCSTART- -X- O O\r\n\r\nEko B-LOC\r\n".encode())
    got = read_corpus(p)
    assert [(s.tokens, s.tags) for s in got] == [(["Oba", "Ade", "lo"], ["B-PER", "I-PER", "O"]), (["Eko"], ["B-LOC"])]


def test_corpus_plain_text_is_sniffed_and_roundtrips(tmp_path, data_dir):
    import csv

    with open(data_dir / "menyo20k/dev.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))[1:51]
    p = tmp_path / "yo.txt"
    p.write_text("\n".join(r[1] for r in rows) + "\n", encoding="utf-8")
    got = read_corpus(p)
    assert len(got) == 50 and all(s.tags is None for s in got)
    assert got[0].tokens == rows[0][1].split()
    write_corpus(got, tmp_path / "out.txt")
    assert [s.tokens for s in read_corpus(tmp_path / "out.txt")] == [s.tokens for s in got]


def test_corpus_jsonl_keeps_unicode_line_separators_and_normal_mode(tmp_path):
    import os

    sents = [Sentence("a", ["x\u2028y", "z\x85", "\u2029"], ["B-PER", "I-PER", "O"], "yo")]
    write_corpus(sents, tmp_path / "u.jsonl")
    write_corpus(sents, tmp_path / "u.txt", format="text")
    assert _key(read_corpus(tmp_path / "u.jsonl")) == _key(sents)
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "u.jsonl").stat().st_mode & 0o777 == 0o666 & ~umask
