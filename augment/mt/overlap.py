"""Keep the text of test sets out of MT training: a training pair is dropped when either side is
a sentence of a protected file, or shares a word 8-gram with one (exact and near duplicates).

Comparison is on lower-cased NFC word sequences (letters, marks and digits; punctuation ignored),
so ``Ọ̀ṣun`` in a CoNLL file and in a TSV match. MENYO-20k train shares 3 sentences (7 by 8-gram)
with MasakhaNER 1.0 yor test and 8 by 8-gram with MasakhaNER 2.0 yor test.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Sequence

import regex

from augment.mt.data import MTPair

NGRAM = 8
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def words(text: str) -> tuple[str, ...]:
    """The lower-cased NFC words of ``text`` (markers and punctuation dropped)."""
    return tuple(_WORD.findall(unicodedata.normalize("NFC", text).lower()))


def _grams(ws: Sequence[str], n: int) -> Iterable[tuple[str, ...]]:
    return (tuple(ws[i:i + n]) for i in range(len(ws) - n + 1))


def protected_text(paths: Sequence[str | os.PathLike]) -> list[str]:
    """Every sentence of ``paths`` as text: tagged corpora (any format ``read_corpus`` takes) or
    pair files (both sides)."""
    from align.readers import read_pairs as read_token_pairs
    from augment.core.errors import DataError
    from augment.core.io import read_corpus

    texts: list[str] = []
    for path in paths:
        try:
            texts += [" ".join(s.tokens) for s in read_corpus(path, repair=True)]
        except DataError:
            texts += [" ".join(side) for p in read_token_pairs(path) for side in (p.src, p.tgt)]
    return texts


class OverlapFilter:
    """Whole sentences and word n-grams of protected text; :meth:`hits` tells whether a text
    shares either with them."""

    def __init__(self, texts: Iterable[str], n: int = NGRAM):
        self.n = n
        self.sentences: set[tuple[str, ...]] = set()
        self.grams: set[tuple[str, ...]] = set()
        for t in texts:
            ws = words(t)
            if ws:
                self.sentences.add(ws)
                self.grams.update(_grams(ws, n))

    def hits(self, text: str) -> bool:
        ws = words(text)
        return ws in self.sentences or any(g in self.grams for g in _grams(ws, self.n))


def drop_overlapping(pairs: Sequence[MTPair], texts: Iterable[str], n: int = NGRAM) -> tuple[list[MTPair], int]:
    """``(kept, dropped)``: the pairs neither side of which overlaps ``texts``."""
    flt = OverlapFilter(texts, n)
    kept = [p for p in pairs if not (flt.hits(p.src) or flt.hits(p.tgt))]
    return kept, len(pairs) - len(kept)
