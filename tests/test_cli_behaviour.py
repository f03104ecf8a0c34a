"""What every command does the same way: ``--verbose``/``--quiet`` before or after the command
name, ``--version``, and ``pipelines run --dry-run`` checking ``--only``/``--force`` names."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def clean_env(monkeypatch):
    """The flags set environment variables; these restore them after the test."""
    for name in ("XNER_VERBOSE", "XNER_QUIET"):
        monkeypatch.setenv(name, "")


@pytest.mark.parametrize("prog", ["augment", "align", "ner", "pipelines"])
def test_cli_version_on_every_program(run_cli, prog):
    from augment.core.cli import toolkit_version

    code, out, err = run_cli(prog, ["--version"])
    assert code == 0 and err == ""
    assert out == f"{prog} (xner) {toolkit_version()}\n" and toolkit_version() != "unknown"


@pytest.mark.parametrize("where", ["before", "after"])
def test_cli_verbose_before_or_after_the_command_shows_the_traceback(run_cli, clean_env, tmp_path, where):
    missing = str(tmp_path / "missing.conll")
    args = ["--verbose", "stats", missing] if where == "before" else ["stats", missing, "-v"]
    code, out, err = run_cli("augment", args)
    assert code == 1 and "Traceback" in err and err.rstrip().splitlines()[-1].startswith("error: ")


def test_cli_without_verbose_the_error_is_one_line(run_cli, clean_env, tmp_path):
    code, _, err = run_cli("augment", ["stats", str(tmp_path / "missing.conll")])
    assert code == 1 and err.count("\n") == 1 and err.startswith("error: ")


@pytest.mark.parametrize("args", [["--quiet", "stats", "X"], ["stats", "X", "--quiet"], ["stats", "-q", "X"]])
def test_cli_quiet_anywhere_sets_quiet_mode(run_cli, clean_env, monkeypatch, data_dir, args):
    from augment.core.progress import mode

    monkeypatch.setenv("XNER_NO_PROGRESS", "")
    assert mode() == "lines"
    path = str(data_dir / "conll2003_en" / "eng.testb")
    code, out, _ = run_cli("augment", [path if a == "X" else a for a in args])
    assert code == 0 and "sentences" in out and mode() == "quiet"


@pytest.mark.parametrize("flag", ["--only", "--force"])
def test_cli_dry_run_rejects_a_misspelt_stage_name(run_cli, tmp_path, flag):
    config = REPO / "examples" / "offline-demo.yaml"
    code, out, err = run_cli("pipelines", ["run", str(config), "--workdir", str(tmp_path), "--dry-run",
                                           flag, "trian"])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "no stage named 'trian'" in err and flag in err
    assert "zero-shot" in err and "distilled" in err  # the stage names are listed
    assert not any(tmp_path.iterdir())  # nothing written


def test_cli_dry_run_with_a_real_stage_name_prints_the_plan(run_cli, tmp_path):
    config = REPO / "examples" / "offline-demo.yaml"
    code, out, err = run_cli("pipelines", ["run", str(config), "--workdir", str(tmp_path), "--dry-run",
                                           "--only", "zero-shot"])
    assert code == 0, err
    assert "zero-shot" in out and "distilled" not in out
