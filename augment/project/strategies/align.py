"""``align``: source spans carried over word alignments (:func:`augment.project.spans.project_spans`)."""

from __future__ import annotations

from typing import Any

from augment.core.alignment import Alignment
from augment.core.errors import ConfigError
from augment.core.pair import bounded
from augment.project.spans import project_spans
from augment.project.strategies import Found


class Align:
    name = "align"

    def needs_alignment(self, pair: Any) -> bool:
        return True

    def project(self, pair: Any, alignment: Alignment | None, options: Any, stats: Any) -> Found:
        src, tgt = pair.source, pair.target
        if alignment is None:
            raise ConfigError(f"record {pair.id}: projecting through alignments needs an alignment")
        alignment = bounded(alignment, len(src.tokens), len(tgt.tokens), pair.id)
        entities = project_spans(src.tokens, src.spans, tgt.tokens, alignment, options, stats)
        return Found(entities, len(src.spans), "align", alignment)


STRATEGY = Align()
