"""``augment show`` opens files with invalid tag sequences and marks them; the terminal view prints
control characters and bidi overrides escaped."""

from __future__ import annotations

import json
import re

import pytest

from augment.core import read_corpus
from augment.core.errors import DataError
from augment.show import load_view
from augment.show.terminal import visible


def _bad_copy(data_dir, tmp_path):
    """MasakhaNER yor dev with two broken sentences: an I- that opens an entity (sentence 0) and a
    tag that is no tag at all (sentence 2)."""
    src = data_dir / "masakhaner1" / "yor" / "dev.txt"
    lines = src.read_text("utf-8").split("\n")
    blocks, start = [], 0
    for i, line in enumerate(lines + [""]):
        if not line.strip():
            if i > start:
                blocks.append((start, i))
            start = i + 1
    a = blocks[0][0] + 1  # second token of sentence 0: O -> I-ORG
    lines[a] = lines[a].split()[0] + " I-ORG"
    b = blocks[2][0]
    lines[b] = lines[b].split()[0] + " PERSON"
    out = tmp_path / "bad.txt"
    out.write_text("\n".join(lines), encoding="utf-8")
    return out, a + 1, b + 1


def test_show_lenient_marks_invalid_sequences(data_dir, tmp_path, run_cli):
    bad, line_a, line_b = _bad_copy(data_dir, tmp_path)
    with pytest.raises(DataError) as err:
        read_corpus(bad)
    assert err.value.line == line_a  # the strict reader still refuses it
    view = load_view(bad, limit=5)
    items = view["items"]
    assert [bool(it["tag_issues"]) for it in items] == [True, False, True, False, False]
    assert items[0]["status"] == "invalid tags" and f"line {line_a}, token 1" in items[0]["tag_issues"][0]
    assert f"line {line_b}, token 0" in items[2]["tag_issues"][0] and "'PERSON'" in items[2]["tag_issues"][0]
    assert view["counts"]["invalid_tags"] == 2
    # the lenient decoding still shows the entities around the bad tags
    assert any(e[2] == "ORG" and e[0] == 1 for e in items[0]["ents"])
    assert load_view(bad, filters=["invalid"])["counts"]["sentences"] == 2

    code, out, err = run_cli("augment", ["show", bad, "--limit", "3"])
    assert code == 0, err
    heads = [line for line in out.splitlines() if re.match(r"#\d ", line)]
    assert ["! invalid tags" in h for h in heads] == [True, False, True]
    assert f"invalid tags: line {line_b}, token 0" in out and "invalid tag sequences: 2" in out

    html = tmp_path / "bad.html"
    code, out, err = run_cli("augment", ["show", bad, "--html", html])
    assert code == 0, err
    page = html.read_text("utf-8")
    assert 'id="count-invalid"' in page and 'data-n="2"' in page and "invalid tag sequences: 2" in page
    assert '<option value="invalid">' in page
    # with --repair-tags the repairable one is fixed and only the non-tag stays marked
    assert load_view(bad, repair=True)["counts"]["invalid_tags"] == 1


def test_show_lenient_terminal_escapes_control_characters(tmp_path, run_cli):
    hostile = ["\x1b[2J\x1b[H", "\x1b]0;owned\x07", "\x1b]52;c;ZXZpbA==\x07", "ab\u202ecd", "\x9b31m", "x\u2066y"]
    path = tmp_path / "\x1b[31mred.jsonl"
    path.write_text(json.dumps({"id": "\x1b[1mid", "tokens": hostile + ["Ada"],
                                "tags": ["O"] * len(hostile) + ["B-PER"]}) + "\n", encoding="utf-8")
    code, out, err = run_cli("augment", ["show", path])
    assert code == 0, err
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)
    for shown in ("\\x1b[2J\\x1b[H", "\\x1b]0;owned\\x07", "\\x1b]52;c;ZXZpbA==\\x07", "ab\\u202ecd",
                  "\\x9b31m", "x\\u2066y", "\\x1b[1mid", "\\x1b[31mred.jsonl"):
        assert shown in out
    assert "Ada PER" in out
    assert visible("Ọ̀yọ́ 🙂 tab\there") == "Ọ̀yọ́ 🙂 tab\\x09here"
