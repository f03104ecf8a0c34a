"""The one record type for a sentence, and entity spans.

Spans are half-open token ranges ``[start, end)`` everywhere in the toolkit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from augment.core.span import Span
from augment.core.tags import tags_to_spans

__all__ = ["Sentence", "Span"]


@dataclass
class Sentence:
    """A tokenized sentence, optionally tagged.

    ``meta`` holds any further fields a stage adds (translation, alignment, projection ...); they
    are written back by the JSONL and Parquet writers unchanged. ``line`` is the 1-based line in
    the file it was read from (for error messages; never written). ``issues`` lists problems a
    lenient reader let through (an invalid tag sequence shown by ``augment show``; never written).
    ``token_map`` is set by a reader that joined mark-only tokens (:mod:`augment.core.marks`): for
    each token of the file, the index of the token it became here (never written).
    """

    id: str
    tokens: list[str]
    tags: list[str] | None = None
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False, repr=False)
    issues: list[str] = field(default_factory=list, compare=False, repr=False)
    token_map: list[int] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.tags is not None and len(self.tags) != len(self.tokens):
            raise ValueError(
                f"sentence {self.id}: {len(self.tokens)} tokens but {len(self.tags)} tags"
            )

    @property
    def tokens_joined(self) -> int:
        """How many tokens of the file a reader joined to the token before them (0 when none)."""
        return 0 if self.token_map is None else len(self.token_map) - len(self.tokens)

    @property
    def spans(self) -> list[Span]:
        """Entity spans of an IOB1/IOB2/IOBES-tagged sentence (empty when untagged)."""
        return [] if self.tags is None else tags_to_spans(self.tags)

    def to_dict(self) -> dict[str, Any]:
        """The JSONL form: ``id``, ``lang``, ``tokens``, ``tags`` (when tagged), then ``meta``."""
        out: dict[str, Any] = {"id": self.id, "lang": self.lang, "tokens": list(self.tokens)}
        if self.tags is not None:
            out["tags"] = list(self.tags)
        for key, value in self.meta.items():
            if key not in out:
                out[key] = value
        return out
