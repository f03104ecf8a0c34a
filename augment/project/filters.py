"""Sentence-level quality filters for projected sentences, with documented thresholds.

Each filter looks at one projected sentence (tokens, source spans, projection results, links) and
says whether to drop it. They run in :data:`ORDER`; the first that fires names the drop. Each is
declared once in :data:`FILTERS` (name, default threshold, what it drops); the CLI help, the
pipeline settings and the docs tables take them from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from augment.core.alignment import Alignment
from augment.core.errors import ConfigError
from augment.project.spans import Projected


@dataclass(frozen=True)
class Filter:
    """One filter: ``default`` is its threshold (``None``: it has none), ``drops`` says when it fires."""

    name: str
    default: float | None
    drops: str


FILTERS = (
    Filter("repetition", 5.0, "the translation repeats a token or n-gram back to back in at least this many "
           "more tokens than its source does (a degenerate MT output)"),
    Filter("unaligned_entity", None, "a source entity could not be projected"),
    Filter("entity_count", None, "projected entities differ in number from marker spans (markers) or "
           "source entities (align)"),
    Filter("span_ratio", 3.0, "an entity's target/source length ratio is outside [1/r, r] (spans of at most "
           "2 tokens on both sides pass)"),
    Filter("coverage", 0.3, "under this share of source tokens have an alignment link (align only)"),
)
ORDER = tuple(f.name for f in FILTERS)
DEFAULTS: dict[str, float | None] = {f.name: f.default for f in FILTERS}
THRESHOLDS = ", ".join(f"{f.name}={f.default:g}" for f in FILTERS if f.default is not None)


def repeated_tokens(tokens: Sequence[str]) -> int:
    """How many tokens repeat, back to back, the n-gram just before them (any n, case-insensitive):
    ``bá bá bá`` has 2, ``a b a b a b`` 4, a sentence said twice half its tokens.

    Scanned left to right: at each position the n-gram whose back-to-back copies cover the most
    tokens is taken, and the scan continues after its last copy."""
    toks = [t.casefold() for t in tokens]
    n_tok, i, repeated = len(toks), 0, 0
    while i < n_tok:
        best_copies, best_n = 1, 1
        for n in range(1, (n_tok - i) // 2 + 1):
            copies, j = 1, i + n
            while j + n <= n_tok and toks[j:j + n] == toks[i:i + n]:
                copies, j = copies + 1, j + n
            if (copies - 1) * n > (best_copies - 1) * best_n:
                best_copies, best_n = copies, n
        repeated += (best_copies - 1) * best_n
        i += best_copies * best_n
    return repeated


@dataclass
class SentenceView:
    """What the filters see of one sentence."""

    src_len: int
    strategy: str
    entities: Sequence[Projected]
    expected: int                      # entities the target should have (marker spans or source)
    alignment: Alignment | None        # the links used (align strategy)
    src_tokens: Sequence[str] = ()
    tgt_tokens: Sequence[str] = ()


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
            raise ConfigError(f"filter option {item!r}: expected one of {THRESHOLDS} (any number)")
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
        if name == "repetition" and view.tgt_tokens:
            limit = float(DEFAULTS[name] if filters[name] is None else filters[name])
            if repeated_tokens(view.tgt_tokens) - repeated_tokens(view.src_tokens) >= limit:
                return name
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
