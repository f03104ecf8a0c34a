"""Sentences longer than a model's source limit: split them so that a run never stops on one.

A user who feeds a 700-subword "sentence" (a table row, a paragraph without line breaks) to a
512-position model expects the whole of it translated, not the tail silently dropped and not a
crash. So a long input is cut into pieces that each fit, translated piece by piece, and the
outputs joined with a space: first at sentence punctuation (``. ! ? ;``), then, for a sentence
that is still too long, into word chunks. A cut never falls inside an entity marker pair, so the
markers survive. Only a stretch with no usable cut (one enormous word or entity) is truncated by
the tokenizer. The record says which happened (``long_input``: ``split`` / ``truncated``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

SENTENCE_END = (".", "!", "?", ";", "。", "؟", "।")


def _depths(words: Sequence[str], markers: tuple[str, str] | None) -> list[int]:
    """Marker nesting depth after each word (0 everywhere without markers)."""
    out, depth = [], 0
    for w in words:
        if markers is not None:
            depth += w.count(markers[0]) - w.count(markers[1])
        out.append(depth)
    return out


def split_long(text: str, limit: int, count: Callable[[list[str]], list[int]],
               markers: tuple[str, str] | None = None) -> tuple[list[str], str]:
    """``(pieces, how)``: ``text`` cut into pieces of at most ``limit`` subwords by ``count``.

    ``how`` is ``""`` when the text fits as it is, ``"split"`` when every piece fits, and
    ``"truncated"`` when some piece still does not (the backend then cuts it at ``limit``).
    ``count`` returns the model's source subwords (special tokens included) per string;
    ``markers`` (open, close) are never separated."""
    whole = count([text])[0]
    if whole <= limit:
        return [text], ""
    words = text.split()
    if len(words) <= 1:
        return [text], "truncated"
    overhead = count([""])[0]
    sizes = [max(0, n - overhead) for n in count(words)]
    budget = max(1, limit - overhead)  # words counted alone: close to, not exactly, their count in context
    depth = _depths(words, markers)
    safe = [d <= 0 for d in depth]  # a cut after word i keeps markers whole
    ends = [safe[i] and words[i].endswith(SENTENCE_END) for i in range(len(words))]

    units: list[tuple[int, int]] = []  # [start, end) word ranges: sentences, then word chunks
    start = 0
    for i in range(len(words)):
        if ends[i] or i == len(words) - 1:
            units.extend(_chunks(start, i + 1, sizes, safe, budget))
            start = i + 1
    pieces: list[tuple[int, int]] = []
    for a, b in units:
        if pieces and sum(sizes[pieces[-1][0]:b]) <= budget:
            pieces[-1] = (pieces[-1][0], b)
        else:
            pieces.append((a, b))
    exact: list[tuple[int, int]] = []
    for a, b in pieces:
        exact.extend(_fit(a, b, words, safe, limit, count))
    texts = [" ".join(words[a:b]) for a, b in exact]
    how = "split" if all(n <= limit for n in count(texts)) else "truncated"
    return texts, how


def _fit(a: int, b: int, words: Sequence[str], safe: Sequence[bool], limit: int,
         count: Callable[[list[str]], list[int]]) -> list[tuple[int, int]]:
    """``[a, b)`` halved at the safe cut nearest its middle until every part really fits."""
    if b - a <= 1 or count([" ".join(words[a:b])])[0] <= limit:
        return [(a, b)]
    cuts = [i for i in range(a, b - 1) if safe[i]]
    if not cuts:
        return [(a, b)]
    mid = min(cuts, key=lambda i: abs(i + 1 - (a + b) / 2)) + 1
    return _fit(a, mid, words, safe, limit, count) + _fit(mid, b, words, safe, limit, count)


def _chunks(start: int, end: int, sizes: Sequence[int], safe: Sequence[bool], budget: int) -> list[tuple[int, int]]:
    """Word range ``[start, end)`` as chunks within ``budget``, cut only after safe words."""
    if sum(sizes[start:end]) <= budget:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    a, total, last_safe = start, 0, None
    i = start
    while i < end:
        total += sizes[i]
        if total > budget and last_safe is not None and last_safe >= a:
            out.append((a, last_safe + 1))
            a, total, last_safe = last_safe + 1, 0, None
            i = a
            continue
        if safe[i]:
            last_safe = i
        i += 1
    if a < end:
        out.append((a, end))
    return out
