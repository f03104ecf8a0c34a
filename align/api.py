"""Library entry point for alignment: ``align_pairs`` (what ``align run`` and projection call)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from align.aligners import get_aligner
from align.readers import Pair, read_pairs
from augment.core.alignment import Alignment


def _tokens(pairs: Sequence[Pair | tuple[Sequence[str], Sequence[str]]]) -> list[tuple[list[str], list[str]]]:
    return [(list(p.src), list(p.tgt)) if isinstance(p, Pair) else (list(p[0]), list(p[1])) for p in pairs]


def read_extra(paths: Sequence[str | Path]) -> list[tuple[list[str], list[str]]]:
    """Unlabelled parallel pairs from ``--extra-parallel`` files (any pair format)."""
    out: list[tuple[list[str], list[str]]] = []
    for path in paths:
        out += _tokens(read_pairs(path))
    return out


def align_pairs(pairs: Sequence[Pair | tuple[Sequence[str], Sequence[str]]], method: str = "eflomal",
                extra: Sequence[tuple[Sequence[str], Sequence[str]]] = (), **options: Any) -> list[Alignment]:
    """Align each (source tokens, target tokens) pair with the aligner ``method``.

    ``extra``: unlabelled pairs added to eflomal's training (ignored by SimAlign); ``options``
    go to the aligner (eflomal: ``symmetrize``, ``seed``, ``n_samplers``, ``rel_iterations``;
    simalign: ``model``, ``matching``, ``layer``, ``batch_size``, ``device``).
    """
    if method == "eflomal":
        options["extra"] = list(extra)
    return get_aligner(method, **options).align(_tokens(pairs))
