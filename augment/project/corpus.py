"""Projection over a corpus: records in, kept and dropped records plus a report out.

A record is a translation record of ``augment translate`` (or any dict with ``tokens`` and
``src: {tokens, tags}``); see docs/formats.md for the output shape.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from augment.core.alignment import Alignment
from augment.core.errors import ConfigError, DataError
from augment.core.record import Sentence
from augment.core.tags import convert_tags, spans_to_tags, tags_to_spans
from augment.project.filters import DEFAULTS, SentenceView, check
from augment.project.markers import project_markers
from augment.project.report import Report
from augment.project.spans import LinkStats, ProjectionOptions, project_spans

STRATEGIES = ("markers", "align", "markers+align")


def _as_dict(record: Sentence | dict[str, Any]) -> dict[str, Any]:
    return record.to_dict() if isinstance(record, Sentence) else dict(record)


def _markers_usable(rec: dict[str, Any]) -> bool:
    return bool(rec.get("markers_ok")) and isinstance(rec.get("spans"), list)


def needs_alignment(records: Sequence[Sentence | dict[str, Any]], strategy: str) -> bool:
    """True when some record must go through alignments under ``strategy``."""
    if strategy == "align":
        return True
    if strategy == "markers":
        return False
    return any(not _markers_usable(_as_dict(r)) for r in records)


def project_record(rec: dict[str, Any], alignment: Alignment | None, strategy: str,
                   filters: dict[str, float | None], options: ProjectionOptions,
                   stats: LinkStats | None = None) -> dict[str, Any]:
    """One record projected (``projection.kept`` says whether the filters kept it).

    ``stats``: link counts of the whole corpus (see :class:`LinkStats`), for the Dice heuristics.
    """
    src = rec.get("src")
    tokens = rec.get("tokens")
    if not isinstance(src, dict) or not isinstance(tokens, list) or not isinstance(src.get("tokens"), list):
        raise DataError(f"record {rec.get('id')}: expected 'tokens' and 'src.tokens'")
    src_tags = src.get("tags")
    if src_tags is None:
        raise DataError(f"record {rec.get('id')}: the source side has no tags to project")
    src_tags = convert_tags(src_tags, "iob2")
    spans = tags_to_spans(src_tags)
    use_markers = strategy == "markers" or (strategy == "markers+align" and _markers_usable(rec))
    links = list(alignment.links) if alignment is not None else None
    if use_markers:
        entities = project_markers(spans, rec.get("spans") or [], src["tokens"], tokens,
                                   reordered="reordered" in (rec.get("marker_issues") or []))
        expected = len(rec.get("spans") or [])
        used = "markers"
    else:
        if links is None:
            raise ConfigError(f"record {rec.get('id')}: strategy {strategy!r} needs an alignment")
        bad = [(i, j) for i, j in links if i >= len(src["tokens"]) or j >= len(tokens)]
        if bad:
            raise DataError(f"record {rec.get('id')}: alignment link {bad[0][0]}-{bad[0][1]} out of range "
                            f"for {len(src['tokens'])} source and {len(tokens)} target tokens")
        entities = project_spans(src["tokens"], spans, tokens, links, options, stats)
        expected = len(spans)
        used = "align"
    reason = check(SentenceView(len(src["tokens"]), used, entities, expected, links), filters)
    from augment.core.record import Span

    tgt_spans = [Span(e.tgt[0], e.tgt[1], e.src.label) for e in entities if e.tgt is not None]
    out = {k: v for k, v in rec.items() if k not in ("tags", "alignment", "projection")}
    out["tokens"] = list(tokens)
    out["tags"] = spans_to_tags(tgt_spans, len(tokens), "iob2")
    out["src"] = {**src, "tags": src_tags}
    if links is not None and not use_markers:
        out["alignment"] = [[i, j] for i, j in links]
    out["projection"] = {"strategy": used, "entities": [e.to_dict() for e in entities],
                         "kept": reason is None, "filter": reason}
    # id and lang first, like every sentence record
    return {"id": out.pop("id", None), "lang": out.pop("lang", None), **out}


def project_corpus(records: Sequence[Sentence | dict[str, Any]], alignments: Sequence[Alignment] | None = None,
                   strategy: str = "markers+align", filters: dict[str, float | None] | None = None,
                   options: ProjectionOptions | None = None, stats: LinkStats | None = None,
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Project every record; returns (kept records, dropped records, report dict).

    ``alignments`` (one per record, source-target) are needed for records that go through
    alignments; ``filters`` maps filter name -> threshold (default: all, see filters.DEFAULTS;
    ``{}`` turns filtering off). ``stats``: corpus-wide link statistics (default: built from these
    records; a shard of a larger corpus passes the whole corpus' ones, see :func:`link_stats`).
    """
    if strategy not in STRATEGIES:
        raise ConfigError(f"unknown strategy {strategy!r}; choose from {', '.join(STRATEGIES)}")
    if alignments is not None and len(alignments) != len(records):
        raise DataError(f"{len(records)} records but {len(alignments)} alignments")
    filters = dict(DEFAULTS) if filters is None else filters
    options = options or ProjectionOptions()
    report = Report(strategy, filters)
    dicts = [_as_dict(r) for r in records]
    if stats is None and alignments is not None:
        stats = link_stats(dicts, alignments)
    from augment.core.progress import progress

    kept, dropped = [], []
    for k, rec in enumerate(progress(dicts, desc="projecting", unit="sent")):
        out = project_record(rec, alignments[k] if alignments is not None else None, strategy, filters,
                             options, stats)
        report.add(out)
        (kept if out["projection"]["kept"] else dropped).append(out)
    return kept, dropped, report.to_dict()


