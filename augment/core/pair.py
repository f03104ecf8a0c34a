"""The pair record: a source sentence, its target sentence, and what translation and projection did.

One type for what ``augment translate`` writes, ``align run`` and projection read,
``augment project-labels`` writes and ``ner train --augmented`` and ``augment show`` read.
In JSONL a pair is the *target* sentence record (so ``read_corpus`` reads it as a corpus) with the
source in ``src`` and the details as further keys; schema and versions in docs/formats.md, "Pair
record". :func:`read_pair_file` is the one reader (it validates both sides and converts their tags
to IOB2, once); :func:`write_pairs` the one writer. A file written before the format had a version
(no ``pair_format`` key) reads as version 0, which has the same fields.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from augment.core.alignment import Alignment
from augment.core.errors import DataError, TagError
from augment.core.record import Sentence
from augment.core.span import Span
from augment.core.tags import convert_tags, detect_scheme

#: Version written in every record's ``pair_format`` key; the reader accepts 0 (no key) to this.
PAIR_FORMAT = 1
#: Keys a pair owns beside the target sentence's ``id``/``lang``/``tokens``/``tags``.
PAIR_KEYS = ("src", "method", "markers_ok", "spans", "marker_issues", "alignment", "projection", "pair_format")


@dataclass
class Pair:
    """Source and target sentence of one translation, with the translation and projection details.

    ``method``: ``markers`` or ``plain`` (translation records), ``None`` for a user's parallel text.
    ``markers_ok`` / ``marker_spans`` / ``marker_issues``: what the markers gave (``markers`` only).
    ``alignment``: source-target links, bounded by the two sentences' lengths (checked here).
    ``projection``: ``{"strategy", "entities", "kept", "filter"}`` once projected.
    Any other field of the record (``text``, ``mt``, ...) stays in ``target.meta``.
    """

    source: Sentence
    target: Sentence
    method: str | None = None
    markers_ok: bool | None = None
    marker_spans: list[Span] | None = None
    marker_issues: list[str] = field(default_factory=list)
    alignment: Alignment | None = None
    projection: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.alignment is not None:
            self.alignment = bounded(self.alignment, len(self.source.tokens), len(self.target.tokens), self.id)

    @property
    def id(self) -> str:
        return self.target.id

    @property
    def markers_usable(self) -> bool:
        """The translation's markers came back intact, so their spans can be projected directly."""
        return bool(self.markers_ok) and self.marker_spans is not None

    def to_dict(self) -> dict[str, Any]:
        """The JSONL form: the target sentence record, ``src``, the details, ``pair_format``."""
        out = self.target.to_dict()
        out["src"] = {"id": self.source.id, "lang": self.source.lang, "tokens": list(self.source.tokens),
                      "tags": None if self.source.tags is None else list(self.source.tags)}
        if self.method is not None:
            out["method"] = self.method
        if self.markers_ok is not None:
            out["markers_ok"] = self.markers_ok
        if self.marker_spans is not None:
            out["spans"] = [[s.start, s.end, s.label] for s in self.marker_spans]
        if self.method == "markers" or self.marker_issues:
            out["marker_issues"] = list(self.marker_issues)
        if self.alignment is not None:
            out["alignment"] = self.alignment.to_list()
        if self.projection is not None:
            out["projection"] = self.projection
        out["pair_format"] = PAIR_FORMAT
        return out

    def to_sentence(self) -> Sentence:
        """The target sentence carrying the rest of the pair in ``meta`` (for ``write_corpus``)."""
        d = self.to_dict()
        meta = {k: v for k, v in d.items() if k not in ("id", "lang", "tokens", "tags")}
        return Sentence(self.target.id, list(self.target.tokens), self.target.tags, self.target.lang, meta,
                        self.target.line)

    @classmethod
    def from_dict(cls, obj: Any, path: str | os.PathLike | None = None, line: int | None = None,
                  index: int = 0, need_source_tags: bool = False) -> Pair:
        """A pair from its JSONL object (``path``/``line`` name it in errors)."""
        from augment.core.formats.jsonl import parse_record

        sentence = parse_record(obj, Path(path or "record"), line, index)
        if "src" not in sentence.meta:
            raise DataError(f"record {sentence.id}: expected a pair record with 'src': {{'tokens', 'tags'}}",
                            path=path, line=line)
        from augment.core.marks import join_in_place, joining_enabled

        if joining_enabled():  # as read_pair_file's corpus reader does
            join_in_place([sentence], detect_scheme([sentence.tags]) if sentence.tags else "iob2")
        return from_sentence(sentence, path, need_source_tags)


