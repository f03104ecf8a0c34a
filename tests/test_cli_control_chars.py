"""Values read from files (tags, types, tokens) reach the terminal only escaped: an error or a
table cannot carry a terminal escape sequence (clear the screen, retitle the window, hide text)."""

from __future__ import annotations

import pytest

ESCAPES = ["\x1b[2J\x1b[31m", "\x1b]0;pwned\x07", "\x08\x08", "\u202e", "\x9b31m"]


def _clean(text: str) -> bool:
    return not any(ch in text for ch in "\x1b\x07\x08\u202e\x9b")


@pytest.mark.parametrize("bad", ESCAPES)
def test_cli_control_chars_in_a_tag_are_escaped_in_the_error(run_cli, tmp_path, bad):
    path = tmp_path / "bad.conll"
    path.write_text(f"Obi\tB-PER\nwent\tO{bad}x\n\n", encoding="utf-8")
    code, out, err = run_cli("augment", ["stats", path])
    assert code == 1 and out == ""
    assert _clean(err) and len(err.strip().splitlines()) == 1
    assert bad.encode("unicode_escape").decode("ascii") in err


def test_cli_control_chars_in_an_entity_type_are_escaped_in_tables(run_cli, tmp_path, yor_dev_path):
    path = tmp_path / "odd.conll"
    path.write_text("Obi\tB-\x1b[2JPER\nwent\tO\n\n", encoding="utf-8")
    code, out, err = run_cli("augment", ["stats", path])
    assert code == 0, err
    assert _clean(out) and "entities \\x1b[2JPER" in out
    from augment.core.metrics import format_table

    table = format_table({"per_type": {"\x1b]0;x\x07PER": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}},
                          "precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1})
    assert _clean(table) and "\\x1b]0;x\\x07PER" in table


def test_cli_control_chars_in_ner_evaluate_types_error(run_cli, tmp_path, yor_dev_path):
    from ner.labels import LabelMap

    model = tmp_path / "model"
    model.mkdir()
    LabelMap.from_types(["PER", "ORG", "LOC", "DATE"]).save(model)
    code, out, err = run_cli("ner", ["evaluate", model, yor_dev_path, "--types", "PER,\x1b[8mLOC", "--repair-tags"])
    assert code == 1 and out == ""
    assert _clean(err) and "\\x1b[8mLOC is not an entity type of the data" in err


@pytest.fixture()
def yor_dev_path(data_dir):
    return data_dir / "masakhaner1" / "yor" / "dev.txt"
