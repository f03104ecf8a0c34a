"""The pair record: one reader (checks, IOB2 once), one writer, today's files still read, versions."""

import json

import pytest

from augment.core.alignment import Alignment
from augment.core.errors import DataError
from augment.core.pair import PAIR_FORMAT, Pair, read_pair_file, read_pairs, write_pairs

# a record exactly as `augment translate` wrote it before the format had a version (docs/formats.md)
TODAY = {"id": "dev-3", "lang": "yo", "tokens": ["Barack", "Obama", "lọ", "sí", "Paris", "."],
         "tags": ["B-PER", "I-PER", "O", "O", "B-LOC", "O"], "text": "Barack Obama lọ sí Paris.",
         "src": {"id": "dev-3", "lang": "en", "tokens": ["Barack", "Obama", "visited", "Paris", "."],
                 "tags": ["B-PER", "I-PER", "O", "B-LOC", "O"]},
         "method": "markers", "markers_ok": True, "marked_text": "[Barack Obama] lọ sí [Paris].",
         "marker_issues": [], "spans": [[0, 2, "PER"], [4, 5, "LOC"]],
         "mt": {"model": "Helsinki-NLP/opus-mt-en-yo", "backend": "ctranslate2", "num_beams": 1}}


def test_pair_reads_todays_format_and_writes_it_back_with_a_version(tmp_path):
    path = tmp_path / "tr.jsonl"
    path.write_text(json.dumps(TODAY, ensure_ascii=False) + "\n", encoding="utf-8")
    (pair,) = read_pairs(path, need_source_tags=True)
    assert pair.id == "dev-3" and pair.source.tokens[2] == "visited" and pair.target.lang == "yo"
    assert pair.method == "markers" and pair.markers_usable and pair.marker_spans[1] == (4, 5, "LOC")
    assert pair.target.meta["mt"]["backend"] == "ctranslate2" and pair.target.line == 1
    write_pairs([pair], tmp_path / "again.jsonl")
    written = json.loads((tmp_path / "again.jsonl").read_text(encoding="utf-8"))
    assert written == {**TODAY, "pair_format": PAIR_FORMAT}
    assert read_pairs(tmp_path / "again.jsonl") == [pair]


def test_pair_europarl_round_trip_converts_source_tags_to_iob2_once(tmp_path, europarl):
    en, de = europarl["en"][:50], europarl["de"][:50]  # conll02 files, IOB1 on both sides
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps({**t.to_dict(), "tags": None, "src": s.to_dict()}) + "\n"
                            for s, t in zip(en, de)), encoding="utf-8")
    pairs = read_pairs(path)
    assert len(pairs) == 50 and all(p.source.spans == s.spans for p, s in zip(pairs, en))
    assert not any(t.startswith("I-") and (k == 0 or p.source.tags[k - 1] == "O")
                   for p in pairs for k, t in enumerate(p.source.tags))
    identity = [Pair(p.source, p.target, alignment=Alignment(((0, 0),))) for p in pairs]
    write_pairs(identity, tmp_path / "out.jsonl")
    again = read_pairs(tmp_path / "out.jsonl")
    assert [p.alignment for p in again] == [Alignment(((0, 0),), len(s.tokens), len(t.tokens))
                                            for s, t in zip(en, de)]


def test_pair_ids_lines_and_separator_chars(tmp_path):
    path = tmp_path / "tr.jsonl"
    first = {**TODAY, "id": "s1", "tokens": ["Herr", "Bur\u2028tone"], "tags": None, "spans": []}
    second = {k: v for k, v in first.items() if k != "id"} | {"tokens": ["Paris\u0085x"]}
    path.write_text(json.dumps(first, ensure_ascii=False) + "\n\n" + json.dumps(second, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    pairs = read_pairs(path)
    assert [p.id for p in pairs] == ["s1", "tr-1"] and [p.target.line for p in pairs] == [1, 3]
    assert pairs[0].target.tokens == ["Herr", "Bur\u2028tone"] and pairs[1].target.tokens == ["Paris\u0085x"]


@pytest.mark.parametrize("lines, need_tags, message", [
    (['{"tokens": ["a"], "src": {"tokens": ["b"], "tags": ["O"]}}', '{"tokens": ['], False,
     r"tr.jsonl:2: invalid JSON"),
    (['{"tokens": ["a"], "src": {"tokens": ["b"], "tags": null}}'], True, r"tr.jsonl:1: .*no tags to project"),
    (['{"tokens": ["a"], "src": {"tokens": ["b", "c"], "tags": ["O"]}}'], False,
     r"tr.jsonl:1: .*src has 2 tokens but 1 tags"),
    (['{"tokens": ["a"], "src": {"tokens": []}}'], False, r"tr.jsonl:1: .*non-empty 'tokens'"),
    (['{"tokens": ["a"]}'], False, r"tr.jsonl:1: expected a pair record"),
    (['{"tokens": ["a"], "src": {"tokens": ["b"]}, "alignment": [[0, 3]]}'], False,
     r"tr.jsonl:1: record tr-0: alignment link 0-3 out of range for 1 source and 1 target tokens"),
    (['{"tokens": ["a"], "src": {"tokens": ["b"]}, "spans": [[0, 2, "PER"]]}'], False,
     r"tr.jsonl:1: .*'spans' must be"),
    (['{"tokens": ["a"], "src": {"tokens": ["b"]}, "pair_format": 99}'], False,
     r"tr.jsonl:1: .*pair_format 99 .* newer xner"),
    (["", "  "], False, r"tr.jsonl: no records in file"),
])
def test_pair_bad_input_names_file_and_line(tmp_path, lines, need_tags, message):
    path = tmp_path / "tr.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=message):
        read_pairs(path, need_source_tags=need_tags)
    if need_tags:  # without the requirement an untagged source is fine
        assert read_pairs(path)[0].source.tags is None


def test_pair_unpaired_records_come_back_as_sentences(tmp_path, europarl):
    from augment.core import write_corpus

    write_corpus(europarl["de"][:5], tmp_path / "de.conll")
    records = read_pair_file(tmp_path / "de.conll", allow_unpaired=True, format=None)
    assert len(records) == 5 and not any(isinstance(r, Pair) for r in records)
    with pytest.raises(DataError, match="expected a pair record"):
        read_pair_file(tmp_path / "de.conll", format=None)