def bounded(alignment: Alignment, src_len: int, tgt_len: int, pair_id: str = "?") -> Alignment:
    """``alignment`` with the pair's lengths, every link checked against them (the one bounds check)."""
    if (alignment.src_len, alignment.tgt_len) == (src_len, tgt_len):
        return alignment
    for i, j in alignment.links:
        if i >= src_len or j >= tgt_len:
            raise DataError(f"record {pair_id}: alignment link {i}-{j} out of range for {src_len} source "
                            f"and {tgt_len} target tokens")
    return Alignment(alignment.links, src_len, tgt_len)


def _fail(message: str, s: Sentence, path) -> DataError:
    return DataError(f"record {s.id}: {message}", path=path, line=s.line)


def _source(src: Any, s: Sentence, path, need_tags: bool) -> Sentence:
    if not isinstance(src, dict) or not isinstance(src.get("tokens"), list) or not src["tokens"] or not all(
            isinstance(t, str) for t in src["tokens"]):
        raise _fail("'src' must be an object with a non-empty 'tokens' list of strings", s, path)
    tokens = list(src["tokens"])
    tags = src.get("tags")
    if tags is None and need_tags:
        raise _fail("the source side has no tags to project ('src.tags')", s, path)
    if tags is not None:
        if not isinstance(tags, list) or len(tags) != len(tokens) or not all(isinstance(t, str) for t in tags):
            n = len(tags) if isinstance(tags, list) else "no list of"
            raise _fail(f"src has {len(tokens)} tokens but {n} tags", s, path)
        try:  # any scheme in, IOB2 out (decoded leniently, as the corpus readers repair)
            tags = convert_tags(tags, "iob2")
        except TagError as err:
            raise _fail(f"src {err.message}", s, path) from None
    return Sentence(str(src.get("id", f"{s.id}-src")), tokens, tags, src.get("lang"))


def _spans(value: Any, s: Sentence, path, n_tokens: int) -> list[Span] | None:
    if value is None:
        return None
    out = []
    for item in value if isinstance(value, list) else [None]:
        ok = isinstance(item, list) and len(item) == 3 and all(isinstance(x, int) for x in item[:2])
        if not ok or not 0 <= item[0] < item[1] <= n_tokens or not isinstance(item[2], str):
            raise _fail(f"'spans' must be [start, end, type] items within the {n_tokens} target tokens, "
                        f"got {item!r}", s, path)
        out.append(Span(item[0], item[1], item[2]))
    return out


def _joined_source(source: Sentence) -> Sentence:
    """``source`` (tags in IOB2) with mark-only tokens joined, as the corpus readers do."""
    from augment.core.marks import join_in_place, joining_enabled

    if joining_enabled():
        join_in_place([source], "iob2")
    return source


def _remap_projection(projection: dict[str, Any], src_map: list[int] | None, tgt_map: list[int] | None,
                      s: Sentence, path) -> dict[str, Any]:
    """``projection.entities`` spans on the joined words. A source entity made only of marks no
    longer exists (its item goes); a target span made only of marks becomes a drop, reason ``only_marks``."""
    from augment.core.marks import remap_span

    entities = projection.get("entities")
    if not isinstance(entities, list):
        return projection
    out = []
    for e in entities:
        try:
            src, tgt = e["src"], e.get("tgt")
            new_src = (src[0], src[1]) if src_map is None else remap_span(src[0], src[1], src_map)
            new_tgt = None if tgt is None else (tgt[0], tgt[1]) if tgt_map is None else remap_span(tgt[0], tgt[1], tgt_map)
        except (KeyError, TypeError, IndexError):
            raise _fail("'projection.entities' items must have 'src': [start, end, type] and 'tgt': [start, end] "
                        "or null within the sentence", s, path) from None
        if new_src is None:
            continue
        item = {**e, "src": [new_src[0], new_src[1], src[2]], "tgt": None if new_tgt is None else list(new_tgt)}
        if tgt is not None and new_tgt is None:
            item.update(status="dropped", reason="only_marks", via=None)
        out.append(item)
    return {**projection, "entities": out}


