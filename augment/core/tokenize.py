"""The target-side word tokenizer: whitespace, then every punctuation mark on its own, MasakhaNER style.

MasakhaNER splits ``Covid-19.`` into ``Covid - 19 .`` and ``2,173`` into ``2 , 173``, but keeps
apostrophes inside and around words (``l'ó``, ``‘ẹgbẹ́’``). This tokenizer does the same so that
translated sentences look like the NER training data:

- text is split on whitespace;
- a run of letters, combining marks, digits and apostrophes (``' ’ ‘ ʼ``) is one token, so
  Yoruba tone marks never split a word;
- every other character (punctuation, symbols) is a token of its own, except that a run of the
  same character stays together (``...``, ``--``, ``""``);
- a run of combining marks standing alone (after a space, as real MT output sometimes writes a
  tone mark) is joined to the token before it, NFC-normalised (:mod:`augment.core.marks`), as
  every corpus reader does, so a tokenized sentence reads back with the same tokens.

Stages that tokenize raw text (translation output, plain-text input) use :func:`tokenize`.
"""

from __future__ import annotations

import regex

APOSTROPHES = "'\u2019\u2018\u02bc"
_WORD = rf"[\p{{L}}\p{{M}}\p{{N}}{APOSTROPHES}]+"
_TOKEN = regex.compile(rf"{_WORD}|([^\s\p{{L}}\p{{M}}\p{{N}}{APOSTROPHES}])\1*")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into MasakhaNER-style tokens (see the module docstring)."""
    return [tok for tok, _, _ in tokenize_with_offsets(text)]


def tokenize_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Tokens with their character offsets ``(token, start, end)`` in ``text``; a joined mark's
    word spans from the word's start to the mark's end (the text between is whitespace)."""
    from augment.core.marks import joined_tokens, word_index

    found = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    index = word_index([tok for tok, _, _ in found])
    if index is None:
        return found
    words = joined_tokens([tok for tok, _, _ in found], index)
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    for (_, start, end), w in zip(found, index, strict=True):
        starts.setdefault(w, start)
        ends[w] = end
    return [(word, starts[w], ends[w]) for w, word in enumerate(words)]


_NO_SPACE_BEFORE = set(",.;:!?)]}%…”’»") | {"...", "''"}
_NO_SPACE_AFTER = set("([{“‘«$")


def space_before(tokens: list[str]) -> list[bool]:
    """For each token, whether :func:`detokenize` puts a space in front of it."""
    flags: list[bool] = []
    glue_next = True
    for tok in tokens:
        flags.append(not glue_next and not (tok in _NO_SPACE_BEFORE or set(tok) <= _NO_SPACE_BEFORE))
        glue_next = tok in _NO_SPACE_AFTER
    return flags


def detokenize(tokens: list[str]) -> str:
    """Join tokens into running text for a translation model (``Paris , France .`` -> ``Paris, France.``).

    Only the unambiguous cases are joined: no space before closing punctuation, none after an
    opening bracket or quote. Straight quotes keep their spaces.
    """
    return "".join((" " if sp else "") + tok for tok, sp in zip(tokens, space_before(tokens)))
