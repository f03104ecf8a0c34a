"""Scale inside a stage: cut its input into contiguous sentence shards, run each, merge in order.

A unit of work that splits by sentence (:class:`Work`: what runs one shard, its output files and
its :class:`Sharding`: how each input slot is cut and merged) runs in ``N`` shards with
:func:`run_sharded`. The input is cut into N contiguous shards (sizes differ by at most one; for
work that batches by length, contiguous runs of its batch plan, so every batch is the one an
unsharded run decodes); each shard runs the unchanged work in its own folder under the run's
staging dir (``<out>/../shards/<i>-of-<n>/``, resumable on its own: a finished shard is never run
again, an interrupted one continues through the work's own resume), and the shard outputs are
merged in input order: JSONL outputs concatenated (or put back in place), JSON reports and summaries
merged by summing counts. The merged files are byte-identical to an unsharded run.

Shards run inline (one after another here), in local processes (cores and GPUs shared out) or as
Ray tasks (``ray``: inside a Ray worker, or on ``RAY_ADDRESS`` / a local Ray started here). The
pipelines (``pipelines/shards.py``) declare their stage adapters shardable on top of this; a CLI's
``--shards N`` calls :func:`augment.core.shards_file.run_file_sharded`. This module is core: it
imports no stage.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from operator import eq
from pathlib import Path
from typing import Any

from augment.core.fileio import atomic_write, read_text
from augment.core.ray_tasks import ENV_PREFIXES
from augment.core.state import real_dir, remove_tree, warn

#: Settings that choose how a run executes, not what it writes (left out of cache keys and fingerprints).
EXECUTION_SETTINGS = ("shards",)
#: How a slot is cut: ``corpus`` (sentences of any readable corpus, shards written as JSONL) or
#: ``lines`` (a JSONL or Pharaoh file, one record per line, shards keep the bytes); or a function
#: ``path -> list of JSONL lines`` (one per unit) for inputs the core cannot read (e.g. pair files).
CUTS = ("corpus", "lines")
MERGED = "shards.json"  # beside out/: written once the merge is done (a rerun returns its summary)

Cut = str | Callable[[Path], list[str]]


@dataclass(frozen=True)
class Sharding:
    """A stage's declaration: the slots cut (slot -> cut kind) and its merge hooks."""

    slots: dict[str, Cut]
    #: Shard only when this says so (e.g. align: SimAlign yes, eflomal no: it learns from the whole corpus).
    when: Callable[[dict[str, Any]], bool] | None = None
    #: Settings overridden in every shard (``limit`` is applied before cutting, so it is cleared).
    shard_settings: dict[str, Any] = field(default_factory=lambda: {"limit": None})
    #: ``fix(name, merged, parts) -> merged`` for a JSON output after the generic count merge.
    fix_json: Callable[[str, Any, list[Any]], Any] | None = None
    #: Each shard also gets the uncut inputs in the ``_whole_inputs`` setting (slot -> path), for a
    #: stage that needs corpus-wide statistics (project: link Dice scores) besides its own slice.
    whole: bool = False
    #: ``order(inputs, settings) -> batches``: the unsharded run's batches (sentence indices, in
    #: the order it decodes them). Stages that batch by length give other floats when a batch holds
    #: other sentences; with this hook each shard gets a contiguous run of those batches (so the
    #: same batches), and JSONL outputs are put back in input order.
    order: Callable[[dict[str, Any], dict[str, Any]], list[list[int]]] | None = None
    #: ``finish(out, settings, summaries) -> summary`` after the merge (default: merged counts).
    finish: Callable[[Path, dict[str, Any], list[dict[str, Any]]], dict[str, Any]] | None = None


def _resume_json(path: Path, check: Callable[[Any], bool]) -> Any:
    """A JSON file an interrupted run left (a shard's summary or positions, the merge record) when
    it passes ``check``; None when there is none, and for a damaged one (one warning line: that part
    is redone)."""
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text("utf-8"))
        if check(value):
            return value
    except (OSError, ValueError):
        pass
    warn(f"{path}: damaged resume state; that part is redone")
    return None


def key_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """``settings`` without the execution-only ones (what the cache key hashes)."""
    return {k: v for k, v in settings.items() if k not in EXECUTION_SETTINGS}


