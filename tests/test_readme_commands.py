"""The README's two commands: the first runs the default job (offline quickstart), the second is
the test command, and CI runs exactly that command."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text("utf-8")
    return re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)[:2]


def test_readme_ci_runs_exactly_the_readme_test_command():
    install, test = _readme_commands()
    assert "\n" not in test and "pytest" in test
    ci_lines = [line.strip() for line in (REPO / ".ci" / "run").read_text("utf-8").splitlines()]
    assert test in ci_lines
    # the test command makes its own venv and installs what its tests need (chromium included)
    assert test.startswith("python3 -m venv .venv") and "torch==2.13.0" in test and ".ci/system-deps" in test
    assert install.startswith("python3 -m venv .venv") and install.endswith("pipelines run")


def test_readme_default_job_plans_the_quickstart_offline(run_cli, data_dir, tmp_path):
    code, out, err = run_cli("pipelines", ["run", "--dry-run", "--workdir", tmp_path / "qs"])
    assert code == 0, err
    planned = {line.split()[2].split("[")[0] for line in out.splitlines() if line.strip()}
    assert {"zero-shot", "concner", "supervised", "evaluate-concner", "projected", "align"} <= planned
    assert {line.split()[0] for line in out.splitlines() if line.strip()} <= {"run", "waiting"}  # none cached


def test_readme_default_job_names_a_missing_data_folder(run_cli, tmp_path):
    code, out, err = run_cli("pipelines", ["run", "--dry-run", "--var", f"data={tmp_path / 'nothing'}"])
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "--var data=PATH" in lines[0] and str(tmp_path / "nothing") in lines[0]


def test_readme_default_job_data_var_is_relative_to_the_current_directory(run_cli, data_dir, tmp_path,
                                                                          monkeypatch):
    monkeypatch.chdir(data_dir.parent)
    code, out, err = run_cli("pipelines", ["run", "--dry-run", "--var", "data=data", "--workdir", tmp_path / "qs"])
    assert code == 0, err
