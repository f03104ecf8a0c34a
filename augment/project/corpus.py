"""Projection over a corpus: pairs in, kept and dropped pairs plus a report out.

A pair is an :class:`augment.core.pair.Pair` (a translation record of ``augment translate``, or a
user's parallel sentences); a plain dict in the JSONL form is read as one. Output shape: docs/formats.md.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from augment.core.alignment import Alignment
from augment.core.errors import DataError
from augment.core.pair import Pair, bounded
from augment.core.record import Sentence, Span
from augment.core.tags import spans_to_tags
from augment.project.filters import DEFAULTS, SentenceView, check
from augment.project.report import Report
from augment.project.spans import LinkStats, ProjectionOptions
from augment.project.strategies import PARTS

STRATEGIES = PARTS.names()


def as_pair(record: Pair | dict[str, Any]) -> Pair:
    """``record`` as a :class:`Pair` (a dict goes through the pair reader's checks)."""
    return record if isinstance(record, Pair) else Pair.from_dict(record)


def needs_alignment(pairs: Sequence[Pair], strategy: str) -> bool:
    """True when some pair must go through alignments under ``strategy``."""
    chosen = PARTS.get(strategy)
    return any(chosen.needs_alignment(p) for p in pairs)


def project_record(pair: Pair, alignment: Alignment | None, strategy: str, filters: dict[str, float | None],
                   options: ProjectionOptions, stats: LinkStats | None = None) -> Pair:
    """One pair projected: target tags from the source spans, ``projection`` filled in
    (``projection["kept"]`` says whether the filters kept it).

    ``stats``: link counts of the whole corpus (see :class:`LinkStats`), for the Dice heuristics.
    """
    src, tgt = pair.source, pair.target
    if src.tags is None:
        raise DataError(f"record {pair.id}: the source side has no tags to project")
    found = PARTS.get(strategy).project(pair, alignment, options, stats)
    entities, used, alignment = found.entities, found.used, found.alignment
    reason = check(SentenceView(len(src.tokens), used, entities, found.expected, alignment, src.tokens, tgt.tokens),
                   filters)
    tgt_spans = [Span(e.tgt[0], e.tgt[1], e.src.label) for e in entities if e.tgt is not None]
    target = Sentence(tgt.id, list(tgt.tokens), spans_to_tags(tgt_spans, len(tgt.tokens), "iob2"), tgt.lang,
                      dict(tgt.meta), tgt.line)
    projection = {"strategy": used, "entities": [e.to_dict() for e in entities], "kept": reason is None,
                  "filter": reason}
    return Pair(src, target, pair.method, pair.markers_ok, pair.marker_spans, list(pair.marker_issues),
                alignment, projection)


def project_corpus(records: Sequence[Pair | dict[str, Any]], alignments: Sequence[Alignment | None] | None = None,
                   strategy: str = "markers+align", filters: dict[str, float | None] | None = None,
                   options: ProjectionOptions | None = None, stats: LinkStats | None = None,
                   ) -> tuple[list[Pair], list[Pair], dict[str, Any]]:
    """Project every pair; returns (kept pairs, dropped pairs, report dict).

    ``alignments`` (one per pair, source-target) are needed for pairs that go through
    alignments; ``filters`` maps filter name -> threshold (default: all, see filters.DEFAULTS;
    ``{}`` turns filtering off). ``stats``: corpus-wide link statistics (default: built from these
    pairs; a shard of a larger corpus passes the whole corpus' ones, see :func:`link_stats`).
    """
    PARTS.get(strategy)  # an unknown name is one line listing the known ones
    if alignments is not None and len(alignments) != len(records):
        raise DataError(f"{len(records)} records but {len(alignments)} alignments")
    filters = dict(DEFAULTS) if filters is None else filters
    options = options or ProjectionOptions()
    report = Report(strategy, filters)
    pairs = [as_pair(r) for r in records]
    if alignments is not None:
        alignments = [None if al is None else bounded(al, len(p.source.tokens), len(p.target.tokens), p.id)
                      for p, al in zip(pairs, alignments, strict=True)]
        if stats is None:
            stats = link_stats(pairs, alignments)
    from augment.core.progress import progress

    report.count_joined(pairs)
    kept, dropped = [], []
    for k, pair in enumerate(progress(pairs, desc="projecting", unit="sent")):
        out = project_record(pair, alignments[k] if alignments is not None else None, strategy, filters,
                             options, stats)
        report.add(out.to_dict())
        (kept if out.projection["kept"] else dropped).append(out)
    return kept, dropped, report.to_dict()


def link_stats(records: Sequence[Pair | dict[str, Any]], alignments: Sequence[Alignment | None]) -> LinkStats:
    """How often word pairs are linked over all ``records`` (pairs whose links fit their tokens)."""
    stats = LinkStats()
    for pair, al in zip((as_pair(r) for r in records), alignments, strict=True):
        n_src, n_tgt = len(pair.source.tokens), len(pair.target.tokens)
        if al is not None and all(i < n_src and j < n_tgt for i, j in al.links):
            stats.add(pair.source.tokens, pair.target.tokens, al)
    return stats


def check_parallel(src_sentences: Sequence[Sentence], tgt_sentences: Sequence[Sentence],
                   src_path: str | os.PathLike, tgt_path: str | os.PathLike) -> None:
    """Raise what :func:`parallel_pairs` would, naming the files: the two sides differ in
    sentence count, or a source sentence has no tags."""
    if len(src_sentences) != len(tgt_sentences):
        raise DataError(f"{len(tgt_sentences)} target sentences but {len(src_sentences)} source sentences "
                        f"in {src_path} (sentence i must translate sentence i)", path=tgt_path)
    for s in src_sentences:
        if s.tags is None:
            raise DataError(f"source sentence {s.id} has no tags (the source side must be labelled)",
                            path=src_path, line=s.line)


def parallel_pairs(src_sentences: Sequence[Sentence], tgt_sentences: Sequence[Sentence]) -> list[Pair]:
    """Pairs of labelled source sentence i with target sentence i (target tags ignored)."""
    if len(src_sentences) != len(tgt_sentences):
        raise DataError(f"{len(src_sentences)} source sentences but {len(tgt_sentences)} target sentences")
    out = []
    for s, t in zip(src_sentences, tgt_sentences, strict=True):
        if s.tags is None:
            raise DataError(f"source sentence {s.id} has no tags", line=s.line)
        out.append(Pair(Sentence(s.id, list(s.tokens), list(s.tags), s.lang, token_map=s.token_map),
                        Sentence(t.id, list(t.tokens), None, t.lang, token_map=t.token_map)))
    return out


def project_parallel(src_sentences: Sequence[Sentence], tgt_sentences: Sequence[Sentence],
                     alignments: Sequence[Alignment] | None = None, aligner: str = "eflomal",
                     aligner_options: dict[str, Any] | None = None,
                     filters: dict[str, float | None] | None = None, options: ProjectionOptions | None = None,
                     ) -> tuple[list[Pair], list[Pair], dict[str, Any]]:
    """Project labels of a user's parallel text: source sentence i onto target sentence i.

    Without ``alignments`` the pairs are aligned with ``aligner`` (``align.align_pairs``).
    """
    pairs = parallel_pairs(src_sentences, tgt_sentences)
    if alignments is None:
        from align.api import align_pairs

        alignments = align_pairs([(p.source.tokens, p.target.tokens) for p in pairs], method=aligner,
                                 **(aligner_options or {}))
    return project_corpus(pairs, alignments, strategy="align", filters=filters, options=options)


def to_sentences(pairs: Sequence[Pair]) -> list[Sentence]:
    """Projected pairs as target :class:`Sentence` objects carrying the rest in ``meta`` (for ``write_corpus``)."""
    return [p.to_sentence() for p in pairs]
