"""The marker parser on hand-written translations, and mark -> parse round trips on real data."""

from __future__ import annotations

import pytest

from augment.core import Span, read_corpus
from augment.core.tokenize import detokenize, tokenize
from augment.translate.markers import check_markers, has_marker, mark_sentence, parse_markers

LABELS = ["PER", "LOC"]
SOURCES = ["Barack Obama", "Paris"]


def test_mark_sentence_wraps_spans_and_detokenizes():
    tokens = "Barack Obama visited Paris , France .".split()
    spans = [Span(0, 2, "PER"), Span(3, 4, "LOC"), Span(5, 6, "LOC")]
    assert mark_sentence(tokens, spans) == "[Barack Obama] visited [Paris], [France]."
    assert mark_sentence(tokens, spans, "<e>", "</e>") == "<e>Barack Obama</e> visited <e>Paris</e>, <e>France</e>."


def test_parse_intact_markers_gives_typed_spans():
    p = parse_markers("[Barack Obama] lọ sí [Paris].", LABELS, sources=SOURCES)
    assert p.ok and p.issues == []
    assert p.text == "Barack Obama lọ sí Paris."
    assert p.tokens == ["Barack", "Obama", "lọ", "sí", "Paris", "."]
    assert p.spans == [Span(0, 2, "PER"), Span(4, 5, "LOC")]


def test_parse_markers_glued_to_punctuation_and_spaced():
    p = parse_markers("“[ Barack Obama ]”,[Paris]!", LABELS)
    assert p.ok
    assert p.tokens == ["“", "Barack", "Obama", "”", ",", "Paris", "!"]
    assert p.spans == [Span(1, 3, "PER"), Span(5, 6, "LOC")]
    assert p.text == "“ Barack Obama ”,Paris!"


def test_parse_marker_inside_a_word_splits_it():
    p = parse_markers("ní[Èkó] ni [Obama] wà", ["LOC", "PER"])
    assert p.ok and p.tokens[:2] == ["ní", "Èkó"] and p.spans == [Span(1, 2, "LOC"), Span(3, 4, "PER")]


@pytest.mark.parametrize("text, issues", [
    ("Barack Obama lọ sí [Paris].", ["lost"]),
    ("Barack Obama lọ sí Paris.", ["lost"]),
    ("[Barack Obama] lọ sí [Paris] ní [France].", ["extra"]),
    ("[Barack Obama] [Barack Obama] lọ sí [Paris].", ["extra"]),
    ("[[Barack] Obama] lọ sí [Paris].", ["nested"]),
    ("[Barack Obama lọ sí [Paris].", ["nested", "unbalanced", "lost"]),
    ("Barack Obama] lọ sí [Paris].", ["unbalanced", "lost"]),
    ("[Barack Obama] lọ sí [Paris.", ["unbalanced", "lost"]),
    ("[Barack Obama] lọ sí [] Paris.", ["empty", "lost"]),
])
def test_parse_broken_markers_are_reported_not_tagged(text, issues):
    p = parse_markers(text, LABELS, sources=SOURCES)
    assert not p.ok
    assert p.issues == issues
    assert p.spans == []
    assert "[" not in p.text and "]" not in p.text and p.tokens == tokenize(p.text.replace("[", " "))


def test_parse_reordered_entities_take_the_matching_type():
    p = parse_markers("Ní [Paris] ni [Barack Obama] wà.", LABELS, sources=SOURCES)
    assert p.ok and p.issues == ["reordered"]
    assert p.spans == [Span(1, 2, "LOC"), Span(3, 5, "PER")]
    # without source strings the order decides
    q = parse_markers("Ní [Paris] ni [Barack Obama] wà.", LABELS)
    assert q.spans == [Span(1, 2, "PER"), Span(3, 5, "LOC")] and q.issues == []


def test_parse_translated_entities_keep_source_order():
    p = parse_markers("[Ọbama] lọ sí [Parí].", LABELS, sources=SOURCES)
    assert p.ok and p.issues == [] and [s.label for s in p.spans] == LABELS


def test_custom_markers_and_bad_marker_options():
    p = parse_markers("<<Obama>> lọ sí <<Paris>>", LABELS, "<<", ">>")
    assert p.ok and p.spans == [Span(0, 1, "PER"), Span(3, 4, "LOC")]
    from augment.core.errors import ConfigError

    for bad in (("[", "["), ("", "]"), ("<<", "<")):
        with pytest.raises(ConfigError):
            check_markers(*bad)
    assert has_marker(["a", "[b"]) and not has_marker(["a", "b"])


@pytest.mark.parametrize("path", ["masakhaner1/yor/dev.txt", "masakhaner1/hau/dev.txt"])
def test_mark_then_parse_recovers_every_masakhaner_entity(data_dir, path):
    sentences = read_corpus(data_dir / path, repair=True, to_scheme="iob2")
    entities = conflicts = same = 0
    for s in sentences:
        spans = s.spans
        if has_marker(s.tokens):  # the stage translates these without markers ("conflict")
            conflicts += 1
            assert not parse_markers(mark_sentence(s.tokens, spans), [sp.label for sp in spans]).ok or not spans
            continue
        p = parse_markers(mark_sentence(s.tokens, spans), [sp.label for sp in spans])
        assert p.ok, (s.id, p.issues)
        assert p.tokens == tokenize(detokenize(s.tokens)), s.id  # ". ." comes back as ".."
        assert [sp.label for sp in p.spans] == [sp.label for sp in spans], s.id
        assert [p.tokens[a:b] for a, b, _ in p.spans] == [s.tokens[a:b] for a, b, _ in spans], s.id
        same += p.tokens == s.tokens
        entities += len(spans)
    assert entities > 300 and conflicts < len(sentences) // 10 and same > 0.95 * len(sentences)
