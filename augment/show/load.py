"""Read a corpus, translation or projection file into a view (see :mod:`augment.show.model`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from augment.core.errors import ConfigError, DataError
from augment.core.io import read_corpus
from augment.core.record import Sentence
from augment.show.model import KINDS, build_view, detect_kind, filter_items, make_items


def dropped_sidecar(path: str | os.PathLike) -> Path | None:
    """The ``OUT.dropped.jsonl`` of a projection file, if it exists (``OUT`` with or without its
    extension)."""
    p = Path(path)
    for cand in (Path(f"{p}.dropped.jsonl"), p.with_suffix(".dropped.jsonl")):
        if cand != p and cand.is_file():
            return cand
    return None


def read_pair_sentences(path: str | os.PathLike, format: str | None = None, scheme: str = "auto",
                        repair: bool = False) -> list[Sentence]:
    """The sentences of any corpus file; a record carrying a pair (``src``) is checked by the one
    pair reader (:func:`augment.core.pair.from_sentence`) and comes back in its normal form.
    Invalid tag sequences and rejected pairs are read and marked (``Sentence.issues``)."""
    sentences = read_corpus(path, format, scheme=scheme, repair=repair, allow_empty=True, invalid="mark")
    return [_pair_sentence(s, path) if "src" in s.meta else s for s in sentences]


def _pair_sentence(s: Sentence, path: str | os.PathLike) -> Sentence:
    """A pair record in its normal form; one the pair reader rejects is shown as read, its problem
    marked (the viewer is where users look for such problems)."""
    from augment.core.pair import from_sentence

    if s.issues:
        return s
    try:
        out = from_sentence(s, path).to_sentence()
    except DataError as err:
        s.issues.append(err.message)
        return s
    return out


def read_alignment(path: str | os.PathLike) -> tuple[dict[str, list] | None, list[list]]:
    """Links from ``align run`` output: JSONL (``{"id", "alignment"}``; returns them by id) or
    Pharaoh text (one line of ``i-j`` / ``ipj`` links per pair; returns them in order)."""
    from augment.core.alignment import iter_alignment_file

    rows = list(iter_alignment_file(path, check_lengths=False))
    if str(path).endswith(".jsonl"):
        by_id: dict[str, list] = {}
        for n, rid, alignment in rows:
            if rid is None:
                raise DataError("expected an object with 'id' and 'alignment' [[i, j], ...]", path=path, line=n)
            by_id[rid] = [list(link) for link in alignment.links]
        return by_id, []
    return None, [[list(link) for link in alignment.links] for _, _, alignment in rows]


def attach_alignment(sentences: list[Sentence], path: str | os.PathLike) -> None:
    """Put the links of ``path`` into each sentence's ``meta["alignment"]`` (by id, or by order)."""
    by_id, ordered = read_alignment(path)
    if by_id is None:
        if len(ordered) != len(sentences):
            raise DataError(f"{len(ordered)} alignment lines for {len(sentences)} sentences", path=path)
        for s, links in zip(sentences, ordered):
            s.meta["alignment"] = links
        return
    for s in sentences:
        if s.id in by_id:
            s.meta["alignment"] = by_id[s.id]


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
    alignment: str | os.PathLike | None = None,
) -> dict[str, Any]:
    """The view of ``path``: items (after ``filters``, first ``limit``), counts and colours.

    A projection file brings its dropped sidecar along (``include_dropped``) so that dropped
    sentences can be shown and filtered; they follow the kept ones. Invalid tag sequences are
    shown and marked, not refused: a viewer is where one looks for them.
    """
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"unknown kind '{kind}'; known: {', '.join(KINDS)}")
    if limit is not None and limit < 0:
        raise ConfigError("--limit must be 0 or more")
    sentences = read_pair_sentences(path, format, scheme=scheme, repair=repair)
    if alignment is not None:
        attach_alignment(sentences, alignment)
    kind = kind or detect_kind(sentences)
    items = make_items(sentences, kind)
    side = dropped_sidecar(path) if kind == "projection" and include_dropped else None
    if side is not None:
        items += make_items(read_pair_sentences(side, "jsonl"), kind, kept=False)
    total = len(items)
    items = filter_items(items, filters)
    if limit is not None:
        items = items[:limit]
    view = build_view(items, kind, title=title or Path(str(path)).name, source=str(path), total=total)
    note = pairs_note(path, kind)
    if note:
        view["note"] = note
    return view


def pairs_note(path: str | os.PathLike, kind: str) -> str | None:
    """For the target-only output of a projection (CoNLL, Parquet, ...: a file with an
    ``OUT.report.json`` beside it whose records carry no source), how to see the pairs."""
    p = Path(path)
    if kind != "corpus" or not Path(f"{p}.report.json").is_file():
        return None
    side = dropped_sidecar(p)
    dropped = f"; its dropped pairs: augment show {side}" if side else ""
    return (f"{p.name} is the target side of a projection ({p.suffix.lstrip('.') or 'this format'} keeps no "
            f"source sentences): rerun augment project-labels with OUT ending in .jsonl and show that file "
            f"for the pairs{dropped}")
