"""Translation JSONL read back by the one shared reader (projection CLI, pipeline stage, aligners)."""

import json

import pytest

from augment.core.errors import DataError
from augment.core.translation import read_translation_records


def test_corpus_translation_records_ids_lines_and_separator_chars(tmp_path, make_record):
    path = tmp_path / "tr.jsonl"
    first = make_record("s1", ["Mr", "Bur\u2028tone"], ["O", "B-PER"], ["Herr", "Bur\u2028tone"])
    second = make_record("s2", ["Paris"], ["B-LOC"], ["Paris\u0085x"])
    del second["id"]
    path.write_text(json.dumps(first, ensure_ascii=False) + "\n\n" + json.dumps(second, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    records = read_translation_records(path, require_src_tags=True)
    assert [r["id"] for r in records] == ["s1", "tr-1"]
    assert records[0]["tokens"] == ["Herr", "Bur\u2028tone"] and records[1]["tokens"] == ["Paris\u0085x"]


@pytest.mark.parametrize("lines, require, message", [
    (['{"tokens": ["a"], "src": {"tokens": ["b"], "tags": ["O"]}}', '{"tokens": ['], False,
     r"tr.jsonl:2: invalid JSON"),
    (['{"tokens": ["a"], "src": {"tokens": ["b"], "tags": null}}'], True, r"tr.jsonl:1: 'src.tags' missing"),
    (['{"tokens": ["a"], "src": {"tokens": ["b", "c"], "tags": ["O"]}}'], True, r"tr.jsonl:1: 'src.tags'"),
    (['{"tokens": ["a"]}'], False, r"tr.jsonl:1: expected a translation record"),
    (["", "  "], False, r"tr.jsonl: no records in file"),
])
def test_corpus_translation_records_bad_input_names_file_and_line(tmp_path, lines, require, message):
    path = tmp_path / "tr.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=message):
        read_translation_records(path, require_src_tags=require)
    if require is True and "null" in lines[0]:  # without the requirement an untagged source is fine
        assert read_translation_records(path)[0]["src"]["tags"] is None