@dataclass
class ShardTask:
    """One shard: picklable, run by :func:`run_shard` in any process or Ray worker."""

    kind: str
    target: str  # ``module:attribute`` of the work (see :class:`Work`)
    index: int
    count: int
    dir: str
    inputs: dict[str, Any]
    settings: dict[str, Any]
    cpus: int | None = None
    env: dict[str, str] = field(default_factory=dict)
    outputs: tuple[str, ...] = ()  # files under ``out`` a finished shard holds

    @property
    def out(self) -> Path:
        return Path(self.dir) / "out"


@dataclass(frozen=True)
class Work:
    """A unit of work that can be sharded. ``target`` (``module:attribute``) names what runs it, so
    any process can import it: a class whose instances have ``run(inputs, settings, out)`` (a stage
    adapter) or such a function, returning a small JSON summary; ``outputs``: name -> file under
    ``out`` (JSONL or JSON, merged from the shards); ``sharding``: how it is cut and merged."""

    kind: str
    target: str
    outputs: dict[str, str]
    sharding: Sharding


def _runner(target: str) -> Callable[[dict[str, Any], dict[str, Any], Path], dict[str, Any] | None]:
    import importlib

    module, _, attr = target.partition(":")
    obj: Any = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj().run if isinstance(obj, type) else obj


def run_sharded(work: Work, inputs: dict[str, Any], settings: dict[str, Any], out: Path, n: int, *,
                executor: str | None = None, cpus: int | None = None, gpus: float = 0,
                label: str = "") -> dict[str, Any]:
    """Run ``work`` into ``out`` in ``n`` shards (``n`` 1: as one run); returns the summary.

    ``executor``: ``ray``, ``processes`` or ``inline``; None picks Ray inside a Ray worker, else inline.
    """
    if n == 1:
        return _runner(work.target)(inputs, settings, out) or {}
    done = _resume_json(out.parent / MERGED, lambda r: isinstance(r, dict) and isinstance(r.get("summary"), dict))
    if done is not None and all((out / rel).exists() for rel in work.outputs.values()):
        return done["summary"]
    staging = out.parent / "shards"
    tasks = cut(work, inputs, settings, staging, n, cpus=cpus)
    if tasks is None:  # the slots disagree in length: the work reports that in its own words
        return _runner(work.target)(inputs, settings, out) or {}
    if executor is None:
        from augment.core.ray_tasks import in_ray_worker

        executor = "ray" if in_ray_worker() else "inline"
    t0 = time.perf_counter()
    summaries = execute(tasks, executor, gpus=gpus if settings.get("device") != "cpu" else 0, label=label)
    summary = merge(work, tasks, summaries, settings, out)
    record = {"shards": len(tasks), "executor": executor, "wall_s": round(time.perf_counter() - t0, 3),
              "shard_wall_s": [s.get("_wall_s") for s in summaries],
              "shard_pids": [s.get("_pid") for s in summaries], "summary": summary}
    with atomic_write(out.parent / MERGED) as fh:
        json.dump(record, fh, indent=2, ensure_ascii=False)
    remove_tree(staging)
    return summary


