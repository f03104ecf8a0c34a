"""Mark-only tokens (a lone U+0301) are joined to the token before them by every reader, entities
and token-indexed pair data kept consistent (augment.core.marks; issue 19)."""

from __future__ import annotations

import json
import logging
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from augment.core import (
    Span,
    read_corpus,
    spans_to_tags,
    tags_to_spans,
    validate_tags,
    write_corpus,
)
from augment.core.errors import DataError
from augment.core.marks import RAW_TOKENS_ENV, is_mark_only, join_sentence
from augment.core.pair import Pair, read_pairs
from augment.core.record import Sentence

WORDS = ["mọ", "ọ", "Ade", "Èkó", "lọ", ".", "(", "2", "wọn"]
MARKS = ["\u0301", "\u0300", "\u0323", "\u0301\u0300", "\u0903", "\u20dd"]  # Mn, Mn, Mn, Mn+Mn, Mc, Me
TYPES = ["PER", "ORG", "LOC"]


@st.composite
def tagged_tokens(draw):
    tokens = draw(st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS)), min_size=1, max_size=20))
    spans, i = [], 0
    while i < len(tokens):
        if draw(st.booleans()):
            length = draw(st.integers(1, min(4, len(tokens) - i)))
            spans.append(Span(i, i + length, draw(st.sampled_from(TYPES))))
            i += length
        else:
            i += 1
    return tokens, spans


def entity_of(spans: list[Span], n: int) -> list[tuple[int, str] | None]:
    """For each token, (entity number, type) or None."""
    out: list[tuple[int, str] | None] = [None] * n
    for k, s in enumerate(spans):
        for i in range(s.start, s.end):
            out[i] = (k, s.label)
    return out


@settings(max_examples=300, deadline=None)
@given(tagged_tokens(), st.sampled_from(["iob1", "iob2", "iobes"]))
def test_marks_join_keeps_text_and_each_word_takes_its_first_tokens_entity(data, scheme):
    tokens, spans = data
    tags = spans_to_tags(spans, len(tokens), scheme)
    new_tokens, new_tags, index, lost = join_sentence(tokens, tags, scheme)
    joined = [k for k in range(1, len(tokens)) if is_mark_only(tokens[k])]
    if not joined:
        assert index is None and new_tokens == tokens and new_tags == tags
        return
    validate_tags(new_tags, scheme)
    assert len(new_tokens) == len(tokens) - len(joined) == len(new_tags)
    assert not any(is_mark_only(t) for t in new_tokens[1:])  # only a first token may stay a bare mark
    nfc = lambda s: unicodedata.normalize("NFC", s)  # noqa: E731
    assert nfc("".join(new_tokens)) == nfc("".join(tokens))
    # a word's entity is its first token's: same type, and two words share an entity iff their first tokens did
    firsts = [k for k in range(len(tokens)) if k not in joined]
    old, new = entity_of(spans, len(tokens)), entity_of(tags_to_spans(new_tags), len(new_tokens))
    for w, k in enumerate(firsts):
        assert (old[k] is None) == (new[w] is None) and (old[k] is None or old[k][1] == new[w][1])
        for w2, k2 in enumerate(firsts[:w]):
            if old[k] is not None and old[k2] is not None:
                assert (old[k][0] == old[k2][0]) == (new[w][0] == new[w2][0])
    only_marks = [s for s in spans if all(i in joined for i in range(s.start, s.end))]
    assert lost == len(only_marks) == len(spans) - len(tags_to_spans(new_tags))
    again = join_sentence(new_tokens, new_tags, scheme)  # idempotent
    assert again[2] is None and again[0] == new_tokens


def test_marks_join_entity_boundaries():
    # an entity starting at a mark starts at the next token; one made only of marks disappears
    tokens = ["mọ", "\u0301", "Ade", "Ola", "lọ", "\u0300"]
    tags = ["O", "B-PER", "I-PER", "I-PER", "O", "B-LOC"]
    new_tokens, new_tags, index, lost = join_sentence(tokens, tags)
    assert new_tokens == ["mọ́", "Ade", "Ola", "lọ̀"] and all(unicodedata.is_normalized("NFC", t) for t in new_tokens)
    assert new_tags == ["O", "B-PER", "I-PER", "O"] and index == [0, 0, 1, 2, 3, 3] and lost == 1
    # a mark inside or just after an entity belongs to its word, so to the entity; a first-token mark stays
    assert join_sentence(["\u0301", "Èko", "\u0301", "ni"], ["O", "B-LOC", "O", "O"])[:2] == (
        ["\u0301", "Èkó", "ni"], ["O", "B-LOC", "O"])


