"""benchmarks/menyo_report.py reads a run's own files: its held-out table and its wall times come from
the manifests and run log of real ``menyo-pairs`` runs of examples/menyo-transfer.yaml (two of its
stages, run here on the real MENYO-20k and MasakhaNER files), and agree with the stage outputs."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _load(name: str):
    """A module of benchmarks/ without putting that folder on sys.path (its align.py would shadow ``align``)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _table(lines: list[str], stage: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in lines if line.startswith(f"| {stage} |")]


def test_heldout_table_and_wall_time_come_from_the_run(tmp_path):
    from pipelines.config import load_config
    from pipelines.runner import Pipeline

    work = tmp_path / "work"
    pipe = Pipeline(load_config(REPO / "examples" / "menyo-transfer.yaml", variables={"n_pairs": 400}), work)
    report = pipe.run(only=["menyo", "menyo-dev"])

    _load("results_doc")
    menyo_report = _load("menyo_report")
    lines = menyo_report.heldout_section(work)
    rows = {stage: _table(lines, stage) for stage in ("menyo", "menyo-dev", "menyo-test", "encoder")}
    assert rows["menyo-test"] == [] and rows["encoder"] == []  # stages that did not run have no rows
    for stage in ("menyo", "menyo-dev"):
        [(_, name, seen, kept, exact, ngram)] = rows[stage]
        seen, kept, exact, ngram = (int(x.replace(",", "")) for x in (seen, kept, exact, ngram))
        assert seen == kept + exact + ngram
        [run] = [r for r in pipe.runs if r.stage == stage]
        manifest = report.manifests[run.id]
        target = pipe.rundir(run, manifest["key"]).out / manifest["outputs"]["target"]
        assert kept == sum(1 for line in target.read_text("utf-8").splitlines() if line.strip())
        assert name == Path(run.inputs["tsv"][0].path).name
    assert int(rows["menyo"][0][2].replace(",", "")) == 400
    dev_dropped = sum(int(x.replace(",", "")) for x in rows["menyo-dev"][0][4:])
    assert dev_dropped > 0  # MENYO-20k dev shares sentences with MasakhaNER yor test

    times = menyo_report.wall_times(work)
    log = json.loads((work / "last-run.json").read_text("utf-8"))
    ran = [r for r in log["runs"] if r.get("status") == "ran"]
    assert times["invocations"] == 1 and times["runs"] == len(ran) == 2
    assert abs(times["stage_s"] - sum(r["wall_s"] for r in ran)) < 1e-9
    assert set(times["by_stage"]) == {"menyo", "menyo-dev"} and set(times["by_kind"]) == {"menyo-pairs"}
    assert "| menyo-pairs |" in "\n".join(menyo_report.minutes_table(times["by_kind"], "kind"))
