"""Execution engines: where stage jobs run. ``local`` (in this process) or ``ray`` (Ray tasks).

An engine takes jobs whose inputs are complete (:meth:`Engine.submit`) and hands back finished
ones (:meth:`Engine.wait`); the scheduler in :mod:`pipelines.runner` decides what is ready, so
both engines produce the same outputs in the same cache.
"""

from __future__ import annotations

from typing import Any

from augment.errors import ConfigError
from pipelines.execute import Job

ENGINES = ("local", "ray")
Finished = tuple[Job, "dict[str, Any] | None", "BaseException | None"]


class Engine:
    name = ""

    def submit(self, job: Job) -> None:
        raise NotImplementedError

    def wait(self) -> list[Finished]:
        """Block until at least one submitted job finished; return (job, manifest, error) for each."""
        raise NotImplementedError

    def close(self) -> None:
        """Release resources (called once, also after an error)."""


def get_engine(name: str, **options: Any) -> Engine:
    if name == "local":
        from pipelines.engines.local import LocalEngine

        return LocalEngine()
    if name == "ray":
        from pipelines.engines.ray_engine import RayEngine

        return RayEngine(**options)
    raise ConfigError(f"unknown engine '{name}'; known: {', '.join(ENGINES)}")
