"""``combine-alignments``: one alignment per pair from two aligners' alignments of the same pairs.

Two aligners make different mistakes: eflomal (statistical, from co-occurrence over the whole
corpus) misses rare words and names it saw once; SimAlign (encoder similarity, per pair) links
identical and similar strings even when seen once, but with a small encoder links much else
poorly. Combining their links is what the symmetrisation heuristics do for the two directions of
one aligner (Koehn et al. 2003), so the same heuristics combine two aligners here: ``union``,
``intersection`` or ``grow-diag(-final(-and))`` with the first file as "forward" and the second as
"reverse" (``align.symmetrize``). Pairs are matched by id; both files must hold the same pairs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages.base import Setting, Slot, Stage

METHODS = ("union", "intersection", "grow-diag-final-and", "grow-diag-final", "grow-diag")


def combine_alignments(first: list, second: list, method: str) -> list:
    """``[(id, Alignment)]`` combining the links of ``first`` and ``second`` (same ids, same order)."""
    from align.symmetrize import symmetrize
    from augment.core.alignment import Alignment

    out = []
    for (i, a), (j, b) in zip(first, second, strict=True):
        if i != j or (a.src_len, a.tgt_len) != (b.src_len, b.tgt_len):
            from augment.core.errors import DataError

            raise DataError(f"pair {i} ({a.src_len}x{a.tgt_len} tokens) meets pair {j} ({b.src_len}x{b.tgt_len}): "
                            "the alignment files must hold the same pairs in the same order")
        out.append((i, Alignment(tuple(symmetrize(set(a.links), set(b.links), method)), a.src_len, a.tgt_len)))
    return out


class CombineAlignments(Stage):
    kind = "combine-alignments"
    version = "1"
    help = "Combine two aligners' alignments of the same pairs (union, intersection or grow-diag heuristics)."
    inputs = {"alignments": Slot("two alignment JSONL files of the same pairs (align outputs), first = forward",
                                 many=True)}
    settings = {"method": Setting(str, "grow-diag-final-and", "how to combine the two link sets", METHODS)}
    outputs = {"alignments": "alignments.jsonl"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core.alignment import iter_alignment_file, write_alignments
        from augment.core.errors import ConfigError

        if len(inputs["alignments"]) != 2:
            raise ConfigError(f"combine-alignments takes two alignment files, got {len(inputs['alignments'])}")
        first, second = ([(i, a) for _, i, a in iter_alignment_file(p)] for p in inputs["alignments"])
        if len(first) != len(second):
            raise ConfigError(f"the alignment files hold {len(first)} and {len(second)} pairs")
        combined = combine_alignments(first, second, settings["method"])
        write_alignments([a for _, a in combined], out / "alignments.jsonl", ids=[i for i, _ in combined],
                         info={"method": "combined", "combine": settings["method"]})
        return {"pairs": len(combined), "links": sum(len(a.links) for _, a in combined),
                "links_first": sum(len(a.links) for _, a in first),
                "links_second": sum(len(a.links) for _, a in second)}


STAGE = CombineAlignments
