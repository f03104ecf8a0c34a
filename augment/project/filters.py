"""Sentence-level quality filters for projected sentences, with documented thresholds.

Each filter looks at one projected sentence (source spans, projection results, links) and says
whether to drop it. They run in :data:`ORDER`; the first that fires names the drop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from augment.core.alignment import Alignment
from augment.core.errors import ConfigError
from augment.project.spans import Projected

ORDER = ("unaligned_entity", "entity_count", "span_ratio", "coverage")
DEFAULTS: dict[str, float | None] = {"unaligned_entity": None, "entity_count": None,
                                     "span_ratio": 3.0, "coverage": 0.3}


@dataclass
class SentenceView:
    """What the filters see of one sentence."""

    src_len: int
    strategy: str
    entities: Sequence[Projected]
    expected: int                      # entities the target should have (marker spans or source)
    alignment: Alignment | None        # the links used (align strategy)


def parse_filters(disabled: Sequence[str] = (), options: Sequence[str] = ()) -> dict[str, float | None]:
    """Active filters and thresholds from ``--no-filter NAME`` and ``--filter-option NAME=VALUE``."""
    active = dict(DEFAULTS)
    for name in disabled:
        if name == "all":
            return {}
        if name not in DEFAULTS:
            raise ConfigError(f"unknown filter {name!r}; choose from {', '.join(ORDER)}, all")
        active.pop(name, None)
    for item in options:
        name, _, value = item.partition("=")
        if name not in DEFAULTS or DEFAULTS[name] is None:
            raise ConfigError(f"filter option {item!r}: expected span_ratio=R or coverage=C")
        try:
            active[name] = float(value)
        except ValueError:
            raise ConfigError(f"filter option {item!r}: {value!r} is not a number") from None
    return active


def check(view: SentenceView, filters: dict[str, float | None]) -> str | None:
    """Name of the first filter that drops the sentence, or None to keep it."""
    projected = [e for e in view.entities if e.status == "projected"]
    for name in ORDER:
        if name not in filters:
            continue
        if name == "unaligned_entity" and len(projected) < len(view.entities):
            return name
        if name == "entity_count" and len(projected) != view.expected:
            return name
        if name == "span_ratio":
            r = float(filters[name] or 3.0)
            for e in projected:
                ls, lt = e.src.end - e.src.start, e.tgt[1] - e.tgt[0]
                if max(ls, lt) > 2 and not (1 / r <= lt / ls <= r):
                    return name
        if name == "coverage" and view.strategy == "align" and view.alignment is not None and view.src_len:
            covered = len({i for i, _ in view.alignment.links})
            if covered / view.src_len < float(filters[name] or 0.0):
                return name
    return None
