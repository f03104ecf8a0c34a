"""The target-side word tokenizer: whitespace, then every punctuation mark on its own, MasakhaNER style.

MasakhaNER splits ``Covid-19.`` into ``Covid - 19 .`` and ``2,173`` into ``2 , 173``, but keeps
apostrophes inside and around words (``l'ó``, ``‘ẹgbẹ́’``). This tokenizer does the same so that
translated sentences look like the NER training data:

- text is split on whitespace;
- a run of letters, combining marks, digits and apostrophes (``' ’ ‘ ʼ``) is one token, so
  Yoruba tone marks never split a word;
- every other character (punctuation, symbols) is a token of its own, except that a run of the
  same character stays together (``...``, ``--``, ``""``).

A combining mark after whitespace or punctuation (MT output such as ``mọ ́``) would be a token
of its own; :func:`tokenize` joins it to the token before, as every corpus reader does
(:mod:`augment.core.marks`), so tokenized text and text read back agree.
:func:`tokenize_with_offsets` gives the pieces as they stand in the text, unjoined.

Stages that tokenize raw text (translation output, plain-text input) use :func:`tokenize`.
"""

from __future__ import annotations

import regex

APOSTROPHES = "'\u2019\u2018\u02bc"
_WORD = rf"[\p{{L}}\p{{M}}\p{{N}}{APOSTROPHES}]+"
_TOKEN = regex.compile(rf"{_WORD}|([^\s\p{{L}}\p{{M}}\p{{N}}{APOSTROPHES}])\1*")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into MasakhaNER-style tokens (see the module docstring); mark-only tokens
    are joined to the token before them unless ``XNER_RAW_TOKENS=1``."""
    from augment.core.marks import joined_tokens, joining_enabled, word_index

    tokens = [m.group(0) for m in _TOKEN.finditer(text)]
    index = word_index(tokens) if joining_enabled() else None
    return tokens if index is None else joined_tokens(tokens, index)


def tokenize_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """The pieces of :func:`tokenize` as they stand in ``text``, ``(piece, start, end)`` (a
    mark-only piece is not joined here: its offsets are its own)."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


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
