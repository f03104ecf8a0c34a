"""Run one shardable stage on its own, outside a pipeline: what a CLI's ``--shards N`` calls.

The shards run in local processes (``local``) or as Ray tasks (``ray``); see :mod:`pipelines.shards`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from augment.core.errors import ConfigError
from augment.core.record import Sentence
from pipelines.engines.ray_engine import RayEngine
from pipelines.shards import run_stage
from pipelines.stages import get_stage


def run_alone(kind: str, inputs: dict[str, Any], settings: dict[str, Any], staging: Path,
              engine: str = "local") -> tuple[Path, dict[str, Any]]:
    """Run stage ``kind`` sharded outside a pipeline (a CLI's ``--shards``), into ``staging/out``.

    ``engine``: ``local`` runs the shards in local processes (each with its share of the cores and,
    round robin, of the GPUs); ``ray`` runs them as Ray tasks on ``RAY_ADDRESS`` or a local Ray.
    Rerunning with the same ``staging`` resumes. Returns the output directory and the summary.
    """
    if engine not in ("local", "ray"):
        raise ConfigError(f"unknown engine '{engine}'; known: local, ray")
    cls = get_stage(kind)
    settings = {**{k: v.default for k, v in cls.settings.items()}, **settings}
    inputs = {s: inputs.get(s, [] if cls.inputs[s].many else None) for s in cls.inputs}
    out = Path(staging) / "out"
    out.mkdir(parents=True, exist_ok=True)
    if engine == "ray":
        ray_engine = RayEngine(address=os.environ.get("RAY_ADDRESS"))  # starts or joins Ray
        try:
            summary = run_stage(cls, inputs, settings, out, executor="ray", gpus=1 if cls.gpu else 0, label=kind)
        finally:
            ray_engine.close()
    else:
        summary = run_stage(cls, inputs, settings, out, executor="processes", gpus=1 if cls.gpu else 0)
    return out, summary


def run_file_sharded(kind: str, slot: str, sentences: Sequence[Sentence], settings: dict[str, Any],
                     output: str, dest: str | os.PathLike, engine: str = "local") -> dict[str, Any]:
    """Run ``kind`` over ``sentences`` (fed to input ``slot``) in ``settings["shards"]`` shards and
    move its output ``output`` to ``dest``; returns the stage summary.

    The work happens in ``DEST.shards-<fingerprint of sentences and settings>/`` beside ``dest``: a
    killed run started again with the same arguments resumes there; it is removed when done.
    """
    import json

    from augment.core.checkpoint import fingerprint
    from augment.core.fileio import atomic_write

    dest = Path(dest)
    rows = [json.dumps(s.to_dict(), ensure_ascii=False) + "\n" for s in sentences]
    staging = dest.parent / f"{dest.name}.shards-{fingerprint({'rows': rows, 'settings': settings, 'kind': kind})[:12]}"
    corpus = staging / "input.jsonl"
    if not corpus.exists():
        with atomic_write(corpus) as fh:
            fh.writelines(rows)
    out, summary = run_alone(kind, {slot: corpus}, settings, staging, engine)
    os.replace(out / get_stage(kind).outputs[output], dest)
    shutil.rmtree(staging, ignore_errors=True)
    return summary
