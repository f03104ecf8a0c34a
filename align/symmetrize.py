"""Symmetrisation of two directional alignments (Koehn et al. 2003 heuristics).

Both inputs are link sets in source-target order (as eflomal writes them).
"""

from __future__ import annotations

Links = set[tuple[int, int]]

METHODS = ("grow-diag-final-and", "grow-diag-final", "grow-diag", "intersection", "union",
           "forward", "reverse")
_NEIGHBOURS = ((-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))


def _grow_diag(fwd: Links, rev: Links) -> Links:
    union = fwd | rev
    links = fwd & rev
    src_done = {i for i, _ in links}
    tgt_done = {j for _, j in links}
    added = True
    while added:
        added = False
        for i, j in sorted(links):
            for di, dj in _NEIGHBOURS:
                cand = (i + di, j + dj)
                if cand in union and cand not in links and (
                    cand[0] not in src_done or cand[1] not in tgt_done
                ):
                    links.add(cand)
                    src_done.add(cand[0])
                    tgt_done.add(cand[1])
                    added = True
    return links


def _final(links: Links, direction: Links, both: bool) -> None:
    src_done = {i for i, _ in links}
    tgt_done = {j for _, j in links}
    for i, j in sorted(direction):
        ok = (i not in src_done and j not in tgt_done) if both else (i not in src_done or j not in tgt_done)
        if ok:
            links.add((i, j))
            src_done.add(i)
            tgt_done.add(j)


def symmetrize(fwd: Links, rev: Links, method: str = "grow-diag-final-and") -> Links:
    """Combine forward and reverse links with one of :data:`METHODS`."""
    fwd, rev = set(fwd), set(rev)
    if method == "intersection":
        return fwd & rev
    if method == "union":
        return fwd | rev
    if method == "forward":
        return fwd
    if method == "reverse":
        return rev
    if method not in METHODS:
        from augment.core.errors import ConfigError

        raise ConfigError(f"unknown symmetrisation {method!r}; choose from {', '.join(METHODS)}")
    links = _grow_diag(fwd, rev)
    if method == "grow-diag":
        return links
    both = method == "grow-diag-final-and"
    _final(links, fwd, both)
    _final(links, rev, both)
    return links
