"""Thread pools sized to the cores a command or a pipeline stage is given, and OpenMP threads
that wait passively (augment/core/process.py; the measurements: benchmarks/shared_cpu.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from augment.core import process

REPO = Path(__file__).resolve().parents[1]
CLEARED = ("OMP_WAIT_POLICY", "XNER_THREADS", *process.THREAD_ENVS)


@pytest.mark.parametrize(("v2", "v1", "want"), [
    ("200000 100000\n", None, 2), ("150000 100000\n", None, 2), ("max 100000\n", None, None),
    (None, ("50000", "100000"), 1), (None, ("-1", "100000"), None), (None, None, None),
])
def test_process_threads_cgroup_quota_in_whole_cores(tmp_path, v2, v1, want):
    v2_file, q, p = tmp_path / "cpu.max", tmp_path / "quota", tmp_path / "period"
    if v2 is not None:
        v2_file.write_text(v2)
    if v1 is not None:
        q.write_text(v1[0])
        p.write_text(v1[1])
    assert process.cgroup_cpus(v2_file, (q, p)) == want


def test_process_threads_budget_is_affinity_or_xner_threads(monkeypatch):
    monkeypatch.delenv("XNER_THREADS", raising=False)
    assert process.cpu_budget() == process.machine_cpus() == min(len(os.sched_getaffinity(0)),
                                                                 process.cgroup_cpus() or 10**6)
    monkeypatch.setenv("XNER_THREADS", "1")
    assert process.cpu_budget() == 1


def test_process_threads_cli_sets_passive_waiting_and_pool_sizes(monkeypatch):
    for key in CLEARED:
        monkeypatch.delenv(key, raising=False)
    process.configure_process()
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    assert {os.environ[k] for k in process.THREAD_ENVS} == {str(process.machine_cpus())}
    # the user's own settings win; XNER_THREADS (the toolkit's knob) sets every pool
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    monkeypatch.setenv("MKL_NUM_THREADS", "7")
    process.configure_process()
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE" and os.environ["MKL_NUM_THREADS"] == "7"
    monkeypatch.setenv("XNER_THREADS", "1")
    process.configure_process()
    assert {os.environ[k] for k in process.THREAD_ENVS} == {"1"}


def test_process_threads_a_command_runs_torch_with_its_budget(tmp_path):
    """A CLI process started with nothing set: torch gets the cores and passive OpenMP; with
    XNER_THREADS=1 one thread (intra- and inter-op, as `ner` commands set both)."""
    code = ("import sys; from augment.core.process import configure_process; configure_process(); "
            "import os, torch; from ner.train import env_threads; env_threads(); "
            "print(torch.get_num_threads(), torch.get_num_interop_threads(), os.environ['OMP_WAIT_POLICY'])")
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env["PYTHONPATH"] = str(REPO)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.stdout.split() == [str(process.machine_cpus())] * 2 + ["PASSIVE"], out.stderr
    env["XNER_THREADS"] = "1"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.stdout.split() == ["1", "1", "PASSIVE"], out.stderr


def test_process_threads_block_sets_torch_and_subprocess_pools_and_restores(monkeypatch):
    import torch

    monkeypatch.delenv("XNER_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    before = torch.get_num_threads()
    with process.threads(1) as n:
        assert n == 1 and torch.get_num_threads() == 1
        assert os.environ["XNER_THREADS"] == os.environ["OMP_NUM_THREADS"] == "1"
        assert process.cpu_budget() == 1
        with process.threads(4) as inner:  # a nested job gets no more than its parent has
            assert inner == 1
    assert torch.get_num_threads() == before and "XNER_THREADS" not in os.environ
    assert os.environ["OMP_NUM_THREADS"] == "2"
    with process.threads(10**4) as n:  # never more threads than cores
        assert n == process.machine_cpus()


def test_process_threads_pipeline_job_runs_with_its_cpus(tmp_path, data_dir):
    """A stage given k cpus runs with k threads (capped at the machine's cores); the manifest says so."""
    from pipelines.config import load_config
    from pipelines.runner import Pipeline

    cfg_file = tmp_path / "c.yaml"
    cfg_file.write_text(f"""name: t
inputs: {{conll: {data_dir}/conll2003_en/eng.train}}
stages:
  one: {{kind: prepare, inputs: {{corpus: conll}}, cpus: 1, settings: {{limit: 5}}}}
  many: {{kind: prepare, inputs: {{corpus: conll}}, cpus: 64, settings: {{limit: 6}}}}
""", encoding="utf-8")
    report = Pipeline(load_config(cfg_file), tmp_path / "w").run()
    threads = {m["stage"]: m["threads"] for m in report.manifests.values()}
    assert threads == {"one": 1, "many": process.cpu_budget()}


def test_process_threads_ray_task_gets_the_cpus_it_was_granted():
    """The Ray engine hands a job the CPU count its task holds (k CPUs: k threads)."""
    from pipelines.engines.ray_engine import RayEngine
    from pipelines.execute import Job

    sent = []

    class Remote:
        def options(self, **kw):
            sent.append(kw)
            return self

        def remote(self, job):
            sent.append(job)
            return object()

    engine = object.__new__(RayEngine)
    engine.has_gpus, engine.cluster_cpus, engine.remote, engine.inflight = False, 2, Remote(), {}
    job = Job(run_id="a", stage="a", kind="prepare", binding={}, binding_label="all", settings={}, inputs={},
              many={}, key="k", workdir=".", version="v", adapter_version="1", cpus=8)
    engine.submit(job)
    assert sent[0]["num_cpus"] == 2 and sent[1].cpus == 2
    engine.submit(Job(**{**job.__dict__, "cpus": None}))
    assert sent[2]["num_cpus"] == 1 and sent[3].cpus == 1


def test_process_threads_eflomal_directions_share_the_budget(monkeypatch):
    """Unseeded eflomal runs its two directions at once, each with half the threads."""
    from align.aligners import eflomal as module

    seen = []

    class Stop(Exception):
        pass

    def fake_popen(cmd, env, **kw):
        seen.append(env["OMP_NUM_THREADS"])
        raise Stop

    monkeypatch.setattr(module.subprocess, "Popen", fake_popen)
    monkeypatch.setenv("XNER_THREADS", "4")
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    with pytest.raises(Stop):
        module.EflomalAligner(seed=None).align([(["a", "house"], ["une", "maison"])])
    assert seen == ["2"]