def from_sentence(s: Sentence, path: str | os.PathLike | None = None, need_source_tags: bool = False) -> Pair:
    """The pair a target sentence read from JSONL carries in its ``meta`` (``src`` and details)."""
    meta = dict(s.meta)
    version = meta.pop("pair_format", 0)
    if not isinstance(version, int) or version < 0 or version > PAIR_FORMAT:
        raise _fail(f"pair_format {version!r} is not one this version reads (0 to {PAIR_FORMAT}); "
                    "it was written by a newer xner", s, path)
    source = _source(meta.pop("src"), s, path, need_source_tags)
    raw_src_len = len(source.tokens)
    source = _joined_source(source)
    raw_tgt_len = len(s.token_map) if s.token_map is not None else len(s.tokens)
    links = meta.pop("alignment", None)
    try:
        alignment = None if links is None else Alignment.from_links(links)
    except (TypeError, ValueError) as err:
        raise _fail(f"bad 'alignment' ({err}): expected [[i, j], ...]", s, path) from None
    issues = meta.pop("marker_issues", None) or []
    projection = meta.pop("projection", None)
    if not isinstance(issues, list) or (projection is not None and not isinstance(projection, dict)):
        raise _fail("'marker_issues' must be a list and 'projection' an object", s, path)
    markers_ok = meta.pop("markers_ok", None)
    marker_spans = _spans(meta.pop("spans", None), s, path, raw_tgt_len)
    if source.token_map is not None or s.token_map is not None:  # indices of the record are on its raw tokens
        from augment.core.marks import remap_links, remap_spans

        if alignment is not None:
            try:
                bounded(alignment, raw_src_len, raw_tgt_len, s.id)
            except DataError as err:
                raise DataError(err.message, path=path, line=s.line) from None
            alignment = Alignment.from_links(remap_links(alignment.links, source.token_map, s.token_map))
        if marker_spans is not None and s.token_map is not None:
            marker_spans = remap_spans(marker_spans, s.token_map)
        if projection is not None:
            projection = _remap_projection(projection, source.token_map, s.token_map, s, path)
    target = Sentence(s.id, s.tokens, s.tags, s.lang, meta, s.line, token_map=s.token_map)
    try:
        return Pair(source, target, meta.pop("method", None), None if markers_ok is None else bool(markers_ok),
                    marker_spans, [str(x) for x in issues], alignment, projection)
    except DataError as err:
        raise DataError(err.message, path=path, line=s.line) from None


def read_pair_file(path: str | os.PathLike, *, need_source_tags: bool = False, repair: bool = False,
                   allow_unpaired: bool = False, format: str | None = "jsonl") -> list[Pair | Sentence]:
    """Every record of a pair file, in order, validated, tags in IOB2.

    Target tags are checked against the file's scheme (``repair`` re-encodes repairable ones, as
    ``read_corpus`` does); source tags are decoded leniently. ``need_source_tags``: a pair without
    source tags is an error (projection needs them). ``allow_unpaired``: a record without ``src``
    comes back as a plain :class:`Sentence` (``format`` may then be any corpus format, ``None``
    to detect it); otherwise it is an error. An empty file is an error.
    """
    from augment.core.io import read_corpus

    out: list[Pair | Sentence] = []
    for s in read_corpus(path, format, repair=repair, to_scheme="iob2", allow_empty=True):
        if "src" in s.meta:
            out.append(from_sentence(s, path, need_source_tags))
        elif allow_unpaired:
            out.append(s)
        else:
            wanted = "'src': {'tokens', 'tags'}" if need_source_tags else "'src.tokens'"
            raise DataError(f"expected a pair record with 'tokens' and {wanted}", path=path, line=s.line)
    if not out:
        raise DataError("no records in file", path=path)
    return out


def read_pairs(path: str | os.PathLike, *, need_source_tags: bool = False, repair: bool = False) -> list[Pair]:
    """Every pair of a pair JSONL file (a record without ``src`` is an error)."""
    return [p for p in read_pair_file(path, need_source_tags=need_source_tags, repair=repair)
            if isinstance(p, Pair)]


def write_pairs(pairs: list[Pair], path: str | os.PathLike) -> None:
    """Write pairs as JSONL, atomically."""
    from augment.core.fileio import atomic_write

    with atomic_write(path) as fh:
        for p in pairs:
            fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
