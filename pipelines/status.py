"""The state of every stage run of a config in a work directory (for ``pipelines status``)."""

from __future__ import annotations

import os
from typing import Any

from pipelines.config import Config
from pipelines.runner import Pipeline, read_last_log


def pipeline_status(cfg: Config, workdir: str | os.PathLike) -> list[dict[str, Any]]:
    """One row per stage run: ``run``, ``state`` (done, failed, partial, todo, waiting), ``key``, ``detail``."""
    pipe = Pipeline(cfg, workdir)
    last = read_last_log(workdir) or {}
    last_by_run = {e["run"]: e for e in last.get("runs", [])}
    rows = []
    for p in pipe.plan():
        entry = last_by_run.get(p.run.id, {})
        same_key = p.key is not None and entry.get("key") == p.key
        if p.state == "cached":
            state = "done"
            detail = f"({entry['status']} in the last run)" if same_key and entry.get("status") in ("ran", "cached") else ""
        elif same_key and entry.get("status") == "failed":
            state, detail = "failed", entry.get("error", "")
        elif p.key and pipe.rundir(p.run, p.key).partial.exists():
            state, detail = "partial", "interrupted; the next run resumes it"
        elif p.state == "waiting":
            state, detail = "waiting", p.reason
        else:
            state, detail = "todo", p.reason
        rows.append({"run": p.run.id, "stage": p.run.stage, "binding": p.run.binding, "state": state,
                     "key": p.key, "detail": detail})
    return rows
