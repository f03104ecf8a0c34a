"""Entity markers (EasyProject style): wrap source entities, parse them back from the translation.

``mark_sentence`` turns tokens + spans into running text such as ``[Barack Obama] visited [Paris].``;
the MT model translates that; ``parse_markers`` finds the markers in the output, tokenizes the
text between them with :func:`augment.core.tokenize.tokenize` (a marker is always a token boundary)
and gives the i-th target span the type of the i-th source entity. Pure functions, no model.

Problems are reported, never hidden (``MarkerParse.issues``):

- ``lost``: fewer complete marker pairs than source entities;
- ``extra``: more pairs than source entities;
- ``unbalanced``: a close marker with no open one, or an open marker never closed;
- ``nested``: an open marker inside an open span;
- ``empty``: a pair with no token between its markers;
- ``reordered``: the translation moved entities; detected when every target span matches one
  source entity's text (similarity >= ``REORDER_SIMILARITY``) in an order other than the source
  order. Its types are then taken from the matching source entities, so it does not make the
  sentence fail.

``ok`` is true when none of the failing issues (all but ``reordered``) occurred.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from augment.core.record import Span
from augment.core.tokenize import space_before, tokenize

#: How a labelled sentence is translated: ``markers`` (entities wrapped, read back as target tags) or
#: ``plain`` (translation only; the tags come through alignments).
METHODS = ("markers", "plain")
DEFAULT_OPEN = "["
DEFAULT_CLOSE = "]"
FAILING_ISSUES = ("lost", "extra", "unbalanced", "nested", "empty")
REORDER_SIMILARITY = 0.8


@dataclass
class MarkerParse:
    """What came back: clean text, tokens, typed spans over the tokens, and any problems."""

    text: str
    tokens: list[str]
    spans: list[Span] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i in FAILING_ISSUES for i in self.issues)


def check_markers(open_marker: str, close_marker: str) -> None:
    """Markers must be non-empty, different, and not contain each other."""
    from augment.core.errors import ConfigError

    if not open_marker or not close_marker or open_marker.isspace() or close_marker.isspace():
        raise ConfigError("markers must be non-empty, non-space strings")
    if open_marker in close_marker or close_marker in open_marker:
        raise ConfigError(f"open and close markers must differ and not contain each other "
                          f"('{open_marker}', '{close_marker}')")


def mark_sentence(tokens: list[str], spans: list[Span], open_marker: str = DEFAULT_OPEN,
                  close_marker: str = DEFAULT_CLOSE) -> str:
    """Running text of ``tokens`` with every span wrapped: ``[Barack Obama] visited [Paris].``"""
    starts = {s.start for s in spans}
    ends = {s.end - 1 for s in spans}
    pieces = []
    for i, (tok, space) in enumerate(zip(tokens, space_before(tokens))):
        if i in starts:
            tok = open_marker + tok
        if i in ends:
            tok = tok + close_marker
        pieces.append((" " if space else "") + tok)
    return "".join(pieces)


def has_marker(tokens: list[str], open_marker: str = DEFAULT_OPEN, close_marker: str = DEFAULT_CLOSE) -> bool:
    """Whether a source sentence already contains a marker string (markers would be ambiguous)."""
    text = " ".join(tokens)
    return open_marker in text or close_marker in text


def _events(text: str, open_marker: str, close_marker: str) -> list[tuple[int, str]]:
    """Positions of the markers in ``text``, left to right, as ``(offset, "open"|"close")``."""
    found: list[tuple[int, str]] = []
    for marker, kind in ((open_marker, "open"), (close_marker, "close")):
        pos = text.find(marker)
        while pos != -1:
            found.append((pos, kind))
            pos = text.find(marker, pos + len(marker))
    return sorted(found)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def _reorder(found: list[Span], tokens: list[str], sources: list[str]) -> list[int] | None:
    """The source index of each target span when the spans clearly came back in another order."""
    order = []
    for span in found:
        surface = " ".join(tokens[span.start:span.end])
        scores = [_similarity(surface, s) for s in sources]
        best = max(scores)
        if best < REORDER_SIMILARITY or scores.count(best) > 1:
            return None
        order.append(scores.index(best))
    if sorted(order) != list(range(len(sources))) or order == sorted(order):
        return None
    return order


def parse_markers(text: str, labels: list[str], open_marker: str = DEFAULT_OPEN,
                  close_marker: str = DEFAULT_CLOSE, sources: list[str] | None = None) -> MarkerParse:
    """Parse a marked translation.

    ``labels``: the types of the source entities in source order. ``sources``: their surface
    strings (optional; used only to detect reordering). Returns the clean text (markers removed,
    whitespace collapsed), the target tokens, the typed spans when the markers are intact, and
    the issues found.
    """
    events = _events(text, open_marker, close_marker)
    tokens: list[str] = []
    marks: list[tuple[str, int]] = []  # (kind, token index where it sits)
    clean_parts: list[str] = []
    pos = 0
    for offset, kind in events:
        segment = text[pos:offset]
        tokens += tokenize(segment)
        clean_parts.append(segment)
        marks.append((kind, len(tokens)))
        pos = offset + len(open_marker if kind == "open" else close_marker)
    tokens += tokenize(text[pos:])
    clean_parts.append(text[pos:])
    clean = " ".join("".join(clean_parts).split())

    issues: list[str] = []
    found: list[Span] = []
    opened: list[int] = []
    for kind, index in marks:
        if kind == "open":
            if opened and "nested" not in issues:
                issues.append("nested")
            opened.append(index)
        elif not opened:
            if "unbalanced" not in issues:
                issues.append("unbalanced")
        else:
            start = opened.pop()
            if opened:  # closing an inner span of a nest: not a usable entity
                continue
            if start == index:
                if "empty" not in issues:
                    issues.append("empty")
                continue
            found.append(Span(start, index, ""))
    if opened and "unbalanced" not in issues:
        issues.append("unbalanced")
    if len(found) < len(labels):
        issues.append("lost")
    elif len(found) > len(labels):
        issues.append("extra")
    if any(i in FAILING_ISSUES for i in issues):
        return MarkerParse(clean, tokens, [], issues)

    order = list(range(len(found)))
    if sources is not None and len(sources) == len(found):
        moved = _reorder(found, tokens, sources)
        if moved is not None:
            order = moved
            issues.append("reordered")
    spans = [Span(s.start, s.end, labels[j]) for s, j in zip(found, order)]
    return MarkerParse(clean, tokens, spans, issues)


@dataclass
class MarkerSurvival:
    """How many entities markers carried across, counted where there was something to carry.

    The one count of marker survival (translate summary, MT scores, experiment reports): per
    *sentence with entities* (its markers all came back) and per *entity* (it sits in such a
    sentence, so it has a target span). A sentence without entities passes trivially and is
    counted apart, never as a survivor.
    """

    sentences: int = 0            # marked sentences with at least one entity
    intact: int = 0               # of those, every marker came back (``markers_ok``)
    entities: int = 0             # source entities in those sentences
    entities_carried: int = 0     # entities of the intact sentences
    without_entities: int = 0     # sentences with nothing to carry (not in the rates)

    def add(self, n_entities: int, ok: bool) -> None:
        """One translated sentence: its number of source entities and whether its markers came back."""
        if n_entities == 0:
            self.without_entities += 1
            return
        self.sentences += 1
        self.entities += n_entities
        if ok:
            self.intact += 1
            self.entities_carried += n_entities

    def counts(self) -> dict[str, int]:
        """Integer counts (they add up across shards): ``with_entities``, ``with_entities_intact``,
        ``entities``, ``entities_carried``, ``without_entities``."""
        return {"with_entities": self.sentences, "with_entities_intact": self.intact, "entities": self.entities,
                "entities_carried": self.entities_carried, "without_entities": self.without_entities}

    @classmethod
    def from_counts(cls, counts: dict[str, int]) -> MarkerSurvival:
        return cls(counts.get("with_entities", 0), counts.get("with_entities_intact", 0), counts.get("entities", 0),
                   counts.get("entities_carried", 0), counts.get("without_entities", 0))

    @property
    def sentence_rate(self) -> float | None:
        return self.intact / self.sentences if self.sentences else None

    @property
    def entity_rate(self) -> float | None:
        return self.entities_carried / self.entities if self.entities else None

    def describe(self) -> str:
        """``markers intact in 50 of 748 sentences with entities (6.7%), carrying 55 of 1,704 entities (3.2%)``."""
        if not self.sentences:
            return f"no sentence with entities to carry ({self.without_entities} without)"
        return (f"markers intact in {self.intact:,} of {self.sentences:,} sentences with entities "
                f"({self.sentence_rate:.1%}), carrying {self.entities_carried:,} of {self.entities:,} entities "
                f"({self.entity_rate:.1%}); {self.without_entities:,} sentences without entities not counted")


def record_survival(records) -> MarkerSurvival:
    """:class:`MarkerSurvival` of translation records (JSONL dicts of ``augment translate``; only
    ``method: markers`` records count; entities from ``src.tags``)."""
    from augment.core.tags import tags_to_spans

    survival = MarkerSurvival()
    for r in records:
        if r.get("method") != "markers":
            continue
        tags = (r.get("src") or {}).get("tags") or []
        survival.add(len(tags_to_spans(tags)), bool(r.get("markers_ok")))
    return survival
