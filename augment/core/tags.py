"""Tag schemes as data, and pure functions between tags and spans.

Supported schemes: ``iob1`` (CoNLL-2003: an entity starts with ``I-`` unless it directly follows
an entity of the same type, then ``B-``), ``iob2`` / ``bio`` (every entity starts with ``B-``),
``iobes`` (``S-`` single-token entities, ``E-`` last token). Spans are half-open ``[start, end)``.

Decoding is lenient in the way of conlleval and seqeval's default mode: an ``I-X`` that does not
continue an ``X`` entity opens a new one. Validation (:func:`validate_tags`) is strict; repair
(:func:`repair_tags`) re-encodes the leniently decoded spans in the scheme.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from augment.core.errors import ConfigError, TagError
from augment.core.span import Span


@dataclass(frozen=True)
class Scheme:
    name: str
    prefixes: frozenset[str]
    description: str


SCHEMES: dict[str, Scheme] = {
    "iob1": Scheme("iob1", frozenset("IB"), "CoNLL-2003 IOB1: I- starts an entity, B- only between two adjacent same-type entities"),
    "iob2": Scheme("iob2", frozenset("IB"), "IOB2/BIO: B- starts every entity, I- continues it"),
    "iobes": Scheme("iobes", frozenset("IBES"), "IOBES: S- single-token entity, B- begin, I- inside, E- end"),
}
ALIASES = {"bio": "iob2", "iob": "iob2", "bioes": "iobes", "ioe": None}

_TAG_RE = re.compile(r"^([BIES])-(\S.*)$")


def scheme_name(name: str) -> str:
    """Canonical scheme name for ``name`` (case-insensitive, ``bio`` = ``iob2``)."""
    key = name.lower()
    key = ALIASES.get(key, key) or key
    if key not in SCHEMES:
        raise ConfigError(f"unknown tag scheme '{name}'; known: {', '.join(sorted(SCHEMES))}, bio")
    return key


def parse_tag(tag: str) -> tuple[str, str | None]:
    """``'B-PER' -> ('B', 'PER')``, ``'O' -> ('O', None)``; anything else raises :class:`TagError`."""
    if tag == "O":
        return "O", None
    m = _TAG_RE.match(tag)
    if m is None:
        raise TagError(f"tag '{tag}' is not O or a B-/I-/E-/S- tag")
    return m.group(1), m.group(2)


def is_tag(tag: str) -> bool:
    return tag == "O" or _TAG_RE.match(tag) is not None


def tags_to_spans(tags: Sequence[str]) -> list[Span]:
    """Entity spans of a tag sequence in any supported scheme (lenient decoding)."""
    spans: list[Span] = []
    start, label = -1, None
    for i, tag in enumerate(tags):
        prefix, typ = parse_tag(tag)
        if prefix == "O":
            if label is not None:
                spans.append(Span(start, i, label))
            start, label = -1, None
        elif prefix == "S" or prefix == "B" or typ != label:
            if label is not None:
                spans.append(Span(start, i, label))
            start, label = i, typ
            if prefix == "S" or prefix == "E":
                spans.append(Span(i, i + 1, typ))
                start, label = -1, None
        elif prefix == "E":  # continues the open entity of the same type and closes it
            spans.append(Span(start, i + 1, label))
            start, label = -1, None
    if label is not None:
        spans.append(Span(start, len(tags), label))
    return spans


def spans_to_tags(spans: Iterable[Span], length: int, scheme: str = "iob2") -> list[str]:
    """Tags of ``length`` tokens for non-overlapping ``spans`` in ``scheme``."""
    scheme = scheme_name(scheme)
    tags = ["O"] * length
    prev_end, prev_label = -1, None
    for start, end, label in sorted(spans):
        if not (0 <= start < end <= length):
            raise ValueError(f"span ({start}, {end}) out of range for {length} tokens")
        if start < prev_end:
            raise ValueError(f"span ({start}, {end}) overlaps the previous span")
        if scheme == "iobes":
            if end - start == 1:
                tags[start] = f"S-{label}"
            else:
                tags[start] = f"B-{label}"
                tags[start + 1 : end - 1] = [f"I-{label}"] * (end - start - 2)
                tags[end - 1] = f"E-{label}"
        else:
            tags[start:end] = [f"I-{label}"] * (end - start)
            if scheme == "iob2" or (prev_end == start and prev_label == label):
                tags[start] = f"B-{label}"
        prev_end, prev_label = end, label
    return tags


def validate_tags(tags: Sequence[str], scheme: str) -> None:
    """Raise :class:`TagError` (with ``index``) at the first tag that breaks ``scheme``.

    IOB1 accepts ``B-X`` after ``O`` (CoNLL-2003 has 72 such slips; the entity is unambiguous).
    IOB2 rejects an ``I-X`` that opens an entity; IOBES also checks that entities close.
    """
    scheme = scheme_name(scheme)
    allowed = SCHEMES[scheme].prefixes
    parsed = []
    for i, tag in enumerate(tags):
        try:
            p = parse_tag(tag)
        except TagError as err:
            raise TagError(f"{err.message} (scheme {scheme})", index=i) from None
        if p[0] != "O" and p[0] not in allowed:
            raise TagError(f"tag '{tag}' is not in scheme {scheme}", index=i)
        parsed.append(p)
    n = len(parsed)
    for i, (prefix, typ) in enumerate(parsed):
        prev = parsed[i - 1] if i > 0 else ("O", None)
        nxt = parsed[i + 1] if i + 1 < n else ("O", None)
        continues = prev[1] == typ and prev[0] in ("B", "I")
        if scheme == "iob2" and prefix == "I" and not continues:
            raise TagError(f"'{tags[i]}' does not continue a {typ} entity (invalid in iob2)", index=i, repairable=True)
        if scheme == "iobes":
            if prefix in ("I", "E") and not continues:
                raise TagError(f"'{tags[i]}' does not continue a {typ} entity (invalid in iobes)", index=i, repairable=True)
            if prefix in ("B", "I") and not (nxt[1] == typ and nxt[0] in ("I", "E")):
                raise TagError(f"'{tags[i]}' is not followed by I-/E-{typ} (invalid in iobes)", index=i, repairable=True)


def repair_tags(tags: Sequence[str], scheme: str) -> list[str]:
    """Re-encode the leniently decoded entities in ``scheme`` (``O I-X`` becomes ``O B-X`` in iob2)."""
    return spans_to_tags(tags_to_spans(tags), len(tags), scheme)


def convert_tags(tags: Sequence[str], to_scheme: str) -> list[str]:
    """Convert a tag sequence (any scheme) to ``to_scheme``; entities are unchanged."""
    return spans_to_tags(tags_to_spans(tags), len(tags), to_scheme)


def detect_scheme(sequences: Iterable[Sequence[str]]) -> str:
    """Guess the scheme of a corpus.

    ``iobes`` when any ``S-``/``E-`` tag occurs; ``iob1`` when more entities open with ``I-``
    than with ``B-`` (CoNLL-2003, which also has a few ``O B-X`` slips); ``iob2`` otherwise (also
    for a corpus with no entities). A malformed tag is skipped, so that validation reports it
    in the scheme of the rest of the corpus rather than failing on a guessed one.
    """
    i_opens = b_opens = 0
    for tags in sequences:
        prev_type = None
        for tag in tags:
            if not is_tag(tag):  # validation reports it, in the scheme the other tags show
                prev_type = None
                continue
            prefix, typ = parse_tag(tag)
            if prefix in ("S", "E"):
                return "iobes"
            if prefix == "I" and typ != prev_type:
                i_opens += 1
            elif prefix == "B" and typ != prev_type:
                b_opens += 1
            prev_type = typ
    return "iob1" if i_opens > b_opens else "iob2"


def label_types(tags: Iterable[str]) -> set[str]:
    """Entity types occurring in ``tags``."""
    return {t[2:] for t in tags if t != "O"}


def check_types_present(requested: Iterable[str], present: Iterable[str], *, where=None,
                        option: str = "--types", also: Iterable[str] = ()) -> None:
    """Raise :class:`ConfigError` when ``requested`` names an entity type that is neither in
    ``present`` (the data's types) nor in ``also`` (e.g. a model's); the message lists the types
    present, so a typo like ``LCO`` is not silently scored or filtered as nothing."""
    present, also = set(present), set(also)
    missing = [t for t in dict.fromkeys(requested) if t not in present | also]
    if missing:
        verb = "is not an entity type" if len(missing) == 1 else "are not entity types"
        extra = f"; the model's: {', '.join(sorted(also))}" if also - present else ""
        raise ConfigError(f"{option}: {', '.join(missing)} {verb} of the data "
                          f"(types present: {', '.join(sorted(present)) or 'none'}{extra})", path=where)
