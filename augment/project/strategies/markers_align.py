"""``markers+align``: markers where they came back intact, word alignments elsewhere."""

from __future__ import annotations

from typing import Any

from augment.core.alignment import Alignment
from augment.project.strategies import Found
from augment.project.strategies.align import STRATEGY as ALIGN
from augment.project.strategies.markers import STRATEGY as MARKERS


class MarkersThenAlign:
    name = "markers+align"

    def needs_alignment(self, pair: Any) -> bool:
        return not pair.markers_usable

    def project(self, pair: Any, alignment: Alignment | None, options: Any, stats: Any) -> Found:
        return (ALIGN if self.needs_alignment(pair) else MARKERS).project(pair, alignment, options, stats)


STRATEGY = MarkersThenAlign()
