"""Alignment quality against gold with sure and possible links: precision, recall, AER.

Och & Ney (2003): with predicted links A, sure S and possible P (S counted as possible too),
precision = |A∩P|/|A|, recall = |A∩S|/|S|, AER = 1 - (|A∩S| + |A∩P|) / (|A| + |S|), summed
over the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

from augment.core.alignment import Alignment, parse_links
from augment.core.errors import DataError


@dataclass
class Gold:
    sure: set[tuple[int, int]]
    possible: set[tuple[int, int]]  # includes the sure links


def read_gold(path, index_base: int = 0) -> list[Gold]:
    """Gold links per line; ``<id><TAB>links`` lines (the SimAlign sample) drop the id."""
    from augment.core.fileio import read_text, split_lines

    out = []
    for n, line in enumerate(split_lines(read_text(path)), 1):
        if "\t" in line:
            line = line.split("\t", 1)[1]
        try:
            sure, possible = parse_links(line, index_base)
        except ValueError as err:
            raise DataError(str(err), path=path, line=n) from None
        out.append(Gold(sure, possible | sure))
    return out


def check_bounds(gold: list[Gold], lengths: list[tuple[int, int]], path) -> None:
    """Raise on a gold link outside its pair's sentence lengths."""
    for n, (g, (ls, lt)) in enumerate(zip(gold, lengths, strict=False), 1):
        for i, j in sorted(g.possible):
            if i >= ls or j >= lt:
                raise DataError(f"link {i}-{j} (0-based) out of range for a pair of {ls} and {lt} tokens",
                                path=path, line=n)


def score(pred: list[Alignment], gold: list[Gold]) -> dict[str, float | int]:
    """Corpus-level precision, recall, F1 and AER."""
    if len(pred) != len(gold):
        raise DataError(f"{len(pred)} predicted alignments but {len(gold)} gold lines")
    a = s = p_hit = s_hit = n_possible = 0
    for al, g in zip(pred, gold, strict=True):
        links = set(al.links)
        a += len(links)
        s += len(g.sure)
        n_possible += len(g.possible)
        p_hit += len(links & g.possible)
        s_hit += len(links & g.sure)
    precision = p_hit / a if a else 0.0
    recall = s_hit / s if s else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    aer = 1.0 - (s_hit + p_hit) / (a + s) if a + s else 1.0
    return {"pairs": len(pred), "precision": precision, "recall": recall, "f1": f1, "aer": aer,
            "links_pred": a, "links_sure": s, "links_possible": n_possible}


def diagonal(src_len: int, tgt_len: int) -> Alignment:
    """The trivial baseline: each source token to the target token at the same relative position."""
    if not src_len or not tgt_len:
        return Alignment((), src_len, tgt_len)
    links = tuple((i, min(tgt_len - 1, int((i + 0.5) * tgt_len / src_len))) for i in range(src_len))
    return Alignment(links, src_len, tgt_len)
