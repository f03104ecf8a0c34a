"""Stage adapters, found by name: every module in this package that defines ``STAGE`` is one.

Adding a stage kind is adding a file here with a :class:`~pipelines.stages.base.Stage` subclass
and ``STAGE = ThatClass``. Modules import their heavy libraries inside ``run`` so that loading
the registry (for validation, ``--dry-run``, ``status``) stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil

from augment.core.errors import ConfigError
from pipelines.stages.base import Setting, Slot, Stage

_REGISTRY: dict[str, type[Stage]] = {}
_LOADED = False


def register(cls: type[Stage]) -> type[Stage]:
    """Register a stage class under ``cls.kind`` (used by tests and plug-ins)."""
    _REGISTRY[cls.kind] = cls
    return cls


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        cls = getattr(module, "STAGE", None)
        if cls is not None:
            _REGISTRY.setdefault(cls.kind, cls)
    _LOADED = True


def stage_kinds() -> list[str]:
    _load()
    return sorted(_REGISTRY)


def get_stage(kind: str) -> type[Stage]:
    """The adapter class for ``kind``; an unknown kind is a :class:`ConfigError` listing the known."""
    _load()
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise ConfigError(f"unknown stage kind '{kind}'; known: {', '.join(sorted(_REGISTRY))}") from None


__all__ = ["Setting", "Slot", "Stage", "get_stage", "register", "stage_kinds"]
