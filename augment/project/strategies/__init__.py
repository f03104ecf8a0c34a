"""Projection strategies: how one pair's source entities are found on its target side.

Each module here that defines ``STRATEGY`` (an object with a ``name``, ``needs_alignment(pair)``
and ``project(pair, alignment, options, stats)``) is one (:class:`augment.core.registry.Registry`):
adding a strategy is adding a module. :func:`augment.project.corpus.project_record` applies the
chosen one and the filters to its result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from augment.core.alignment import Alignment
from augment.core.registry import Registry

#: The strategies, by name (``align``, ``markers``, ``markers+align``).
PARTS = Registry(__name__, "STRATEGY", "strategy")


@dataclass
class Found:
    """What a strategy found for one pair: the projected entities, how many it expected, the method
    that found them (``markers`` or ``align``, what the filters and the report see) and the
    alignment it used (None for markers)."""

    entities: list[Any]
    expected: int
    used: str
    alignment: Alignment | None = None


class Strategy(Protocol):
    name: str

    def needs_alignment(self, pair: Any) -> bool:
        """Whether ``pair`` goes through a word alignment under this strategy."""

    def project(self, pair: Any, alignment: Alignment | None, options: Any, stats: Any) -> Found:
        """The source entities of ``pair`` on its target tokens."""
