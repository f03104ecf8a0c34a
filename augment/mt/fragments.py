"""Re-join words that a tokenizer cut at a combining tone mark, using a word list.

In real MT output such as ``conll2003_mt_tprojection/yor`` a word like ``wọ́n`` arrives as three
tokens ``wọ`` + U+0301 + ``n``: the tokenizer split before and after the mark. The corpus readers
attach the mark to the token before it (:mod:`augment.core.marks`), which gives ``wọ́`` ``n``,
still two tokens; but a mark is also followed by a separate word (``mọ́ ìkésíni``), so whether to
join the next token cannot be read off the tokens. It is decided with word counts from human text
of the language (MENYO-20k's Yoruba): a run of words cut at marks is segmented into the words that
are most probable under a unigram model of those counts; a join must make a word the counts know,
and never crosses an entity boundary. On the Yoruba file this turns ``wọ́ n`` into ``wọ́n`` (3,519
times), ``orílẹ̀ -èdè`` into ``orílẹ̀-èdè``, ``lọ́ jọ́`` into ``lọ́jọ́``, and leaves ``ọ̀ dọ́ àgùntàn``
as ``ọ̀dọ́ àgùntàn``.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import regex

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}'’\-]+")
#: Longest run of cut pieces considered as one word.
MAX_PIECES = 6


def lexicon(texts: Iterable[str]) -> Counter:
    """Lower-cased NFC word counts of ``texts`` (hyphenated words stay whole)."""
    counts: Counter = Counter()
    for t in texts:
        counts.update(_WORD.findall(unicodedata.normalize("NFC", t).lower()))
    return counts


class FragmentJoiner:
    """Joins cut pieces into the words of a lexicon (:meth:`__call__`)."""

    def __init__(self, counts: Counter):
        self.counts = counts
        self.total = max(sum(counts.values()), 1)

    def _logp(self, word: str) -> float | None:
        c = self.counts.get(word.lower(), 0)
        return math.log(c / self.total) if c else None

    def _unknown(self) -> float:
        return math.log(0.5 / self.total)

    def _best(self, pieces: Sequence[str]) -> list[int]:
        """Lengths of the words the pieces are cut into (most probable segmentation)."""
        n = len(pieces)
        best: list[tuple[float, list[int]]] = [(0.0, [])] + [(-math.inf, [])] * n
        for end in range(1, n + 1):
            for k in range(1, min(MAX_PIECES, end) + 1):
                word = unicodedata.normalize("NFC", "".join(pieces[end - k:end]))
                lp = self._logp(word)
                if lp is None:
                    if k > 1:
                        continue  # a join must make a known word
                    lp = self._unknown()
                score = best[end - k][0] + lp
                if score > best[end][0]:
                    best[end] = (score, best[end - k][1] + [k])
        return best[n][1]

    def __call__(self, words: Sequence[str], tags: Sequence[str], cut_after: Sequence[bool],
                 ) -> tuple[list[str], list[str], int]:
        """``(words, tags, pieces joined)``: ``cut_after[i]`` says word ``i`` had a mark joined
        to it (:func:`augment.mt.tagged.cut_after`), so the next word may continue it."""
        word_tags = list(tags)
        out: list[str] = []
        out_tags: list[str] = []
        joined = 0
        i = 0
        while i < len(words):
            j = i  # the run i..j: each word but the last was cut at a mark, the next may continue it
            while j + 1 < len(words) and cut_after[j] and (words[j + 1][:1].isalpha() or words[j + 1][:1] == "-") \
                    and self._continues(word_tags[j], word_tags[j + 1]):
                j += 1
            run = words[i:j + 1]
            k = i
            for length in self._best(run) if len(run) > 1 else [1]:
                out.append(unicodedata.normalize("NFC", "".join(words[k:k + length])))
                out_tags.append(word_tags[k])
                joined += length - 1
                k += length
            i = j + 1
        return out, out_tags, joined

    @staticmethod
    def _continues(tag: str, next_tag: str) -> bool:
        """Joining keeps the tags consistent: O O, or X then I-X of the same entity."""
        if next_tag == "O":
            return tag == "O"
        return next_tag.startswith("I-") and tag[2:] == next_tag[2:]