def _write_all_formats(tmp_path, sentences):
    paths = {}
    for fmt, ext in (("conll", "conll"), ("jsonl", "jsonl"), ("parquet", "parquet")):
        paths[fmt] = tmp_path / f"c.{ext}"
        write_corpus(sentences, paths[fmt], fmt)
    paths["text"] = tmp_path / "c.txt"
    paths["text"].write_text("\n".join(" ".join(s.tokens) for s in sentences) + "\n", encoding="utf-8")
    return paths


def test_marks_every_reader_joins_and_can_be_turned_off(tmp_path, monkeypatch, caplog):
    raw = [Sentence("a", ["Ade", "lọ", "sí", "Èko", "\u0301", "."], ["B-PER", "O", "O", "B-LOC", "O", "O"]),
           Sentence("b", ["wọ", "\u0300", "dé"], ["O", "O", "O"])]
    for fmt, path in _write_all_formats(tmp_path, raw).items():
        with caplog.at_level(logging.WARNING, logger="xner.corpus"):
            got = read_corpus(path)
        assert [s.tokens for s in got] == [["Ade", "lọ", "sí", "Èkó", "."], [unicodedata.normalize("NFC", "wọ\u0300"), "dé"]], fmt
        assert "tokens joined: 2 in 2 sentences" in caplog.text
        if fmt != "text":
            assert got[0].tags == ["B-PER", "O", "O", "B-LOC", "O"]
        assert [s.tokens_joined for s in got] == [1, 1] and got[0].token_map == [0, 1, 2, 3, 3, 4]
        assert read_corpus(path, join_marks=False)[0].tokens == raw[0].tokens
        monkeypatch.setenv(RAW_TOKENS_ENV, "1")
        assert read_corpus(path)[1].tokens == raw[1].tokens
        monkeypatch.delenv(RAW_TOKENS_ENV)
        caplog.clear()


def _raw_pair_record():
    """A pair record written on raw tokens (target and source), with indices keyed to them."""
    return {"id": "p1", "tokens": ["Ade", "\u0301", "lọ", "sí", "Èko", "\u0301"],
            "tags": ["B-PER", "I-PER", "O", "O", "B-LOC", "I-LOC"],
            "src": {"tokens": ["Ade", "went", "to", "Lagos"], "tags": ["B-PER", "O", "O", "B-LOC"]},
            "alignment": [[0, 0], [0, 1], [1, 2], [2, 3], [3, 4], [3, 5]],
            "method": "markers", "markers_ok": True, "spans": [[0, 2, "PER"], [4, 6, "LOC"]],
            "projection": {"strategy": "align", "kept": True, "filter": None, "entities": [
                {"src": [0, 1, "PER"], "tgt": [0, 2], "status": "projected", "reason": None, "via": "align"},
                {"src": [3, 4, "LOC"], "tgt": [5, 6], "status": "projected", "reason": None, "via": "align"}]}}


