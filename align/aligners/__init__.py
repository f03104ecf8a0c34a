"""Word aligners behind one small interface, chosen by name.

An aligner is built with ``get_aligner(name, **options)`` and has ``align(pairs)`` taking
``(source tokens, target tokens)`` pairs and returning one :class:`augment.core.alignment.Alignment` per
pair, and ``info()`` describing its settings. Adding one is adding a module and a line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any, Protocol

from augment.core.alignment import Alignment
from augment.core.errors import ConfigError

ALIGNERS = {
    "eflomal": "align.aligners.eflomal:EflomalAligner",
    "simalign": "align.aligners.simalign:SimAligner",
    "simalign-package": "align.aligners.simalign_package:PackageSimAligner",
}

TokenPair = tuple[Sequence[str], Sequence[str]]


class Aligner(Protocol):
    name: str

    def align(self, pairs: Sequence[TokenPair]) -> list[Alignment]: ...

    def info(self) -> dict[str, Any]: ...


def get_aligner(name: str, **options: Any) -> Aligner:
    """An aligner by name (see :data:`ALIGNERS`); ``options`` go to its constructor."""
    if name not in ALIGNERS:
        raise ConfigError(f"unknown alignment method {name!r}; choose from {', '.join(ALIGNERS)}")
    module, attr = ALIGNERS[name].split(":")
    cls = getattr(importlib.import_module(module), attr)
    try:
        return cls(**options)
    except TypeError as err:
        raise ConfigError(f"bad option for aligner {name!r}: {err}") from None
