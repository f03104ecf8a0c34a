"""Execution engines: where stage jobs run. ``local`` (in this process) or ``ray`` (Ray tasks).

An engine takes jobs whose inputs are complete (:meth:`Engine.submit`) and hands back finished
ones (:meth:`Engine.wait`); the scheduler in :mod:`pipelines.runner` decides what is ready, so
both engines produce the same outputs in the same cache.
"""

from __future__ import annotations

from typing import Any

from augment.core.errors import ConfigError
from pipelines.engines.base import Engine, Finished

ENGINES = ("local", "ray")
__all__ = ["ENGINES", "Engine", "Finished", "get_engine"]


def get_engine(name: str, **options: Any) -> Engine:
    if name == "local":
        from pipelines.engines.local import LocalEngine

        return LocalEngine()
    if name == "ray":
        from pipelines.engines.ray_engine import RayEngine

        return RayEngine(**options)
    raise ConfigError(f"unknown engine '{name}'; known: {', '.join(ENGINES)}")