def test_marks_pair_reader_remaps_alignment_spans_and_projection(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps(_raw_pair_record(), ensure_ascii=False) + "\n", encoding="utf-8")
    for pair in (read_pairs(path)[0], Pair.from_dict(_raw_pair_record())):
        assert pair.target.tokens == ["Adé", "lọ", "sí", "Èkó"] and pair.target.tags == ["B-PER", "O", "O", "B-LOC"]
        assert pair.alignment.links == ((0, 0), (1, 1), (2, 2), (3, 3))
        assert pair.marker_spans == [Span(0, 1, "PER"), Span(3, 4, "LOC")]
        ents = pair.projection["entities"]
        assert ents[0]["tgt"] == [0, 1]
        # the LOC's projected span was the bare mark alone: after joining it is nothing, a drop that says why
        assert ents[1]["tgt"] is None and ents[1]["status"] == "dropped" and ents[1]["reason"] == "only_marks"
    bad = _raw_pair_record() | {"alignment": [[0, 6]]}  # beyond the record's own 6 raw tokens
    path.write_text(json.dumps(bad, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"pairs.jsonl:1: .*link 0-6 out of range for 4 source and 6 target"):
        read_pairs(path)


def test_marks_external_alignments_remapped_by_their_lengths(tmp_path):
    from augment.project.flow import ProjectOptions, project_files

    src = tmp_path / "src.conll"
    tgt = tmp_path / "tgt.txt"
    write_corpus([Sentence("s", ["Ade", "went", "to", "Lagos"], ["B-PER", "O", "O", "B-LOC"])], src)
    tgt.write_text("Ade lọ sí Èko \u0301\n", encoding="utf-8")
    raw = tmp_path / "raw.jsonl"  # on the 5 raw target tokens: remapped
    raw.write_text(json.dumps({"id": "0", "src_len": 4, "tgt_len": 5, "alignment": [[0, 0], [3, 4]]}) + "\n")
    report, _ = project_files(tmp_path / "out.jsonl", ProjectOptions(), source=src, target=tgt, alignments=raw)
    out = read_corpus(tmp_path / "out.jsonl")[0]
    assert out.tokens == ["Ade", "lọ", "sí", "Èkó"] and out.tags == ["B-PER", "O", "O", "B-LOC"]
    assert report["tokens_joined"]["target"] == {"tokens": 1, "sentences": 1}
    assert "Tokens joined (target side" in (tmp_path / "out.jsonl.report.md").read_text()
    wrong = tmp_path / "wrong.jsonl"  # lengths that fit neither the raw nor the joined tokens
    wrong.write_text(json.dumps({"id": "0", "src_len": 4, "tgt_len": 7, "alignment": [[0, 0]]}) + "\n")
    with pytest.raises(DataError, match="does not fit its pair: its tokens were read with mark-only tokens joined"):
        project_files(tmp_path / "o2.jsonl", ProjectOptions(), source=src, target=tgt, alignments=wrong)
    pharaoh = tmp_path / "a.txt"  # no lengths, a link beyond the 4 joined tokens
    pharaoh.write_text("0-0 3-4\n")
    with pytest.raises(DataError, match="does not fit its pair"):
        project_files(tmp_path / "o3.jsonl", ProjectOptions(), source=src, target=tgt, alignments=pharaoh)


def test_marks_real_yoruba_translations_joined_entities_unchanged(data_dir, caplog):
    path = data_dir / "conll2003_mt_tprojection" / "yor" / "yor.tprojection.conll"
    raw = read_corpus(path, join_marks=False)
    with caplog.at_level(logging.WARNING, logger="xner.corpus"):
        joined = read_corpus(path)
    assert "tokens joined: 38560 in 7653 sentences" in caplog.text
    assert len(raw) == len(joined) == 13986
    assert sum(is_mark_only(t) for s in raw for t in s.tokens) == 38560
    assert not any(is_mark_only(t) for s in joined for t in s.tokens)  # no sentence starts with a mark
    assert sum(len(s.tokens) for s in raw) - sum(len(s.tokens) for s in joined) == 38560
    count = lambda sents, t: sum(sp.label == t for s in sents for sp in s.spans)  # noqa: E731
    assert [count(joined, t) for t in ("PER", "ORG", "LOC")] == [count(raw, t) for t in ("PER", "ORG", "LOC")] \
        == [6573, 6286, 7091]  # the counts the data README gives
    assert raw[0].tokens[:0] == [] and any("mọ́" in s.tokens for s in joined)
    for lang in ("hau", "swa"):  # nothing to join there
        assert sum(s.tokens_joined for s in read_corpus(data_dir / "conll2003_mt_tprojection" / lang /
                                                       f"{lang}.tprojection.conll")) == 0


def test_marks_parallel_text_readers_join_too(tmp_path):
    from align.readers import read_pairs as read_token_pairs

    for name, line in (("p.tsv", "Ade went\tAde \u0301 lọ\n"), ("p.txt", "Ade went ||| Ade \u0301 lọ\n")):
        (tmp_path / name).write_text(line, encoding="utf-8")
        (pair,) = read_token_pairs(tmp_path / name)
        assert pair.src == ["Ade", "went"] and pair.tgt == ["Adé", "lọ"], name


def test_marks_tokenizer_joins_like_the_readers(monkeypatch):
    from augment.core.tokenize import tokenize, tokenize_with_offsets

    text = "Ade mọ \u0301 lọ ."
    assert tokenize(text) == ["Ade", "mọ́", "lọ", "."]
    assert [t for t, _, _ in tokenize_with_offsets(text)] == ["Ade", "mọ", "\u0301", "lọ", "."]  # as in the text
    monkeypatch.setenv(RAW_TOKENS_ENV, "1")
    assert tokenize(text) == ["Ade", "mọ", "\u0301", "lọ", "."]