def bounds(total: int, n: int) -> list[tuple[int, int]]:
    """``n`` contiguous ``[start, end)`` ranges covering ``total`` items (sizes differ by at most one)."""
    n = max(1, min(n, total))
    size, extra = divmod(total, n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (i < extra)
        out.append((start, end))
        start = end
    return out


def assign(batches: list[list[int]], n: int) -> list[list[int]]:
    """Cut the sequence of ``batches`` into at most ``n`` contiguous runs of about equal sentence
    counts; each shard's sentence indices, ascending."""
    total = sum(len(b) for b in batches)
    shards: list[list[int]] = []
    current: list[int] = []
    seen = 0
    for batch in batches:
        current += batch
        seen += len(batch)
        if len(shards) < n - 1 and seen * n >= (len(shards) + 1) * total:
            shards.append(sorted(current))
            current = []
    if current:
        shards.append(sorted(current))
    return shards


def cut(work: Work, inputs: dict[str, Any], settings: dict[str, Any], staging: Path, n: int,
        cpus: int | None = None) -> list[ShardTask] | None:
    """Write each shard's slice of the cut slots under ``staging``; None when the run cannot be cut
    (slot lengths differ, a bad ``limit``): the work then runs whole and says what is wrong."""
    spec = work.sharding
    limit = settings.get("limit")
    if limit is not None and limit < 1:
        return None
    units: dict[str, list[str]] = {}
    suffix: dict[str, str] = {}
    for slot, how in spec.slots.items():
        path = inputs.get(slot)
        if path is None:
            continue
        units[slot], suffix[slot] = _read_units(Path(path), how)
        if how != "lines" and limit is not None:
            units[slot] = units[slot][:limit]
    if not units or len({len(u) for u in units.values()}) != 1:
        return None
    total = len(next(iter(units.values())))
    if total == 0:
        return None
    if spec.order is not None:
        batches = spec.order(inputs, settings)
        if sorted(i for b in batches for i in b) != list(range(total)):
            raise RuntimeError(f"{work.kind}: the batch plan does not cover the {total} sentences once each")
        positions = assign(batches, n)
    else:
        positions = [list(range(a, b)) for a, b in bounds(total, n)]
    env = {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIXES)}
    tasks = []
    for i, where in enumerate(positions):
        d = staging / f"{i:03d}-of-{len(positions):03d}"
        real_dir(d / "in", root=staging.parent)  # never through a link planted in the staging dir
        shard_inputs = dict(inputs)
        if spec.order is not None and _resume_json(d / "positions.json", partial(eq, where)) is None:
            (d / "summary.json").unlink(missing_ok=True)  # a shard of other sentences is redone
            with atomic_write(d / "positions.json") as fh:
                json.dump(where, fh)
        for slot, lines in units.items():
            path = d / "in" / f"{slot}{suffix[slot]}"
            text = "".join(lines[p] for p in where)
            if not (d / "summary.json").exists() and not (path.is_file() and read_text(path) == text):
                with atomic_write(path) as fh:
                    fh.write(text)
            shard_inputs[slot] = path
        own = {k: v for k, v in spec.shard_settings.items() if k in settings}  # e.g. no 'limit' for align
        shard_settings = {**settings, **own, "shards": 1}
        if spec.whole:
            shard_settings["_whole_inputs"] = {k: None if v is None else str(v) for k, v in inputs.items()}
        tasks.append(ShardTask(work.kind, work.target, i, len(positions), str(d), shard_inputs, shard_settings,
                               cpus, env, tuple(work.outputs.values())))
    return tasks


def _read_units(path: Path, how: Cut) -> tuple[list[str], str]:
    """One text line per unit (newline-terminated) and the suffix the shard file keeps."""
    if how == "lines":
        lines = read_text(path).splitlines(keepends=True)
        if path.suffix.lower() == ".jsonl":
            lines = [ln for ln in lines if ln.strip()]
        return [ln if ln.endswith("\n") else ln + "\n" for ln in lines], path.suffix
    if how == "corpus":
        from augment.core.io import read_corpus

        sentences = read_corpus(path, repair=True, to_scheme="iob2")
        return [json.dumps(s.to_dict(), ensure_ascii=False) + "\n" for s in sentences], ".jsonl"
    return [ln if ln.endswith("\n") else ln + "\n" for ln in how(path)], ".jsonl"


def run_shard(task: ShardTask) -> dict[str, Any]:
    """Run one shard to completion (or return its summary if an earlier attempt finished it)."""
    done = Path(task.dir) / "summary.json"
    summary = _resume_json(done, lambda r: isinstance(r, dict))
    if summary is not None and all((task.out / rel).is_file() for rel in task.outputs):
        return summary
    for k, v in task.env.items():
        os.environ.setdefault(k, v)
    if "CUDA_VISIBLE_DEVICES" in task.env:  # this process' share of the GPUs, set before CUDA starts
        os.environ["CUDA_VISIBLE_DEVICES"] = task.env["CUDA_VISIBLE_DEVICES"]
    if task.cpus:
        try:
            import torch

            torch.set_num_threads(task.cpus)
        except ImportError:  # pragma: no cover
            pass
    real_dir(task.out, root=Path(task.dir).parent.parent)
    t0 = time.perf_counter()
    summary = _runner(task.target)(task.inputs, dict(task.settings), task.out) or {}
    summary = {**summary, "_wall_s": round(time.perf_counter() - t0, 3), "_pid": os.getpid()}
    with atomic_write(done) as fh:
        json.dump(summary, fh, indent=2, ensure_ascii=False)
    return summary


