"""Pieces shared by the scripts that write a docs/results/NAME.md from a finished pipeline run
(benchmarks/seed_report.py, benchmarks/menyo_report.py): the run's manifests, its results CSVs,
the copies of its files beside the document, F1 cells and the wall time from its run logs. The
numbers all come from the run's own files, never typed in by hand.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "results"


def manifests(work: Path, stage: str, *, current: bool = False) -> list[dict]:
    """The manifests of ``stage``'s runs, each with ``_dir``: the folder holding it and its outputs.
    ``current``: only the runs the last ``pipelines run`` used (a work directory can keep older ones)."""
    found = [{**json.loads(p.read_text("utf-8")), "_dir": str(p.parent)}
             for p in sorted((work / stage).glob("*/*/manifest.json"))]
    if not current:
        return found
    used = {r["key"] for r in json.loads((work / "last-run.json").read_text("utf-8"))["runs"]}
    return [m for m in found if m["key"] in used]


def require_run(work: Path, config: str) -> None:
    """One line and exit 1 unless ``work`` holds a finished run (its ``results/summary.csv``)."""
    if not (work / "results" / "summary.csv").is_file():
        raise SystemExit(f"error: {work}: no results/summary.csv here; give the work directory of a finished "
                         f"`pipelines run {config}`")


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def num(row: dict, key: str) -> float:
    """A CSV cell as a float (NaN when empty or missing)."""
    return float(row[key]) if row.get(key) not in (None, "") else float("nan")


def mean_std(row: dict, key: str) -> str:
    """``0.250 ± 0.019`` from a summary row's ``key`` and ``key_std``."""
    return f"{num(row, key):.3f} ± {num(row, key + '_std'):.3f}"


def copy_run_files(work: Path, name: str, config: Path) -> None:
    """The run's results CSVs and plot, and ``config`` (the config as run), beside NAME.md."""
    results = work / "results"
    for file in ("summary.csv", "results.csv", "projection.csv"):
        if (results / file).exists():
            shutil.copyfile(results / file, OUT / f"{name}.{file}")
    if (results / "f1.png").exists():
        shutil.copyfile(results / "f1.png", OUT / f"{name}.png")
    shutil.copyfile(config, OUT / f"{name}.yaml")


def wall_times(work: Path) -> dict:
    """From the run logs (``WORKDIR/runs/*.json``): the invocations' wall time (``wall_s``, and
    ``invocations``), the stage runs that ran (``runs``, cached ones do not count) and their summed
    wall time (``stage_s``), by stage (``by_stage``, all grid values together) and by kind (``by_kind``)."""
    by_stage: dict[str, float] = defaultdict(float)
    by_kind: dict[str, float] = defaultdict(float)
    out = {"wall_s": 0.0, "invocations": 0, "runs": 0, "stage_s": 0.0, "by_stage": by_stage, "by_kind": by_kind}
    for log in sorted((work / "runs").glob("*.json")):
        d = json.loads(log.read_text("utf-8"))
        out["wall_s"] += d.get("wall_s") or 0.0
        out["invocations"] += 1
        for r in d["runs"]:
            if r.get("status") == "ran" and r.get("wall_s"):
                by_stage[r["run"].split("[")[0]] += r["wall_s"]
                by_kind[r.get("kind") or "?"] += r["wall_s"]
                out["stage_s"] += r["wall_s"]
                out["runs"] += 1
    return out


def minutes_table(seconds: dict[str, float], head: str, most: int | None = None) -> list[str]:
    """``| head | min |`` rows, largest first (``most`` of them at most)."""
    rows = sorted(seconds.items(), key=lambda kv: -kv[1])[:most]
    return [f"| {head} | min |", "|---|---|"] + [f"| {k} | {s / 60:.1f} |" for k, s in rows]
