"""Test-set overlap: find and drop training text that occurs in a test set.

Text of a test set must never reach anything a model learns from (vocabulary, masked-LM text,
extra alignment text, distillation text): MasakhaNER 1.0 yor test shares 189 sentences with
MENYO-20k test and 64 with its dev. A sentence *overlaps* a test set when, after normalising,
it equals a test sentence (``exact``) or shares a run of :data:`NGRAM` tokens with one
(``ngram``: near-duplicates, a test sentence inside a longer one, the same quote in another
article).

Normalising makes the check independent of how each file was tokenized: text is joined,
re-tokenized MasakhaNER-style (:func:`augment.core.tokenize.tokenize`, mark-only tokens joined),
NFC-normalised and case-folded. Sentences shorter than :data:`NGRAM` tokens can only match
exactly, and a sentence without a letter (``.``, ``2 - 1``) matches nothing exactly: CoNLL-2003
and MasakhaNER both have a sentence ``.``, which is no leak.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

NGRAM = 8


def normalized_tokens(text: str | Sequence[str]) -> tuple[str, ...]:
    """The tokens the overlap check compares: re-tokenized, marks joined, NFC, case-folded."""
    from augment.core.marks import joined_tokens, word_index
    from augment.core.tokenize import tokenize

    raw = text if isinstance(text, str) else " ".join(text)
    tokens = tokenize(unicodedata.normalize("NFC", raw))
    index = word_index(tokens)
    if index is not None:
        tokens = joined_tokens(tokens, index)
    return tuple(unicodedata.normalize("NFC", t).casefold() for t in tokens)


def _has_letter(tokens: Sequence[str]) -> bool:
    return any(c.isalpha() for t in tokens for c in t)


def ngrams(tokens: Sequence[str], n: int = NGRAM) -> Iterable[tuple[str, ...]]:
    return (tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


@dataclass
class OverlapIndex:
    """The sentences and :data:`NGRAM`-grams of one or more test sets (built once, queried often)."""

    sentences: set[tuple[str, ...]] = field(default_factory=set)
    grams: set[tuple[str, ...]] = field(default_factory=set)
    files: list[str] = field(default_factory=list)

    def add(self, text: str | Sequence[str]) -> None:
        tokens = normalized_tokens(text)
        if _has_letter(tokens):
            self.sentences.add(tokens)
        self.grams.update(ngrams(tokens))

    def match(self, text: str | Sequence[str]) -> str | None:
        """``exact``, ``ngram`` or ``None`` (no overlap) for one training sentence."""
        tokens = normalized_tokens(text)
        if not tokens:
            return None
        if tokens in self.sentences:
            return "exact"
        if self.grams and any(g in self.grams for g in ngrams(tokens)):
            return "ngram"
        return None

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike]) -> OverlapIndex:
        """The index of every sentence of ``paths``: corpus files (any readable format) or parallel
        TSV (both sides count)."""
        index = cls()
        for path in paths:
            index.files.append(str(path))
            for text in file_texts(path):
                index.add(text)
        return index


def file_texts(path: str | os.PathLike) -> Iterable[str]:
    """Every sentence of a file as text: both sides of a parallel TSV, else the tokens of a corpus."""
    if Path(path).suffix.lower() == ".tsv":
        from augment.core.formats.tsv_pairs import read_tsv_pairs

        for row in read_tsv_pairs(path):
            yield row.src
            yield row.tgt
        return
    from augment.core.io import read_corpus

    for s in read_corpus(path, repair=True):
        yield " ".join(s.tokens)


@dataclass
class OverlapCounts:
    """What a filter saw: items in, kept, dropped as exact copies or for a shared n-gram."""

    seen: int = 0
    exact: int = 0
    ngram: int = 0

    @property
    def kept(self) -> int:
        return self.seen - self.exact - self.ngram

    def to_dict(self) -> dict[str, int]:
        return {"seen": self.seen, "kept": self.kept, "dropped_exact": self.exact, "dropped_ngram": self.ngram}

    def describe(self) -> str:
        return (f"kept {self.kept:,} of {self.seen:,}; dropped {self.exact:,} that occur in the test set and "
                f"{self.ngram:,} sharing a {NGRAM}-gram with it")


def without_overlap(items: Iterable, texts, index: OverlapIndex) -> tuple[list, OverlapCounts]:
    """The items none of whose texts overlaps ``index`` (``texts(item)`` gives an item's sentences:
    one for a corpus sentence, both sides for a pair) and the counts."""
    kept, counts = [], OverlapCounts()
    for item in items:
        counts.seen += 1
        found = Counter(index.match(t) for t in texts(item))
        if found["exact"]:
            counts.exact += 1
        elif found["ngram"]:
            counts.ngram += 1
        else:
            kept.append(item)
    return kept, counts
