"""Entity spans: half-open token ranges ``[start, end)``, the one convention of the toolkit."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """An entity: tokens ``start`` (inclusive) to ``end`` (exclusive) of type ``label``."""

    start: int
    end: int
    label: str
