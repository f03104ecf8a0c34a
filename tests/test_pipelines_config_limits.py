"""A pipeline config's aliases and grid are bounded: one clear line past a limit, checked before
anything is expanded (an 800-byte alias bomb, an 8-variable grid)."""

from __future__ import annotations

import resource
import time

import pytest

from augment.core.errors import ConfigError
from pipelines.config import MAX_GRID, load_config
from pipelines.yamlloc import MAX_VALUES, load_yaml


def _bomb(levels: int = 9) -> str:
    out = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        out.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    out.append(f"stages: *a{levels - 1}")
    return "\n".join(out) + "\n"


def test_pipelines_config_limits_alias_bomb(tmp_path, run_cli):
    cfg = tmp_path / "bomb.yaml"
    cfg.write_text(_bomb(), encoding="utf-8")
    assert len(cfg.read_bytes()) < 800
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    assert time.perf_counter() - t0 < 2 and resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 50_000
    assert err.value.line == 1 and f"more than the limit of {MAX_VALUES:,}" in err.value.message
    code, _, errtext = run_cli("pipelines", ["status", cfg, "--workdir", tmp_path / "w"])
    assert code == 1 and errtext.startswith(f"error: {cfg}:1: aliases expand the document to ")
    assert len(errtext.strip().splitlines()) == 1

    cfg.write_text(_bomb(3), encoding="utf-8")  # 9^3 values: aliases within bounds still work
    data, _ = load_yaml(cfg)
    assert len(data["stages"]) == 9 and data["stages"][0][0] == ["lol"] * 9

    cfg.write_text("a: &a [1, *a]\nstages: {}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="recursive alias"):
        load_yaml(cfg)
    cfg.write_text("stages: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_yaml(cfg)


def test_pipelines_config_limits_grid(tmp_path, run_cli):
    grid = "".join(f"  v{i}: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n" for i in range(8))
    cfg = tmp_path / "grid.yaml"
    cfg.write_text("grid:\n" + grid + "inputs:\n  x: data/${v0}${v1}${v2}${v3}${v4}${v5}${v6}${v7}.txt\n"
                   "stages:\n  s: {kind: prepare, inputs: {corpus: x}}\n", encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    assert time.perf_counter() - t0 < 2
    assert err.value.line == 1
    assert err.value.message == (f"grid: 8 variables give {' x '.join(['10'] * 8)} = 100,000,000 combinations, "
                                 f"more than the limit of {MAX_GRID:,}; narrow it with --grid VAR=VALUE")
    code, _, errtext = run_cli("pipelines", ["status", cfg, "--workdir", tmp_path / "w"])
    assert code == 1 and len(errtext.strip().splitlines()) == 1 and "combinations" in errtext
    # narrowed with --grid, the same config is checked as usual (here: its input files are missing)
    with pytest.raises(ConfigError) as err:
        load_config(cfg, grid={f"v{i}": ["1"] for i in range(5)})
    assert "combinations" not in err.value.message
