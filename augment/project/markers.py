"""Source entities to target spans through the marker spans of a translation record.

``augment translate`` wraps each source entity in markers and records the target spans they
ended up on (``spans``: ``[start, end, type]``, in target order, typed by source order). The k-th
source entity of a type takes the k-th marker span of that type. When the translation says the
entities came back in another order (``reordered``), same-type entities are matched by surface
similarity instead. Source entities left without a span are ``marker_missing``.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from augment.core.record import Span
from augment.project.spans import Projected


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def project_markers(spans: Sequence[Span], marker_spans: Sequence[Span],
                    src_tokens: Sequence[str] | None = None, tgt_tokens: Sequence[str] | None = None,
                    reordered: bool = False) -> list[Projected]:
    by_type: dict[str, list[tuple[int, int]]] = {}
    for m in sorted(marker_spans, key=lambda s: (s.start, s.end)):
        by_type.setdefault(m.label, []).append((m.start, m.end))
    out = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        queue = by_type.get(span.label, [])
        if not queue:
            out.append(Projected(span, None, "dropped", "marker_missing", "markers"))
            continue
        pick = 0
        if reordered and len(queue) > 1 and src_tokens is not None and tgt_tokens is not None:
            surface = " ".join(src_tokens[span.start:span.end])
            scores = [_similarity(surface, " ".join(tgt_tokens[a:b])) for a, b in queue]
            pick = scores.index(max(scores))
        out.append(Projected(span, queue.pop(pick), via="markers"))
    return out