def link_stats(records: Sequence[Sentence | dict[str, Any]], alignments: Sequence[Alignment]) -> LinkStats:
    """How often word pairs are linked over all ``records`` (pairs whose links fit their tokens)."""
    stats = LinkStats()
    for rec, al in zip((_as_dict(r) for r in records), alignments, strict=True):
        src_tokens, tgt_tokens = (rec.get("src") or {}).get("tokens"), rec.get("tokens")
        if isinstance(src_tokens, list) and isinstance(tgt_tokens, list) and all(
                i < len(src_tokens) and j < len(tgt_tokens) for i, j in al.links):
            stats.add(src_tokens, tgt_tokens, al.links)
    return stats


def check_parallel(src_sentences: Sequence[Sentence], tgt_sentences: Sequence[Sentence],
                   src_path: str | os.PathLike, tgt_path: str | os.PathLike) -> None:
    """Raise what :func:`parallel_records` would, naming the files: the two sides differ in
    sentence count, or a source sentence has no tags."""
    if len(src_sentences) != len(tgt_sentences):
        raise DataError(f"{len(tgt_sentences)} target sentences but {len(src_sentences)} source sentences "
                        f"in {src_path} (sentence i must translate sentence i)", path=tgt_path)
    for s in src_sentences:
        if s.tags is None:
            raise DataError(f"source sentence {s.id} has no tags (the source side must be labelled)",
                            path=src_path, line=s.line)


def parallel_records(src_sentences: Sequence[Sentence], tgt_sentences: Sequence[Sentence]) -> list[dict[str, Any]]:
    """Records pairing labelled source sentence i with target sentence i (target tags ignored)."""
    if len(src_sentences) != len(tgt_sentences):
        raise DataError(f"{len(src_sentences)} source sentences but {len(tgt_sentences)} target sentences")
    out = []
    for s, t in zip(src_sentences, tgt_sentences, strict=True):
        if s.tags is None:
            raise DataError(f"source sentence {s.id} has no tags", line=s.line)
        out.append({"id": t.id, "lang": t.lang, "tokens": list(t.tokens),
                    "src": {"id": s.id, "lang": s.lang, "tokens": list(s.tokens), "tags": list(s.tags)}})
    return out


def project_parallel(src_sentences: Sequence[Sentence], tgt_sentences: Sequence[Sentence],
                     alignments: Sequence[Alignment] | None = None, aligner: str = "eflomal",
                     aligner_options: dict[str, Any] | None = None,
                     filters: dict[str, float | None] | None = None, options: ProjectionOptions | None = None,
                     ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Project labels of a user's parallel text: source sentence i onto target sentence i.

    Without ``alignments`` the pairs are aligned with ``aligner`` (``align.align_pairs``).
    """
    records = parallel_records(src_sentences, tgt_sentences)
    if alignments is None:
        from align.api import align_pairs

        alignments = align_pairs([(r["src"]["tokens"], r["tokens"]) for r in records], method=aligner,
                                 **(aligner_options or {}))
    return project_corpus(records, alignments, strategy="align", filters=filters, options=options)


def to_sentences(records: Sequence[dict[str, Any]]) -> list[Sentence]:
    """Projected records as :class:`Sentence` objects (for ``write_corpus``)."""
    out = []
    for r in records:
        meta = {k: v for k, v in r.items() if k not in ("id", "lang", "tokens", "tags")}
        out.append(Sentence(str(r["id"]), list(r["tokens"]), list(r["tags"]), r.get("lang"), meta))
    return out