def execute(tasks: list[ShardTask], executor: str, gpus: float = 0, label: str = "") -> list[dict[str, Any]]:
    """Run every shard (all of them, even after one fails, so each finished one is kept); in order."""
    if executor == "inline":
        return [run_shard(t) for t in tasks]
    if executor == "processes":
        return _in_processes(tasks, gpus)
    if executor == "ray":
        from augment.core.ray_tasks import run_as_ray_tasks

        return _collect(run_as_ray_tasks(run_shard, tasks, gpus, label))
    raise ValueError(f"unknown shard executor '{executor}'")


def _in_processes(tasks: list[ShardTask], gpus: float = 0) -> list[dict[str, Any]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from augment.core.process import cpu_budget

    cores = cpu_budget()  # this process's cores (affinity, cgroup quota, XNER_THREADS)
    devices = _visible_gpus() if gpus else []
    for t in tasks:  # share the cores (and GPUs, round robin) out instead of every process taking all
        t.cpus = t.cpus or max(1, cores // len(tasks))
        if devices:
            t.env["CUDA_VISIBLE_DEVICES"] = devices[t.index % len(devices)]
    with ProcessPoolExecutor(max_workers=len(tasks), mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(run_shard, t) for t in tasks]
        return _collect([f.exception() or f.result() for f in futures])


def _visible_gpus() -> list[str]:
    """The GPUs this process may use, as CUDA_VISIBLE_DEVICES entries (none without torch or CUDA)."""
    try:
        import torch

        count = torch.cuda.device_count()
    except Exception:  # no torch, no driver: no GPU
        return []
    listed = [d for d in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if d.strip()]
    return (listed or [str(i) for i in range(count)])[:count]


def _collect(results: list[Any]) -> list[dict[str, Any]]:
    """The summaries, or the first shard's error once every shard has finished or failed."""
    for r in results:
        if isinstance(r, BaseException):
            raise r
    return results


def merge(work: Work, tasks: list[ShardTask], summaries: list[dict[str, Any]], settings: dict[str, Any],
          out: Path) -> dict[str, Any]:
    """Merge the shard outputs into ``out`` (atomically, in shard order); returns the run's summary."""
    spec = work.sharding
    for name, rel in work.outputs.items():
        parts = [t.out / rel for t in tasks]
        with atomic_write(out / rel) as fh:
            if rel.endswith(".jsonl") and spec.order is not None:  # back into input order
                placed: dict[int, str] = {}
                for t, p in zip(tasks, parts, strict=True):
                    where = json.loads((Path(t.dir) / "positions.json").read_text("utf-8"))
                    lines = p.read_text("utf-8").splitlines(keepends=True)
                    if len(lines) != len(where):
                        raise RuntimeError(f"shard {t.index}: {len(lines)} lines in {rel} for {len(where)} sentences")
                    placed.update(zip(where, lines))
                fh.writelines(placed[k] for k in sorted(placed))
            elif rel.endswith(".jsonl"):
                for p in parts:
                    fh.write(p.read_text("utf-8"))
            else:
                loaded = [json.loads(p.read_text("utf-8")) for p in parts]
                merged = merge_counts(loaded)
                if spec.fix_json is not None:
                    merged = spec.fix_json(name, merged, loaded)
                json.dump(merged, fh, ensure_ascii=False, indent=2)
    clean = [{k: v for k, v in s.items() if k not in ("_wall_s", "_pid")} for s in summaries]
    if spec.finish is not None:
        return spec.finish(out, settings, clean)
    return merge_counts(clean)


def merge_counts(parts: list[Any]) -> Any:
    """Merge same-shaped JSON values: numbers summed, lists concatenated, mappings key by key (keys
    in order of first appearance, which is the unsharded run's order), equal values kept."""
    if all(isinstance(p, dict) for p in parts):
        out: dict[str, Any] = {}
        for p in parts:
            for k in p:
                if k not in out:
                    out[k] = merge_counts([q[k] for q in parts if k in q])
        return out
    if all(isinstance(p, (int, float)) and not isinstance(p, bool) for p in parts):
        return sum(parts)
    if all(isinstance(p, list) for p in parts):
        return [x for p in parts for x in p]
    if all(p == parts[0] for p in parts):
        return parts[0]
    raise ValueError(f"shards disagree on a value that cannot be summed: {parts[:3]!r}")
