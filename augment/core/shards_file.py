"""A CLI's ``--shards N``: one unit of sharded work over a file of sentences, written to one output.

The shards run on the core's executor (:mod:`augment.core.shards`), the one the pipelines use.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from augment.core.fileio import atomic_write
from augment.core.shards import Work, run_sharded
from augment.core.state import real_dir, remove_tree


def run_file_sharded(work: Work, slot: str, sentences: list[Any], settings: dict[str, Any], output: str,
                     dest: str | os.PathLike, engine: str = "local", gpus: float = 0,
                     fresh: bool = False) -> dict[str, Any]:
    """Run ``work`` over ``sentences`` (fed to input ``slot``) in ``settings["shards"]`` shards and
    write its output ``output`` to ``dest``; returns the summary (what a CLI's ``--shards N`` calls).

    ``engine``: ``local`` runs the shards in local processes (each with its share of the cores and,
    round robin, of the GPUs ``gpus`` asks for); ``ray`` runs them as Ray tasks on ``RAY_ADDRESS``
    or a local Ray. The work happens under ``dest``'s lock in ``DEST.shards-<fingerprint of
    sentences and settings>/`` beside it: a killed run started again with the same arguments
    resumes there (``fresh``: starts over); it is removed once ``dest`` is written."""
    from augment.core.checkpoint import fingerprint
    from augment.core.errors import ConfigError
    from augment.core.state import CommitSet, output_lock

    if engine not in ("local", "ray"):
        raise ConfigError(f"unknown engine '{engine}'; known: local, ray")
    dest = Path(dest)
    rows = [json.dumps(s.to_dict(), ensure_ascii=False) + "\n" for s in sentences]
    staging = dest.parent / f"{dest.name}.shards-{fingerprint({'rows': rows, 'settings': settings, 'kind': work.kind})[:12]}"
    with output_lock(dest):
        if fresh:
            remove_tree(staging)
        out = real_dir(staging / "out", root=dest.parent)
        corpus = staging / "input.jsonl"
        if not corpus.exists():
            with atomic_write(corpus) as fh:
                fh.writelines(rows)
        n = settings.get("shards") or 1
        if engine == "ray":
            from augment.core.ray_tasks import start_ray

            started = start_ray()
            try:
                summary = run_sharded(work, {slot: corpus}, settings, out, n, executor="ray", gpus=gpus, label=work.kind)
            finally:
                if started:
                    import ray

                    ray.shutdown()
        else:
            summary = run_sharded(work, {slot: corpus}, settings, out, n, executor="processes", gpus=gpus)
        commit = CommitSet(dest)
        commit.add(out / work.outputs[output], dest)
        commit.commit()
        remove_tree(staging)
    return summary
