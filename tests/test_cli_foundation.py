"""The four console scripts, `augment stats` and `augment convert` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("prog", ["augment", "align", "ner", "pipelines"])
def test_cli_help_lists_commands(prog):
    exe = Path(sys.executable).parent / prog
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True).stdout
    assert "Usage:" in out and "Commands:" in out


def test_cli_stats_json_on_conll2003(run_cli, data_dir):
    code, out, _ = run_cli("augment", ["stats", data_dir / "conll2003_en/eng.testb", "--json"])
    assert code == 0
    got = json.loads(out)
    assert got["sentences"] == 3453 and got["tokens"] == 46435
    assert sum(got["entities"].values()) == 5648 and set(got["entities"]) == {"PER", "ORG", "LOC", "MISC"}


def test_cli_convert_iob1_to_iob2_all_formats(run_cli, data_dir, tmp_path):
    src = data_dir / "conll2003_en/eng.testa"
    for ext in ("jsonl", "parquet", "conll"):
        out = tmp_path / f"en.{ext}"
        code, _, err = run_cli("augment", ["convert", src, out, "--scheme", "iob2", "--lang", "en"])
        assert code == 0, err
        code, stats, _ = run_cli("augment", ["stats", out, "--json", "--in-scheme", "iob2"])
        got = json.loads(stats)
        assert got["entities_total"] == 5942 and got["sentences"] == 3250


@pytest.mark.parametrize("prog, args, message", [
    ("align", ["run", "a.txt", "b.txt", "--method", "giza"], "'giza' is not one of"),
    ("augment", ["translate"], "Missing argument 'INPUT'"),
    ("ner", ["train", "--no-such-option"], "No such option '--no-such-option'"),
    ("pipelines", ["bogus"], "No such command 'bogus'"),
])
def test_cli_usage_errors_are_one_line(run_cli, prog, args, message):
    code, out, err = run_cli(prog, args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err and "--help')" in err
