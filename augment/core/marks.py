"""Mark-only tokens: a token made only of combining marks is joined to the token before it.

Real MT output tokenized by others puts a combining tone mark on its own: T-Projection's Yoruba
files have ``mọ`` then a token that is only U+0301 (38,560 such tokens in 7,653 of 13,986
sentences). A bare mark is no word: NER models and aligners would see it as one. Every corpus
reader (:func:`augment.core.io.read_corpus`, so CoNLL, JSONL, Parquet, text and ``datasets``
alike) and the pair reader join such a token to the token before it, NFC-normalised
(``mọ`` + U+0301 -> ``mọ́``). Tags stay consistent because entities are remapped, not tags:

- the joined word takes the entity of its first token (the mark's own tag is dropped);
- an entity that *starts* at a mark starts at the next token instead (the previous word is not
  pulled into it), and an entity made only of marks disappears (counted by :func:`join_sentence`);
- token-indexed data of a pair record (alignment links, marker spans, projection spans) is
  remapped through the same index map, so a link to a mark becomes a link to its word.

A mark-only first token has no token before it and stays as it is. ``XNER_RAW_TOKENS=1`` (or
``read_corpus(..., join_marks=False)``) reads tokens as they are.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Sequence

import regex

from augment.core.span import Span

MARK_CATEGORIES = frozenset({"Mn", "Mc", "Me"})
RAW_TOKENS_ENV = "XNER_RAW_TOKENS"
# a token after the first that starts with a mark: the one regex search per sentence that lets
# sentences without mark-only tokens (almost all) skip the per-token check
_MARK_AFTER_FIRST = regex.compile(r"\x00\p{M}")


def joining_enabled() -> bool:
    """False when the environment asks for raw tokens (``XNER_RAW_TOKENS=1``)."""
    return os.environ.get(RAW_TOKENS_ENV, "").strip().lower() not in ("1", "true", "yes", "on")


def is_mark_only(token: str) -> bool:
    """True for a non-empty token every character of which is a combining mark (Mn, Mc, Me)."""
    return bool(token) and all(unicodedata.category(c) in MARK_CATEGORIES for c in token)


def word_index(tokens: Sequence[str]) -> list[int] | None:
    """For each token, the index of the word it becomes; ``None`` when no token is joined."""
    if _MARK_AFTER_FIRST.search("\x00".join(tokens)) is None:
        return None
    out: list[int] = []
    word = -1
    for tok in tokens:
        if not (word >= 0 and is_mark_only(tok)):
            word += 1
        out.append(word)
    return out if word + 1 < len(tokens) else None


def joined_tokens(tokens: Sequence[str], index: Sequence[int]) -> list[str]:
    """The words of ``tokens`` under ``index``; a word made of several tokens is NFC-normalised."""
    words: list[list[str]] = [[] for _ in range(index[-1] + 1 if index else 0)]
    for tok, w in zip(tokens, index, strict=True):
        words[w].append(tok)
    return [parts[0] if len(parts) == 1 else unicodedata.normalize("NFC", "".join(parts)) for parts in words]


def remap_span(start: int, end: int, index: Sequence[int]) -> tuple[int, int] | None:
    """The word span of token span ``[start, end)``: leading joined marks are left out (an
    entity never pulls the word before it in); ``None`` when the span holds only joined marks."""
    while start < end and start > 0 and index[start] == index[start - 1]:
        start += 1
    if start >= end:
        return None
    return index[start], index[end - 1] + 1


def remap_spans(spans: Iterable[Span], index: Sequence[int]) -> list[Span]:
    """Entity spans on the joined words; spans made only of marks are dropped."""
    out = []
    for s in spans:
        new = remap_span(s.start, s.end, index)
        if new is not None:
            out.append(Span(new[0], new[1], s.label))
    return out


def remap_links(links: Iterable[Sequence[int]], src_index: Sequence[int] | None,
                tgt_index: Sequence[int] | None) -> list[tuple[int, int]]:
    """Alignment links ``(i, j)`` on the joined words of either side (``None``: side unchanged)."""
    out = {(src_index[i] if src_index is not None else i, tgt_index[j] if tgt_index is not None else j)
           for i, j in links}
    return sorted(out)


def join_tags(tags: Sequence[str], index: Sequence[int], scheme: str) -> tuple[list[str], int]:
    """Tags of the joined words in ``scheme`` and the number of entities lost (made only of marks)."""
    from augment.core.tags import spans_to_tags, tags_to_spans

    spans = tags_to_spans(tags)
    kept = remap_spans(spans, index)
    return spans_to_tags(kept, index[-1] + 1, scheme), len(spans) - len(kept)


def join_sentence(tokens: Sequence[str], tags: Sequence[str] | None, scheme: str = "iob2",
                  ) -> tuple[list[str], list[str] | None, list[int] | None, int]:
    """``(tokens, tags, index, entities_lost)`` with mark-only tokens joined; ``index`` maps each
    input token to its word (``None``, and the input unchanged, when nothing is joined)."""
    index = word_index(tokens)
    if index is None:
        return list(tokens), None if tags is None else list(tags), None, 0
    lost = 0
    new_tags = None
    if tags is not None:
        new_tags, lost = join_tags(tags, index, scheme)
    return joined_tokens(tokens, index), new_tags, index, lost


def join_in_place(sentences: Iterable, scheme: str = "iob2") -> tuple[int, int, int]:
    """Join mark-only tokens in each :class:`~augment.core.record.Sentence`, setting its
    ``token_map``; returns ``(tokens joined, sentences changed, entities lost)``.

    Tags must be valid in ``scheme`` (entities are remapped and re-encoded in it), except in a
    sentence a lenient reader marked with ``issues``: there each word keeps its first token's tag,
    so the problem stays visible as it was."""
    n_tokens = n_sentences = n_lost = 0
    for s in sentences:
        index = word_index(s.tokens)
        if index is None:
            continue
        tags = s.tags
        if tags is not None and s.issues:
            firsts = [k for k in range(len(index)) if k == 0 or index[k] != index[k - 1]]
            tags = [tags[k] for k in firsts]
        elif tags is not None:
            tags, lost = join_tags(tags, index, scheme)
            n_lost += lost
        n_tokens += len(s.tokens) - (index[-1] + 1)
        n_sentences += 1
        s.tokens, s.tags, s.token_map = joined_tokens(s.tokens, index), tags, index
    return n_tokens, n_sentences, n_lost


def joined_note(where: object, counts: tuple[int, int, int]) -> str:
    """The one-line notice a reader logs: ``FILE: tokens joined: N in M sentences ...``."""
    tokens, sentences, lost = counts
    lost_note = f"; {lost} entities made only of marks dropped" if lost else ""
    return (f"{where}: tokens joined: {tokens} in {sentences} sentences (mark-only tokens such as a lone "
            f"U+0301 joined to the token before them{lost_note}; {RAW_TOKENS_ENV}=1 keeps them apart)")
