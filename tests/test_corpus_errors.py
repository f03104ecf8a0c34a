"""Malformed input: one line `file:line: problem`, exit status 1, no traceback, nothing clobbered."""

from __future__ import annotations

import json

import pytest

from augment.core import read_corpus
from augment.core.errors import DataError

CASES = {
    "tag_not_in_scheme": ("bad.conll", "Ade B-PER\nlo FOO\n", 2, "'FOO'"),
    "missing_tag_column": ("bad.conll", "Ade B-PER\nlo\n", 2, "missing tag column"),
    "jsonl_count_mismatch": ("bad.jsonl", json.dumps({"tokens": ["a"]}) + "\n" + json.dumps({"tokens": ["a", "b"], "tags": ["O"]}) + "\n", 2, "2 tokens but 1 tags"),
    "jsonl_invalid_json": ("bad.jsonl", '{"tokens": ["a"]}\n{"tokens": [\n', 2, "invalid JSON"),
    "jsonl_no_tokens": ("bad.jsonl", '{"tags": ["O"]}\n', 1, "no 'tokens'"),
    "iob2_unopened": ("bad.conll", "a B-PER\nb O\n\nc O\nd I-ORG\n", 5, "does not continue"),
    "iobes_unclosed": ("bad.conll", "a S-PER\nb O\n\nc B-ORG\nd O\n", 4, "not followed"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_corpus_error_names_file_and_line(tmp_path, run_cli, case):
    name, text, line, needle = CASES[case]
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_corpus(p)
    assert err.value.line == line
    assert needle in str(err.value)
    code, out, errtext = run_cli("augment", ["stats", p])
    assert code == 1
    assert errtext.strip().splitlines() == [f"error: {p}:{line}: {err.value.message}"]
    assert "Traceback" not in errtext


def test_corpus_error_bad_encoding(tmp_path, run_cli):
    p = tmp_path / "latin1.conll"
    p.write_bytes("Oba B-PER\nAd\xe9 I-PER\n".encode("latin-1"))
    with pytest.raises(DataError) as err:
        read_corpus(p)
    assert err.value.line == 2 and "UTF-8" in str(err.value)


@pytest.mark.parametrize("name", ["empty.conll", "empty.jsonl", "empty.txt"])
def test_corpus_error_empty_file(tmp_path, run_cli, name):
    p = tmp_path / name
    p.write_text("\n\n", encoding="utf-8")
    code, _, err = run_cli("augment", ["stats", p])
    assert code == 1 and "empty file" in err and err.count("\n") == 1


def test_corpus_error_missing_file_and_parquet_garbage(tmp_path, run_cli):
    code, _, err = run_cli("augment", ["stats", tmp_path / "nope.conll"])
    assert code == 1 and "no such file" in err
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"PAR1 not really")
    code, _, err = run_cli("augment", ["stats", bad])
    assert code == 1 and "Parquet" in err and "Traceback" not in err


def test_corpus_convert_failure_keeps_existing_output(tmp_path, run_cli, data_dir):
    out = tmp_path / "out.jsonl"
    out.write_text("precious\n", encoding="utf-8")
    bad = tmp_path / "bad.conll"
    bad.write_text("a B-X\nb\n", encoding="utf-8")
    code, _, _ = run_cli("augment", ["convert", bad, out])
    assert code == 1
    assert out.read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.conll", "out.jsonl"]


def test_corpus_hub_dataset_offline_is_one_line(run_cli):
    code, _, err = run_cli("augment", ["stats", "hf:wikiann:yo#train"])
    assert code == 1 and err.startswith("error: hf:wikiann:yo: cannot load data set") and err.count("\n") == 1
