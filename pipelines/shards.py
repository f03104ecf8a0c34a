"""Sharded stage runs: a stage adapter declares how it splits by sentence; the core runs it.

A stage whose work splits by sentence declares it in one line on its adapter, e.g.
``@shardable(corpus="corpus")``: that adds the ``shards`` setting and says how each input slot is
cut (``corpus``, ``lines`` or a function; see :class:`augment.core.shards.Sharding`). With
``shards: N`` (N > 1) :func:`run_stage` hands the adapter to the core's shard executor
(:func:`augment.core.shards.run_sharded`), which cuts the input, runs each shard in its own
directory under the run's staging dir (``.partial-<key>/shards/<i>-of-<n>/``, resumable on its
own) and merges the outputs in input order into the bytes of one unsharded run, so ``shards`` is
not part of the cache key (:func:`key_settings`).

Shards run as parallel Ray tasks inside a Ray worker (one GPU each when the cluster has GPUs and
the stage's device is not ``cpu``), else one after another in this process (the local engine).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import Setting
from augment.core.shards import CUTS, EXECUTION_SETTINGS, Sharding, Work, key_settings, run_sharded

__all__ = ["EXECUTION_SETTINGS", "SHARDS", "key_settings", "requested", "run_stage", "shardable"]

SHARDS = Setting(int, 1, "cut the input into this many contiguous shards, run in parallel (Ray: one "
                         "task each) and merged in order into the same bytes as one run")


def shardable(when=None, shard_settings=None, fix_json=None, finish=None, whole=False, order=None,
              spec: Sharding | None = None, **slots):
    """Class decorator declaring a stage shardable by sentence: ``@shardable(corpus="corpus")``, or
    ``@shardable(spec=SHARDING)`` with a :class:`Sharding` declared beside the stage's library code."""
    for slot, cut in slots.items():
        if not callable(cut) and cut not in CUTS:
            raise ValueError(f"cut '{cut}' of slot '{slot}': expected a function or one of {', '.join(CUTS)}")

    def declare(cls):
        for name, rel in cls.outputs.items():
            if not rel.endswith((".jsonl", ".json")):
                raise ValueError(f"{cls.kind}: output '{name}' ({rel}) cannot be merged from shards")
        extra = {} if shard_settings is None else {"shard_settings": {"limit": None, **shard_settings}}
        cls.sharding = spec or Sharding(dict(slots), when=when, fix_json=fix_json, finish=finish, whole=whole,
                                        order=order, **extra)
        cls.settings = {**cls.settings, "shards": SHARDS}
        return cls

    return declare


def requested(cls, settings: dict[str, Any]) -> int:
    """How many shards a run of ``cls`` with ``settings`` asks for (1: run unsharded)."""
    from augment.core.errors import ConfigError

    spec: Sharding | None = getattr(cls, "sharding", None)
    n = settings.get("shards") or 1
    if n < 1:
        raise ConfigError(f"shards must be at least 1, got {n}")
    if spec is None or n == 1 or (spec.when is not None and not spec.when(settings)):
        return 1
    return n


def run_stage(cls, inputs: dict[str, Any], settings: dict[str, Any], out: Path, *, executor: str | None = None,
              cpus: int | None = None, gpus: float = 0, label: str = "") -> dict[str, Any]:
    """Run the adapter ``cls`` into ``out``, sharded when its settings ask for it; returns the summary.

    ``executor``: ``ray``, ``processes`` or ``inline``; None picks Ray inside a Ray worker, else inline.
    """
    n = requested(cls, settings)
    if n == 1:
        return cls().run(inputs, settings, out) or {}
    work = Work(cls.kind, f"{cls.__module__}:{cls.__qualname__}", dict(cls.outputs), cls.sharding)
    return run_sharded(work, inputs, settings, out, n, executor=executor, cpus=cpus, gpus=gpus, label=label)
