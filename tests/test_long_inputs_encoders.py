"""Sentences longer than an encoder's positions never stop SimAlign, ner train or ner predict.

The encoder here is the tiny BERT with only 32 positions; the sentences are real MasakhaNER /
CoNLL sentences glued into ones of 60+ words.
"""

from __future__ import annotations

import logging
import re

import pytest

from augment.core import Sentence, read_corpus, write_corpus
from tests.fixtures.ner import one_thread


@pytest.fixture(scope="module")
def short_bert(tmp_path_factory, data_dir):
    """A 2-layer tiny BERT with 32 positions (vocabulary from CoNLL + MasakhaNER yor text)."""
    from ner.tiny_encoder import build_tiny_bert

    texts = [" ".join(s.tokens) for p in ("conll2003_en/eng.train", "masakhaner1/yor/train.txt")
             for s in read_corpus(data_dir / p, repair=True)[:1000]]
    return build_tiny_bert(texts, tmp_path_factory.mktemp("short_bert"), vocab_size=2000, hidden_size=64,
                           max_position=32, seed=0)


def _glue(sentences, n):
    out = []
    for g in range(0, len(sentences) - n + 1, n):
        group = sentences[g:g + n]
        tags = None if group[0].tags is None else [t for s in group for t in s.tags]
        out.append(Sentence(f"glued{g}", [t for s in group for t in s.tokens], tags, group[0].lang))
    return out


def test_long_inputs_simalign_links_only_within_positions(short_bert, data_dir, caplog):
    from align.aligners.simalign import SimAligner

    en = read_corpus(data_dir / "conll2003_en" / "eng.testa")[:40]
    pairs = [(s.tokens, s.tokens) for s in _glue(en, 8)] + [(["a", "short", "one"], ["un", "court"])]
    aligner = SimAligner(short_bert, matching="argmax", layer=2)
    with caplog.at_level(logging.WARNING, logger="align.aligners.simalign"):
        result = aligner.align(pairs)
    assert len(result) == len(pairs)
    for (s, t), a in zip(pairs, result):
        assert (a.src_len, a.tgt_len) == (len(s), len(t))
    long_links = [link for a in result[:-1] for link in a.links]
    assert long_links and max(i for i, _ in long_links) < 30  # 32 positions less [CLS] and [SEP]
    assert aligner.cut["sentences"] == 2 * (len(pairs) - 1) and aligner.cut["words"] > 0
    assert "longer than the encoder's 32 positions" in caplog.text


def test_long_inputs_ner_train_and_predict_tag_cut_words_o(short_bert, data_dir, tmp_path, run_cli, caplog):
    yor = read_corpus(data_dir / "masakhaner1" / "yor" / "train.txt", repair=True, to_scheme="iob2")[:200]
    train = tmp_path / "train.jsonl"
    write_corpus(yor[:120] + _glue(yor[120:], 5), train)
    out = tmp_path / "model"
    caplog.set_level(logging.WARNING, logger="ner.data")
    with one_thread():
        code, _, err = run_cli("ner", ["train", "--train", train, "--model", short_bert, "--out", out, "--epochs", "1",
                                       "--batch-size", "16", "--max-length", "128", "--lambda-label", "0",
                                       "--lambda-translation", "0", "--seed", "1"])
    assert code == 0, err
    assert re.search(r"\d+ sentences are longer than 32 subwords .*: their last \d+ words are cut off", caplog.text)
    caplog.clear()
    long = _glue(read_corpus(data_dir / "masakhaner1" / "yor" / "dev.txt", repair=True)[:30], 6)
    text = tmp_path / "long.txt"
    text.write_text("".join(" ".join(s.tokens) + "\n" for s in long), encoding="utf-8")
    tagged = tmp_path / "tagged.conll"
    with one_thread():
        code, _, err = run_cli("ner", ["predict", out, text, tagged])
    assert code == 0, err
    assert "5 sentences are longer than 32 subwords" in caplog.text and "tagged O" in caplog.text
    got = read_corpus(tagged)
    assert [len(s.tokens) for s in got] == [len(s.tokens) for s in long]
    assert all(set(s.tags[31:]) == {"O"} for s in got)


def test_long_inputs_simalign_package_gets_only_what_fits(short_bert, data_dir):
    from align.aligners.simalign_package import PackageSimAligner

    en = read_corpus(data_dir / "conll2003_en" / "eng.testa")[:16]
    pairs = [(s.tokens, s.tokens) for s in _glue(en, 8)]
    aligner = PackageSimAligner(str(short_bert), matching="argmax", layer=2)
    result = aligner.align(pairs)
    assert [(a.src_len, a.tgt_len) for a in result] == [(len(s), len(t)) for s, t in pairs]
    assert all(a.links and max(i for i, _ in a.links) < 30 for a in result)
    assert aligner.cut["sentences"] == 4 and aligner.cut["words"] > 0
