"""All the training pairs of one ``train-mt`` run, from every source, with what happened to them.

Sources: pair files (MENYO-20k's TSV, ``src ||| tgt``, translation/projection JSONL, optionally
marked from a span-record file) and tagged corpus pairs (sentence i of one file translates
sentence i of the other, both tagged: marked from their own tags). Pairs overlapping protected
text (test sets, :mod:`augment.core.overlap`) are dropped; ``swap`` turns every pair around
(yo -> en from en-yo data).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from augment.core.errors import ConfigError
from augment.mt.data import MTPair, build_pairs
from augment.translate import markers as mk


def gather_pairs(pairs: Sequence[str | os.PathLike], *, format: str | None = None,
                 markers: str | os.PathLike | None = None, tagged_src: Sequence[str | os.PathLike] = (),
                 tagged_tgt: Sequence[str | os.PathLike] = (), marker_types: Sequence[str] = ("PER", "ORG", "LOC"),
                 exclude: Sequence[str | os.PathLike] = (), swap: bool = False,
                 open_marker: str = mk.DEFAULT_OPEN, close_marker: str = mk.DEFAULT_CLOSE,
                 ) -> tuple[list[MTPair], dict[str, Any]]:
    """``(pairs, counts)``: the pairs of every source in order, and per source what was marked,
    left plain and dropped (``counts["sources"]``), the marked pairs kept (``marked``), the
    unmarked pairs left out because their text holds a marker string (``marker_text_dropped``) and
    those overlapping ``exclude`` (``overlap_dropped``)."""
    from augment.core.overlap import OverlapIndex, without_overlap
    from augment.mt.fragments import FragmentJoiner, lexicon
    from augment.mt.tagged import tagged_pairs

    mk.check_markers(open_marker, close_marker)
    if len(tagged_src) != len(tagged_tgt):
        raise ConfigError(f"--tagged-src given {len(tagged_src)} times but --tagged-tgt {len(tagged_tgt)}: "
                          "they pair up in order")
    if not pairs and not tagged_src:
        raise ConfigError("no training data: give a pair file or --tagged-src/--tagged-tgt")
    out: list[MTPair] = []
    sources: list[dict[str, Any]] = []
    for path in pairs:
        got, stats = build_pairs(path, format=format, markers=markers, open_marker=open_marker,
                                 close_marker=close_marker)
        out += got
        sources.append({"path": str(path), "kept": len(got), **asdict(stats)})
    # words of the target language's human text (the pair files) re-join words cut at tone marks
    joiner = FragmentJoiner(lexicon(p.ref for p in out)) if out and tagged_src else None
    for src, tgt in zip(tagged_src, tagged_tgt):
        got, stats = tagged_pairs(src, tgt, types=marker_types, open_marker=open_marker, close_marker=close_marker,
                                  joiner=joiner)
        out += got
        sources.append({"path": f"{src} + {tgt}", "kept": len(got), **asdict(stats)})
    # a marker string in an unmarked pair ("[laughter]", a bracketed gloss in MT output) would teach
    # the model to put markers where no entity is: such pairs are left out
    plain_marker = [p for p in out if not p.n_spans and any(m in t for m in (open_marker, close_marker)
                                                           for t in (p.src, p.tgt))]
    if plain_marker:
        skip = {id(p) for p in plain_marker}
        out = [p for p in out if id(p) not in skip]
    overlap = None
    if exclude:  # the unmarked text of both sides is compared with every sentence of the test sets
        out, counts = without_overlap(out, lambda p: (p.src_ref or p.src, p.ref or p.tgt),
                                      OverlapIndex.from_files(exclude))
        overlap = counts.to_dict()
    if swap:
        out = [p.swapped() for p in out]
    if not out:
        raise ConfigError("no training pairs left (every pair was empty or overlapped --exclude)")
    return out, {"marked": sum(p.n_spans > 0 for p in out), "sources": sources,
                 "marker_text_dropped": len(plain_marker),
                 "overlap_dropped": 0 if overlap is None else overlap["dropped_exact"] + overlap["dropped_ngram"],
                 "overlap": overlap, "exclude": [str(p) for p in exclude]}
