"""The ``menyo-pairs`` stage on the real MENYO-20k dev split: every pair comes out, both sides are
tokenized MasakhaNER-style, ids line up, and the pair text reads back through ``align``'s reader."""

from __future__ import annotations

import pytest

from augment.core import read_corpus
from augment.core.errors import DataError
from pipelines.stages import get_stage


def run_stage(tsv, out, **settings):
    cls = get_stage("menyo-pairs")
    merged = {k: s.default for k, s in cls.settings.items()} | settings
    out.mkdir(parents=True, exist_ok=True)
    return cls().run({"tsv": tsv}, merged, out)


def test_experiment_menyo_pairs_tokenizes_both_sides(data_dir, tmp_path):
    from align.readers import read_pairs

    summary = run_stage(data_dir / "menyo20k" / "dev.tsv", tmp_path / "out")
    assert summary["pairs"] == 3397  # README count; line 700's quoted TAB stays inside its field
    src = read_corpus(tmp_path / "out" / "source.jsonl")
    tgt = read_corpus(tmp_path / "out" / "target.jsonl")
    assert len(src) == len(tgt) == 3397
    assert [s.id for s in src] == [t.id for t in tgt]
    assert {s.lang for s in src} == {"en"} and {t.lang for t in tgt} == {"yo"}
    assert all(s.tags is None for s in src)
    # punctuation is split off the words, tone marks stay inside them
    assert all(not (len(tok) > 1 and tok[-1] in ".,?!") for s in src[:200] for tok in s.tokens)
    assert any("\u0300" in tok or "\u0301" in tok or "ẹ" in tok for t in tgt[:50] for tok in t.tokens)
    pairs = read_pairs(tmp_path / "out" / "pairs.txt")
    assert len(pairs) == 3397
    assert pairs[699].src == src[699].tokens and pairs[699].tgt == tgt[699].tokens
    assert summary["tgt_tokens"] == sum(len(t.tokens) for t in tgt)


def test_experiment_menyo_pairs_slice_and_bad_file(data_dir, tmp_path):
    summary = run_stage(data_dir / "menyo20k" / "train.tsv", tmp_path / "a", limit=25, id_prefix="m")
    assert summary["pairs"] == 25
    tgt = read_corpus(tmp_path / "a" / "target.jsonl")
    assert tgt[0].id == "m-0" and not any("\ufeff" in tok for tok in tgt[0].tokens)  # line 2 starts with a BOM
    run_stage(data_dir / "menyo20k" / "train.tsv", tmp_path / "c", offset=10, limit=5)
    assert read_corpus(tmp_path / "c" / "target.jsonl")[0].tokens == read_corpus(tmp_path / "a" / "target.jsonl")[10].tokens
    bad = tmp_path / "bad.tsv"
    bad.write_text("English\tYoruba\nonly one column\n", encoding="utf-8")
    with pytest.raises(DataError, match="2 tab-separated columns"):
        run_stage(bad, tmp_path / "b")
