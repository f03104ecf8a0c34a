"""No silent misreads: a CoNLL file with one bad line is read as CoNLL and rejected at that line;
integer tag ids are named or rejected; text that is not valid Unicode is rejected at read time.

Each case cuts a bad line into a copy of a real CoNLL-2003 or MasakhaNER file.
"""

from __future__ import annotations

import json

import pytest

from augment.core import read_corpus, write_corpus
from augment.core.errors import DataError
from augment.core.io import detect_format

CONLL = ("conll2003_en", "eng.testa")
YOR = ("masakhaner1", "yor", "dev.txt")


def _cut(data_dir, parts, tmp_path, name, lineno, edit):
    """A copy of a real file with line ``lineno`` (1-based) replaced by ``edit(line)``."""
    lines = data_dir.joinpath(*parts).read_text("utf-8").split("\n")
    lines[lineno - 1] = edit(lines[lineno - 1])
    out = tmp_path / name
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def _line_of(data_dir, parts, pred, start=1):
    lines = data_dir.joinpath(*parts).read_text("utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if i >= start and pred(line))


@pytest.mark.parametrize("parts", [CONLL, YOR], ids=["conll2003", "masakhaner"])
@pytest.mark.parametrize("fmt", [None, "conll"], ids=["sniffed", "format-conll"])
def test_corpus_misreads_bad_tag_reported_at_its_line(data_dir, tmp_path, run_cli, parts, fmt):
    # an entity line well inside the file, so that sniffing sees it among good lines
    line = _line_of(data_dir, parts, lambda s: s.split()[-1:] not in ([], ["O"]) and s.split()[-1].startswith(("I-", "B-")), 40)
    bad = _cut(data_dir, parts, tmp_path, "bad", line, lambda s: s.rsplit(" ", 1)[0] + " PERSON")
    assert detect_format(bad) == "conll"
    with pytest.raises(DataError) as err:
        read_corpus(bad, fmt)
    assert err.value.line == line
    scheme = "iob1" if parts == CONLL else "iob2"  # the scheme of the rest of the file
    assert f"tag 'PERSON' is not O or a B-/I-/E-/S- tag (scheme {scheme})" in err.value.message
    args = ["stats", bad] + (["--format", fmt] if fmt else [])
    code, out, errtext = run_cli("augment", args)
    assert code == 1 and errtext.strip() == f"error: {bad}:{line}: {err.value.message}"


@pytest.mark.parametrize("parts", [CONLL, YOR], ids=["conll2003", "masakhaner"])
def test_corpus_misreads_missing_tag_column_reported(data_dir, tmp_path, run_cli, parts):
    line = _line_of(data_dir, parts, lambda s: len(s.split()) >= 2 and s.split()[0] != "-DOCSTART-", 30)
    bad = _cut(data_dir, parts, tmp_path, "bad.txt", line, lambda s: s.split()[0])
    code, out, errtext = run_cli("augment", ["stats", bad])
    assert code == 1
    assert errtext.strip().startswith(f"error: {bad}:{line}: missing tag column")
    dst = tmp_path / "out.jsonl"
    dst.write_text("keep\n", encoding="utf-8")
    code, _, _ = run_cli("augment", ["convert", bad, dst])
    assert code == 1 and dst.read_text("utf-8") == "keep\n"  # nothing already written is damaged


def test_corpus_misreads_short_file_with_one_bad_line(tmp_path, run_cli):
    p = tmp_path / "two.txt"
    p.write_text("Ade B-PER\nlo\n", encoding="utf-8")
    code, _, errtext = run_cli("augment", ["stats", p])
    assert code == 1 and errtext.strip() == f"error: {p}:2: missing tag column: expected 'token tag', got 'lo'"


def test_corpus_misreads_plain_text_stays_text(data_dir, tmp_path):
    # MENYO-20k sentences: many words a line, never a tag column
    rows = data_dir.joinpath("menyo20k", "dev.tsv").read_text("utf-8").splitlines()[1:200]
    text = tmp_path / "yo.txt"
    text.write_text("\n".join(r.split("\t")[1] for r in rows) + "\n", encoding="utf-8")
    assert detect_format(text) == "text"
    assert all(s.tags is None for s in read_corpus(text))


def _hf_records(data_dir, n=40):
    """MasakhaNER yor dev as Hugging Face-style records: integer ``ner_tags`` and the names."""
    sents = read_corpus(data_dir.joinpath(*YOR), repair=True, to_scheme="iob2")[:n]
    names = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-DATE", "I-DATE"]
    return sents, names, [{"id": str(i), "tokens": s.tokens, "ner_tags": [names.index(t) for t in s.tags]}
                          for i, s in enumerate(sents)]


def test_corpus_misreads_integer_tags_need_names(data_dir, tmp_path, run_cli):
    sents, names, records = _hf_records(data_dir)
    path = tmp_path / "hf.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_corpus(path)
    assert err.value.line == 1 and "--label-names" in err.value.message and "integer tag ids" in err.value.message
    code, _, errtext = run_cli("augment", ["stats", path])
    assert code == 1 and len(errtext.strip().splitlines()) == 1

    # the option names them (on every command with the reader options)
    out = tmp_path / "named.jsonl"
    code, _, errtext = run_cli("augment", ["convert", path, out, "--label-names", ",".join(names)])
    assert code == 0, errtext
    assert [s.tags for s in read_corpus(out)] == [s.tags for s in sents]
    assert "ner_tags" not in out.read_text("utf-8")
    assert [s.tags for s in read_corpus(path, label_names=names)] == [s.tags for s in sents]
    # a sidecar FILE.labels.json names them too
    (tmp_path / "hf.jsonl.labels.json").write_text(json.dumps(names), encoding="utf-8")
    assert [s.tags for s in read_corpus(path)] == [s.tags for s in sents]
    # as does a record's own label_names
    own = tmp_path / "own.jsonl"
    own.write_text("".join(json.dumps({**r, "label_names": names}) + "\n" for r in records), encoding="utf-8")
    got = read_corpus(own)
    assert [s.tags for s in got] == [s.tags for s in sents] and "label_names" not in got[0].meta
    # an id out of range names the line; a bad option is a usage error
    records[3]["ner_tags"][0] = 42
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_corpus(path)
    assert err.value.line == 4 and "tag id 42 is out of range for 9 label names" in err.value.message
    code, _, errtext = run_cli("augment", ["stats", path, "--label-names", "O,B-PER,B-PER"])
    assert code == 2 and "occurs twice" in errtext


def test_corpus_misreads_datasets_parquet_and_saved_dataset(data_dir, tmp_path, run_cli):
    import datasets

    sents, names, records = _hf_records(data_dir)
    features = datasets.Features({"id": datasets.Value("string"),
                                  "tokens": datasets.Sequence(datasets.Value("string")),
                                  "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names))})
    ds = datasets.Dataset.from_list(records, features=features)
    pq = tmp_path / "yor.parquet"
    ds.to_parquet(str(pq))  # the ClassLabel names travel in the file's schema metadata
    assert [s.tags for s in read_corpus(pq)] == [s.tags for s in sents]
    saved = tmp_path / "yor_ds"
    ds.save_to_disk(str(saved))
    assert [s.tags for s in read_corpus(saved)] == [s.tags for s in sents]

    plain = datasets.Dataset.from_list(records)  # integer ids, no ClassLabel: no names anywhere
    bare = tmp_path / "bare.parquet"
    plain.to_parquet(str(bare))
    code, _, errtext = run_cli("augment", ["stats", bare])
    assert code == 1 and errtext.startswith(f"error: {bare}:1: 'ner_tags' holds integer tag ids") and "--label-names" in errtext
    assert [s.tags for s in read_corpus(bare, label_names=names)] == [s.tags for s in sents]
    bare_ds = tmp_path / "bare_ds"
    plain.save_to_disk(str(bare_ds))
    with pytest.raises(DataError, match="integer tag ids"):
        read_corpus(bare_ds)
    code, _, errtext = run_cli("augment", ["stats", bare_ds, "--label-names", ",".join(names), "--json"])
    assert code == 0, errtext


def test_corpus_misreads_lone_surrogate_rejected_by_every_reader(data_dir, tmp_path, run_cli):
    sents = read_corpus(data_dir.joinpath(*YOR))[:30]
    path = tmp_path / "yo.jsonl"
    write_corpus(sents, path)
    lines = path.read_text("utf-8").splitlines()
    rec = json.loads(lines[6])
    rec["tokens"][1] = "a\\ud800b"  # written as the JSON escape \ud800: a lone surrogate once decoded
    lines[6] = json.dumps(rec, ensure_ascii=False).replace("\\\\ud800", "\\ud800")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_corpus(path)
    assert err.value.line == 7 and "lone surrogate U+D800" in err.value.message
    for cmd in (["stats", path], ["convert", path, tmp_path / "o.conll"], ["show", path],
                ["show", path, "--html", tmp_path / "o.html"]):
        code, _, errtext = run_cli("augment", cmd)
        assert code == 1 and errtext.strip().startswith(f"error: {path}:7: "), (cmd, errtext)
        assert "Traceback" not in errtext
    assert not (tmp_path / "o.conll").exists() and not (tmp_path / "o.html").exists()

    # CoNLL and text: the UTF-8 bytes of a surrogate are not UTF-8; named with the line
    conll = tmp_path / "yo.conll"
    raw = data_dir.joinpath(*YOR).read_bytes().split(b"\n")
    raw[11] = b"a\xed\xa0\x80b O"
    conll.write_bytes(b"\n".join(raw))
    for fmt in ("conll", "text"):
        with pytest.raises(DataError) as err:
            read_corpus(conll, fmt)
        assert err.value.line == 12 and "not valid UTF-8" in err.value.message

    # a surrogate in a record read another way (Parquet / datasets) is caught by the same check
    from augment.core.io import check_unicode
    from augment.core.record import Sentence

    with pytest.raises(DataError) as err:
        check_unicode([Sentence("x", ["ok", "b\udc80"], line=5)], "f.parquet", "parquet")
    assert err.value.line == 5 and "U+DC80" in err.value.message
    with pytest.raises(DataError) as err:
        check_unicode([Sentence("x", ["ok"], meta={"src": {"tokens": ["\ud83d"]}}, line=3)], "f.jsonl", "jsonl")
    assert err.value.line == 3
