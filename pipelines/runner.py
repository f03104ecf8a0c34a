"""Plan and run a pipeline: decide which stage runs are cached, submit the rest to an engine.

The scheduler runs in this process for every engine: a run becomes ready when every run it
reads is complete; its key is computed then (from the recorded hashes of those outputs), so a
rerun of an upstream stage that gives byte-identical output leaves everything downstream cached.
Every event is written to ``WORKDIR/runs/<start time>.json`` (and ``WORKDIR/last-run.json``):
per stage run ``ran``, ``cached``, ``failed`` or ``blocked``, with its key and why it ran.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from augment.core.errors import ModelError, XnerError
from augment.core.fileio import atomic_write
from augment.core.state import OutputLock, output_lock, real_dir
from pipelines.cache import (
    RunDir,
    explain_change,
    input_hash,
    run_key,
    stage_code,
    toolkit_version,
)
from pipelines.config import Config
from pipelines.execute import Job
from pipelines.graph import FileInput, StageRun, build_graph, select
from pipelines.stages import get_stage

_ENV_PREFIXES = ("HF_", "TRANSFORMERS_", "XNER_", "TOKENIZERS_")


@dataclass
class Planned:
    run: StageRun
    state: str  # cached | run | waiting
    key: str | None
    reason: str


@dataclass
class RunReport:
    workdir: Path
    log_path: Path
    entries: list[dict[str, Any]] = field(default_factory=list)
    manifests: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: dict[str, Any] | None = None
    wall_s: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e["status"] == status)


class Pipeline:
    """The runs of one config in one work directory, and what the cache knows about them."""

    def __init__(self, cfg: Config, workdir: str | os.PathLike):
        self.cfg = cfg
        self.workdir = Path(workdir).resolve()
        self.runs = build_graph(cfg)
        self.by_id = {r.id: r for r in self.runs}
        self.version = toolkit_version()

    def stages(self) -> list[str]:
        return list(dict.fromkeys(r.stage for r in self.runs))

    def inputs_of(self, run: StageRun, done: dict[str, dict]) -> dict[str, list[dict[str, str]]] | None:
        """Each input slot's paths and content hashes; None while an upstream run is not complete."""
        out: dict[str, list[dict[str, str]]] = {}
        for slot, items in run.inputs.items():
            infos = []
            for item in items:
                if isinstance(item, FileInput):
                    infos.append({"path": str(item.path), "hash": input_hash(item.path), "from": None})
                else:
                    m = done.get(item.run_id)
                    if m is None:
                        return None
                    up = self.by_id[item.run_id]
                    rd = RunDir(self.workdir, up.stage, up.binding_label, m["key"])
                    infos.append({"path": str(rd.out / m["outputs"][item.output]),
                                  "hash": m["output_hashes"][item.output], "from": item.run_id})
            out[slot] = infos
        return out

    def key_of(self, run: StageRun, inputs: dict[str, list[dict[str, str]]]) -> str:
        hashes = {slot: [i["hash"] for i in items] for slot, items in inputs.items()}
        cls = get_stage(run.kind)
        return run_key(run.kind, cls.version, run.settings, hashes, self.version, stage_code(cls))

    def rundir(self, run: StageRun, key: str) -> RunDir:
        return RunDir(self.workdir, run.stage, run.binding_label, key)

    def why(self, run: StageRun, rd: RunDir, inputs: dict[str, list[dict[str, str]]]) -> str:
        if rd.partial.exists():
            return "an interrupted attempt with this key exists (resumes)"
        if rd.damage is not None:
            return f"its cache entry is damaged ({rd.damage})"
        if (rd.final / "manifest.json").exists():
            return "an output of this run was deleted or changed since it was written"
        older = rd.siblings()
        if not older:
            return "never ran"
        hashes = {slot: [i["hash"] for i in items] for slot, items in inputs.items()}
        cls = get_stage(run.kind)
        return explain_change(older[0], run.settings, hashes, cls.version, self.version, stage_code(cls))

    def plan(self, only: list[str] | None = None, force: list[str] | None = None) -> list[Planned]:
        """What a run would do now, without doing it."""
        force = force or []
        done: dict[str, dict] = {}
        plan: list[Planned] = []
        will_run: set[str] = set()
        for run in select(self.runs, only):
            inputs = self.inputs_of(run, done)
            if inputs is None:
                waiting = [d for d in run.deps if d in will_run]
                will_run.add(run.id)
                plan.append(Planned(run, "waiting", None, f"after {', '.join(waiting)} (runs if that output changes)"))
                continue
            key = self.key_of(run, inputs)
            rd = self.rundir(run, key)
            manifest = rd.manifest(get_stage(run.kind).outputs)
            if manifest is not None and run.stage not in force:
                done[run.id] = manifest
                plan.append(Planned(run, "cached", key, "output with this key exists"))
            else:
                will_run.add(run.id)
                reason = "forced" if run.stage in force else self.why(run, rd, inputs)
                plan.append(Planned(run, "run", key, reason))
        return plan

    def run(self, engine: str = "local", only: list[str] | None = None, force: list[str] | None = None,
            echo: Callable[[str], None] | None = None, **engine_options: Any) -> RunReport:
        """Run every selected stage run that is not cached; returns the report (raises on failures)."""
        from pipelines.engines import get_engine

        echo = echo or (lambda s: None)
        force = set(force or [])
        for name in list(force) + list(only or []):
            if name not in self.stages():
                raise XnerError(f"no stage named '{name}' in this config (stages: {', '.join(self.stages())})")
        started = datetime.now(timezone.utc)
        t0 = time.perf_counter()
        report = RunReport(self.workdir, self.workdir / "runs" / f"{started:%Y%m%dT%H%M%S}-{os.getpid()}.json")
        log = _Log(report, self, engine, started)
        pending = list(select(self.runs, only))
        failed: set[str] = set()
        done = report.manifests
        env = {k: v for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES)}
        lock = _lock(self.workdir)
        try:
            eng = get_engine(engine, **engine_options)
        except BaseException:
            lock.release()
            raise
        inflight = 0
        stopped: str | None = None  # a model failed to load: start nothing more
        stopped_by = ""
        try:
            while pending or inflight:
                for run in list(pending):
                    if stopped is not None:
                        pending.remove(run)
                        failed.add(run.id)
                        log.add(run, "blocked", None, reason=f"not started: {stopped}")
                        continue
                    if any(d in failed for d in run.deps):
                        pending.remove(run)
                        failed.add(run.id)
                        log.add(run, "blocked", None, reason="an input stage failed")
                        continue
                    inputs = self.inputs_of(run, done)
                    if inputs is None:
                        continue
                    pending.remove(run)
                    key = self.key_of(run, inputs)
                    rd = self.rundir(run, key)
                    manifest = rd.manifest(get_stage(run.kind).outputs)
                    if manifest is not None and run.stage not in force:
                        done[run.id] = manifest
                        log.add(run, "cached", key)
                        echo(f"cached  {run.id}  {key[:16]}")
                        continue
                    reason = "forced" if run.stage in force else self.why(run, rd, inputs)
                    echo(f"run     {run.id}  ({reason})")
                    log.add(run, "queued", key, reason=reason)
                    eng.submit(self._job(run, key, inputs, env, fresh=run.stage in force))
                    inflight += 1
                if not inflight:
                    break
                for job, manifest, err in eng.wait():
                    inflight -= 1
                    run = self.by_id[job.run_id]
                    if err is None:
                        done[run.id] = manifest
                        log.add(run, "ran", job.key, wall_s=manifest["wall_s"])
                        echo(f"ran     {run.id}  {manifest['wall_s']:.1f} s")
                    else:
                        failed.add(run.id)
                        message = err.message if isinstance(err, XnerError) else f"{type(err).__name__}: {err}"
                        if isinstance(err, XnerError) and err.path:
                            message = str(err)
                        log.add(run, "failed", job.key, error=message,
                                traceback="".join(traceback.format_exception(err)))
                        if isinstance(err, ModelError):
                            # the same model would fail every other job that needs it: stop here,
                            # and say it once (the final error line carries the message)
                            if stopped is None:
                                stopped, stopped_by = f"a model failed in {run.id}", run.id
                                echo(f"FAILED  {run.id}: stopping the run (model error)")
                                for queued in eng.cancel_queued():
                                    inflight -= 1
                                    failed.add(queued.run_id)
                                    log.add(self.by_id[queued.run_id], "blocked", queued.key,
                                            reason=f"not started: {stopped}")
                        else:
                            echo(f"FAILED  {run.id}: {message}")
        except BaseException:
            log.interrupted()
            raise
        finally:
            eng.close()
            lock.release()
        report.wall_s = time.perf_counter() - t0
        if not failed:
            report.results = self.write_results(report)
        log.finish(report.wall_s)
        if failed:
            first = next(e for e in report.entries if e["status"] == "failed")
            if stopped is not None:
                first = report.entries[log.index[stopped_by]]
                raise ModelError(f"{first['error']} (stage run {first['run']}; nothing else was started; "
                                 f"log: {report.log_path})")
            raise XnerError(f"{len(failed)} stage run(s) failed or blocked; first: {first['run']}: "
                            f"{first['error']} (log: {report.log_path})")
        return report

    def _job(self, run: StageRun, key: str, inputs: dict, env: dict[str, str], fresh: bool = False) -> Job:
        cls = get_stage(run.kind)
        cpus = run.cpus if isinstance(run.cpus, int) else None
        return Job(run_id=run.id, stage=run.stage, kind=run.kind, binding=run.binding,
                   binding_label=run.binding_label, settings=run.settings, inputs=inputs, many=run.many,
                   key=key, workdir=str(self.workdir.resolve()), version=self.version,
                   adapter_version=cls.version, cpus=cpus, gpus=run.gpus, label=run.label, env=env,
                   code_files=stage_code(cls), fresh=fresh)

    def write_results(self, report: RunReport) -> dict[str, Any] | None:
        from pipelines.results import write_results

        # the label as the config names it now (a cached manifest keeps the one of its run)
        manifests = [{**report.manifests[r.id], "label": r.label} for r in self.runs if r.id in report.manifests]
        return write_results(manifests, self.workdir / "results", title=self.cfg.name, config=self.cfg.raw)


