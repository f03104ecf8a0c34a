"""Library code leaves process-wide state alone; the CLI entry point sets what it needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_PROBE = r"""
import os, sys, json
import matplotlib
import torch
from transformers.utils import logging as hf_logging

def snapshot():
    umask = os.umask(0o022); os.umask(umask)
    return {"env": dict(os.environ), "umask": umask, "backend": matplotlib.rcParams._get_backend_or_none(),
            "threads": torch.get_num_threads(), "det": torch.are_deterministic_algorithms_enabled(),
            "hf": hf_logging.get_verbosity(), "bars": hf_logging.is_progress_bar_enabled()}

before = snapshot()
from pathlib import Path
from augment.core.fileio import atomic_write
from augment.core.hub import quiet_transformers
from augment.core.seed import set_seed
from ner.hooks import plot_metrics
from pipelines.execute import _job_env, _threads
out = Path(sys.argv[1])
with atomic_write(out / "a.txt") as fh:
    fh.write("x")
set_seed(3)
with quiet_transformers():
    assert hf_logging.get_verbosity() == hf_logging.ERROR
plot_metrics([{"epoch": 1, "loss": 1.0}, {"epoch": 2, "loss": 0.5}], ["loss"], out / "p.png")
with _job_env({"XNER_PROBE": "1"}), _threads(1):
    assert os.environ["XNER_PROBE"] == "1" and torch.get_num_threads() == 1
from pipelines.results import plot
plot({"summary": [{"lang": "yo", "method": "m", "f1": 0.5, "f1_std": 0.1}]}, out / "r.png")
after = snapshot()
diff = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
if "env" in diff:
    b, a = diff["env"]
    diff["env"] = sorted(set(b.items()) ^ set(a.items()))
print(json.dumps(diff, default=str))
"""


def test_process_state_library_changes_no_process_state(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "TRANSFORMERS_VERBOSITY")}
    env.update(PYTHONPATH=str(REPO), OMP_NUM_THREADS="2")
    res = subprocess.run([sys.executable, "-c", _PROBE, str(tmp_path)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().splitlines()[-1] == "{}"
    assert (tmp_path / "p.png").stat().st_size > 0 and (tmp_path / "r.png").stat().st_size > 0


def test_process_state_cli_entry_sets_its_defaults(monkeypatch):
    from augment.core import seed
    from augment.core.process import CLI_ENV, configure_process

    for key in CLI_ENV:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("MPLBACKEND", "pdf")  # the user's own choice wins
    monkeypatch.setattr(seed, "DETERMINISTIC_KERNELS", False)
    configure_process()
    assert os.environ["TRANSFORMERS_VERBOSITY"] == "error" and os.environ["MPLBACKEND"] == "pdf"
    assert seed.DETERMINISTIC_KERNELS is True
