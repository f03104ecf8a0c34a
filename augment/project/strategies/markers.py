"""``markers``: the spans the translation's entity markers delimit (no alignment)."""

from __future__ import annotations

from typing import Any

from augment.core.alignment import Alignment
from augment.project.markers import project_markers
from augment.project.strategies import Found


class Markers:
    name = "markers"

    def needs_alignment(self, pair: Any) -> bool:
        return False

    def project(self, pair: Any, alignment: Alignment | None, options: Any, stats: Any) -> Found:
        marker_spans = pair.marker_spans or []
        entities = project_markers(pair.source.spans, marker_spans, pair.source.tokens, pair.target.tokens,
                                   reordered="reordered" in pair.marker_issues)
        return Found(entities, len(marker_spans), "markers")


STRATEGY = Markers()