def _lock(workdir: Path) -> OutputLock:
    """Hold ``WORKDIR/.lock`` for the run (the state layer's output lock): two runs in one work
    directory would share partial dirs."""
    real_dir(workdir)
    return output_lock(workdir, "work directory", file=workdir / ".lock",
                       busy="another 'pipelines run'{who} is using this work directory; wait for it or use "
                            "another --workdir")


class _Log:
    """The run log, rewritten atomically after every event so a killed run leaves a true record."""

    def __init__(self, report: RunReport, pipeline: Pipeline, engine: str, started: datetime):
        self.report = report
        self.head = {"config": str(pipeline.cfg.path), "name": pipeline.cfg.name, "engine": engine,
                     "toolkit_version": pipeline.version, "started": started.isoformat(timespec="seconds"),
                     "status": "running"}  # of the whole run
        self.index: dict[str, int] = {}

    def add(self, run: StageRun, status: str, key: str | None, **extra: Any) -> None:
        entry = {"run": run.id, "stage": run.stage, "kind": run.kind, "binding": run.binding,
                 "key": key, "status": status, **extra}
        if run.id in self.index:
            self.report.entries[self.index[run.id]].update(entry)
        else:
            self.index[run.id] = len(self.report.entries)
            self.report.entries.append(entry)
        self.write()

    def interrupted(self) -> None:
        for e in self.report.entries:
            if e["status"] == "queued":
                e["status"] = "interrupted"
        self.head["status"] = "interrupted"
        self.write()

    def finish(self, wall_s: float) -> None:
        bad = any(e["status"] in ("failed", "blocked") for e in self.report.entries)
        self.head.update(status="failed" if bad else "complete", wall_s=round(wall_s, 3),
                         ran=self.report.count("ran"), cached=self.report.count("cached"))
        self.write()

    def write(self) -> None:
        data = {**self.head, "runs": self.report.entries}
        for path in (self.report.log_path, self.report.workdir / "last-run.json"):
            with atomic_write(path) as fh:
                json.dump(data, fh, indent=2, ensure_ascii=False, default=str)


def read_last_log(workdir: str | os.PathLike) -> dict[str, Any] | None:
    """The last run's log, or None when there is none or it is not of the shape this module writes
    (a damaged log only loses ``pipelines status`` its "ran in the last run" details)."""
    try:
        log = json.loads((Path(workdir) / "last-run.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    runs = log.get("runs") if isinstance(log, dict) else None
    if not isinstance(runs, list) or not all(isinstance(e, dict) and isinstance(e.get("run"), str) for e in runs):
        return None
    return log
