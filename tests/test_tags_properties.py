"""Property-based tests of the tag layer and of every reader."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from augment.core import (
    Span,
    convert_tags,
    read_corpus,
    spans_to_tags,
    tags_to_spans,
    validate_tags,
)
from augment.core.errors import XnerError

TYPES = ["PER", "ORG", "LOC", "MISC"]


@st.composite
def span_lists(draw):
    n = draw(st.integers(0, 25))
    spans, i = [], 0
    while i < n:
        if draw(st.booleans()):
            length = draw(st.integers(1, min(4, n - i)))
            spans.append(Span(i, i + length, draw(st.sampled_from(TYPES))))
            i += length
        else:
            i += draw(st.integers(1, 3))
    return [s for s in spans if s.end <= n], n


@given(span_lists(), st.sampled_from(["iob1", "iob2", "iobes"]))
def test_tags_spans_to_tags_to_spans_is_identity(data, scheme):
    spans, n = data
    tags = spans_to_tags(spans, n, scheme)
    validate_tags(tags, scheme)
    assert tags_to_spans(tags) == spans


@given(span_lists(), st.permutations(["iob1", "iob2", "iobes"]))
def test_tags_scheme_conversions_round_trip(data, order):
    spans, n = data
    start = spans_to_tags(spans, n, order[0])
    mid = convert_tags(convert_tags(start, order[1]), order[2])
    assert convert_tags(mid, order[0]) == start


@given(st.lists(st.sampled_from(["O", "B-PER", "I-PER", "I-ORG", "B-ORG", "E-PER", "S-LOC"]), max_size=20))
def test_tags_decoding_never_overlaps(tags):
    spans = tags_to_spans(tags)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert all(0 <= s.start < s.end <= len(tags) for s in spans)


SUFFIXES = [".conll", ".jsonl", ".txt", ".parquet", ".tsv"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.binary(max_size=400), st.sampled_from(SUFFIXES))
def test_readers_random_bytes_give_records_or_toolkit_error(tmp_path, blob, suffix):
    p = tmp_path / f"f{suffix}"
    p.write_bytes(blob)
    try:
        read_corpus(p)
    except XnerError:
        pass


LINE = st.text(alphabet=string.ascii_letters + " \t-{}[]\":,OBIES" + "ẹ̀", max_size=40)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(LINE, max_size=8), st.sampled_from([".conll", ".jsonl", ".txt"]))
def test_readers_random_text_give_records_or_toolkit_error(tmp_path, lines, suffix):
    p = tmp_path / f"g{suffix}"
    p.write_text("\n".join(lines), encoding="utf-8")
    try:
        sents = read_corpus(p)
    except XnerError:
        return
    assert all(s.tags is None or len(s.tags) == len(s.tokens) for s in sents)
