"""Source entities to target spans through the marker spans of a translation record.

``augment translate`` wraps each source entity in markers and records the target spans they
ended up on (``spans``: ``[start, end, type]``, in target order). The k-th source entity of a
type takes the k-th marker span of that type (translations keep entity order per type far more
often than across types); source entities left without a span are ``marker_missing``.
"""

from __future__ import annotations

from collections.abc import Sequence

from augment.corpus.record import Span
from augment.project.spans import Projected


def project_markers(spans: Sequence[Span], marker_spans: Sequence[Sequence]) -> list[Projected]:
    by_type: dict[str, list[tuple[int, int]]] = {}
    for start, end, label in sorted(marker_spans, key=lambda s: (s[0], s[1])):
        by_type.setdefault(str(label), []).append((int(start), int(end)))
    out = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        queue = by_type.get(span.label, [])
        if queue:
            out.append(Projected(span, queue.pop(0), via="markers"))
        else:
            out.append(Projected(span, None, "dropped", "marker_missing", "markers"))
    return out
