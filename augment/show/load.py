"""Read a corpus, translation or projection file into a view (see :mod:`augment.show.model`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from augment.corpus.io import read_corpus
from augment.errors import ConfigError
from augment.show.model import KINDS, build_view, detect_kind, filter_items, make_items


def dropped_sidecar(path: str | os.PathLike) -> Path | None:
    """The ``OUT.dropped.jsonl`` of a projection file, if it exists (``OUT`` with or without its
    extension)."""
    p = Path(path)
    for cand in (Path(f"{p}.dropped.jsonl"), p.with_suffix(".dropped.jsonl")):
        if cand != p and cand.is_file():
            return cand
    return None


def load_view(
    path: str | os.PathLike,
    *,
    format: str | None = None,
    scheme: str = "auto",
    repair: bool = False,
    kind: str | None = None,
    filters: Sequence[str] = (),
    limit: int | None = None,
    include_dropped: bool = True,
    title: str | None = None,
) -> dict[str, Any]:
    """The view of ``path``: items (after ``filters``, first ``limit``), counts and colours.

    A projection file brings its dropped sidecar along (``include_dropped``) so that dropped
    sentences can be shown and filtered; they follow the kept ones.
    """
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"unknown kind '{kind}'; known: {', '.join(KINDS)}")
    if limit is not None and limit < 0:
        raise ConfigError("--limit must be 0 or more")
    sentences = read_corpus(path, format, scheme=scheme, repair=repair, allow_empty=True)
    kind = kind or detect_kind(sentences)
    items = make_items(sentences, kind)
    side = dropped_sidecar(path) if kind == "projection" and include_dropped else None
    if side is not None:
        items += make_items(read_corpus(side, "jsonl", allow_empty=True), kind, kept=False)
    total = len(items)
    items = filter_items(items, filters)
    if limit is not None:
        items = items[:limit]
    return build_view(items, kind, title=title or Path(str(path)).name, source=str(path), total=total)
