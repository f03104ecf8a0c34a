"""The repetition filter drops degenerate translations (a word repeated dozens of times), relative
to the source, and is reported like the other filters (issue 19)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from augment.core import read_corpus
from augment.core.alignment import Alignment
from augment.core.errors import ConfigError
from augment.core.pair import Pair
from augment.core.record import Sentence
from augment.project import parse_filters
from augment.project.corpus import project_corpus
from augment.project.filters import DEFAULTS, FILTERS, ORDER, repeated_tokens

REPO = Path(__file__).resolve().parents[1]


def test_repetition_counts_tokens_that_repeat_the_ngram_before_them():
    assert repeated_tokens("bá bá bá bá".split()) == 3
    assert repeated_tokens("a b a b a b c".split()) == 4
    assert repeated_tokens("Forwards - A , B . forwards - A , B .".split()) == 6  # said twice, any case
    assert repeated_tokens("ó lọ sí Èkó lánàá".split()) == 0


@given(st.lists(st.sampled_from(["a", "b", "c", "ọ", "1", ","]), max_size=12))
def test_repetition_a_sentence_said_twice_repeats_at_least_half(tokens):
    assert repeated_tokens(tokens + tokens) >= len(tokens)
    assert repeated_tokens(list(dict.fromkeys(tokens))) == 0  # distinct tokens never repeat


def _pair(src: str, tgt: str, src_tags: list[str] | None = None) -> Pair:
    s, t = src.split(), tgt.split()
    return Pair(Sentence("s", s, src_tags or ["B-PER"] + ["O"] * (len(s) - 1), "en"), Sentence("t", t, None, "yo"))


def test_repetition_filter_drops_degenerate_translations_not_repetitive_sources():
    degenerate = _pair("Ade went home .", "Ade lọ ilé ilé ilé ilé ilé ilé ilé .")
    table = _pair("Chonbuk 0 0 0 0 0 0", "Chonbuk 0 0 0 0 0 0")  # the source repeats as much: kept
    pairs = [degenerate, table]
    links = [Alignment.from_links([(0, 0), (1, 1), (2, 2), (3, 9)]), Alignment.from_links([(k, k) for k in range(7)])]
    kept, dropped, report = project_corpus(pairs, links, strategy="align")
    assert [p.id for p in kept] == ["t"] and kept[0].target.tokens[0] == "Chonbuk"
    assert dropped[0].projection["filter"] == "repetition" and report["filters"]["repetition"] == 1
    assert report["settings"]["filters"]["repetition"] == DEFAULTS["repetition"] == 5.0
    assert "repetition" in report["examples"]
    kept, _, report = project_corpus(pairs, links, strategy="align", filters=parse_filters([], ["repetition=7"]))
    assert len(kept) == 2 and report["filters"]["repetition"] == 0  # 6 repeated tokens < 7
    kept, _, _ = project_corpus(pairs, links, strategy="align", filters=parse_filters(["repetition"]))
    assert len(kept) == 2
    with pytest.raises(ConfigError, match="expected one of repetition=5, span_ratio=3, coverage=0.3"):
        parse_filters([], ["unaligned_entity=2"])


def test_repetition_filter_is_declared_once_and_documented():
    assert ORDER[0] == "repetition" and [f.name for f in FILTERS] == list(ORDER)
    for doc in ("docs/formats.md", "docs/align.md"):
        text = (REPO / doc).read_text("utf-8")
        for f in FILTERS:
            assert f"| `{f.name}` |" in text, (doc, f.name)
            if f.default is not None:
                row = next(line for line in text.splitlines() if line.startswith(f"| `{f.name}` |"))
                assert f.default in [float(x) for x in re.findall(r"\d+(?:\.\d+)?", row.split("|")[-2])], (doc, row)


def test_repetition_real_yoruba_translations(data_dir):
    """Of 13,986 T-Projection Yoruba translations, the filter's rule (at least 5 more repeated tokens
    than the English source) holds for 59: 'OJÚ ÌWÉ ÌWÉ ...' (41 times) is one; score tables that
    repeat their source ('Chonbuk 0 0 0 0 0 0') are not."""
    folder = data_dir / "conll2003_mt_tprojection" / "yor"
    en, yo = read_corpus(folder / "en.conll"), read_corpus(folder / "yor.tprojection.conll")
    excess = [repeated_tokens(b.tokens) - repeated_tokens(a.tokens) for a, b in zip(en, yo, strict=True)]
    fires = [k for k, x in enumerate(excess) if x >= DEFAULTS["repetition"]]
    assert len(yo) == 13986 and len(fires) == 59
    by_text = {" ".join(yo[k].tokens[:3]): k for k in range(len(yo))}
    assert by_text["OJÚ ÌWÉ ÌWÉ"] in fires and by_text["Chonbuk 0 0"] not in fires
