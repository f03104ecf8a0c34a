"""Run one stage job: the unit of work both engines execute (in-process or as a Ray task).

A :class:`Job` is plain, picklable data: the stage kind, its resolved settings, the input paths,
its key and the directories. :func:`run_job` runs the adapter into the partial directory,
hashes the outputs, writes the manifest and renames the directory into place.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pipelines.cache import RunDir, content_hash
from pipelines.shards import run_stage


@dataclass
class Job:
    run_id: str
    stage: str
    kind: str
    binding: dict[str, Any]
    binding_label: str
    settings: dict[str, Any]
    inputs: dict[str, list[dict[str, str]]]  # slot -> [{"path": ..., "hash": ..., "from": run id or None}]
    many: dict[str, bool]
    key: str
    workdir: str
    version: str
    adapter_version: str
    cpus: int | None = None
    gpus: float = 0
    label: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    code_files: dict[str, str] = field(default_factory=dict)
    fresh: bool = False  # --force: discard an interrupted attempt instead of resuming it


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def run_job(job: Job) -> dict[str, Any]:
    """Run ``job`` to completion and return its manifest (raises what the stage raises)."""
    with _job_env(job.env), _threads(job.cpus) as cpus:
        return _run(job, cpus)


def _run(job: Job, cpus: int) -> dict[str, Any]:
    from pipelines.stages import get_stage

    cls = get_stage(job.kind)
    rd = RunDir(job.workdir, job.stage, job.binding_label, job.key)
    out = rd.start(fresh=job.fresh)
    inputs: dict[str, Any] = {}
    for slot, items in job.inputs.items():
        paths = [Path(i["path"]) for i in items]
        inputs[slot] = paths if job.many[slot] else paths[0]
    for slot in cls.inputs:
        inputs.setdefault(slot, [] if cls.inputs[slot].many else None)
    started, t0 = now(), time.perf_counter()
    # shards ask for the job's own cpus (a Ray coordinator holds none: its shard tasks do)
    summary = run_stage(cls, inputs, dict(job.settings), out, cpus=job.cpus, gpus=job.gpus, label=job.run_id)
    wall = time.perf_counter() - t0
    output_hashes = {}
    for name, rel in cls.outputs.items():
        target = out / rel
        if not target.exists():
            raise RuntimeError(f"stage {job.kind} did not write its output '{name}' ({rel})")
        output_hashes[name] = content_hash(target)
    manifest = {
        "status": "complete",
        "run": job.run_id,
        "stage": job.stage,
        "kind": job.kind,
        "label": job.label,
        "binding": job.binding,
        "key": job.key,
        "inputs": job.inputs,
        "settings": job.settings,
        "outputs": dict(cls.outputs),
        "output_hashes": output_hashes,
        "summary": summary,
        "toolkit_version": job.version,
        "adapter_version": job.adapter_version,
        "code_files": job.code_files,
        "started": started,
        "finished": now(),
        "wall_s": round(wall, 3),
        "dir": str(rd.final),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "nice": os.nice(0),
        "threads": cpus,
    }
    manifest = _unstage(manifest, str(rd.partial), str(rd.final))
    rd.finalize(manifest)
    return manifest


def _unstage(value: Any, staging: str, final: str) -> Any:
    """``value`` with every path inside the staging folder moved to the final one (a manifest must
    name only paths that exist after the run)."""
    if isinstance(value, str):
        return value.replace(staging, final)
    if isinstance(value, dict):
        return {k: _unstage(v, staging, final) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_unstage(v, staging, final) for v in value]
    return value


@contextlib.contextmanager
def _job_env(env: dict[str, str]) -> Iterator[None]:
    """The pipeline's ``HF_``/``XNER_`` variables for a job run in a fresh (Ray) worker; variables
    already set win, and the process's environment is restored afterwards."""
    added = {k: v for k, v in env.items() if k not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


def _threads(cpus: int | None) -> contextlib.AbstractContextManager[int]:
    """The job's threads: ``cpus`` (capped at the cores this process has; none given: all of
    them) for torch and, through ``XNER_THREADS`` and the OpenMP variables, for the subprocesses
    a stage starts (eflomal); restored afterwards (:func:`augment.core.process.threads`)."""
    from augment.core.process import threads

    return threads(cpus)
