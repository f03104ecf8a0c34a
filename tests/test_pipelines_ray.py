"""``--engine ray`` on a local 2-CPU Ray gives the same outputs (and the same cache) as local."""

from __future__ import annotations

import json
import os

import pytest

from tests.fixtures.pipelines import last_log, output_hashes


@pytest.mark.slow
def test_pipelines_ray_engine_matches_local(quick_config, run_cli, tmp_path, tmp_path_factory, monkeypatch):
    monkeypatch.setenv("RAY_TMPDIR", str(tmp_path_factory.mktemp("ray")))
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    cfg = quick_config()
    code, _, err = run_cli("pipelines", ["run", cfg, "--workdir", tmp_path / "local"])
    assert code == 0, err
    code, _, err = run_cli("pipelines", ["run", cfg, "--workdir", tmp_path / "ray", "--engine", "ray", "--ray-cpus", "2"])
    assert code == 0, err
    assert set(last_log(tmp_path / "ray").values()) == {"ran"}
    assert output_hashes(tmp_path / "ray") == output_hashes(tmp_path / "local")
    manifests = [json.loads(p.read_text()) for p in (tmp_path / "ray").glob("*/*/*/manifest.json")]
    assert os.getpid() not in {m["pid"] for m in manifests}  # the stages ran in Ray workers, not here
    assert {m["nice"] for m in manifests} == {os.nice(0)}  # at our priority, not Ray's default nice 15
    # the same cache: a local run over the Ray work directory does no stage work
    code, _, err = run_cli("pipelines", ["run", cfg, "--workdir", tmp_path / "ray"])
    assert code == 0 and "0 ran, 7 cached" in err
