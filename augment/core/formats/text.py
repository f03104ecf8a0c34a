"""Plain text: one sentence per line, tokens separated by whitespace, no tags (unlabelled text)."""

from __future__ import annotations

import os
from pathlib import Path

from augment.core.fileio import atomic_write, read_text, split_lines
from augment.core.formats import CorpusFormat
from augment.core.record import Sentence


def read(path: str | os.PathLike, lang: str | None = None, label_names: list[str] | None = None) -> list[Sentence]:
    """``label_names`` is accepted for a uniform reader signature; this format has no tag ids."""
    path = Path(path)
    out = []
    for lineno, raw in enumerate(split_lines(read_text(path)), start=1):
        tokens = raw.split()
        if tokens:
            out.append(Sentence(id=f"{path.stem}-{len(out)}", tokens=tokens, lang=lang, line=lineno))
    return out


def write(sentences: list[Sentence], path: str | os.PathLike) -> None:
    with atomic_write(path) as fh:
        for s in sentences:
            fh.write(" ".join(s.tokens) + "\n")


FORMAT = CorpusFormat("text", read, write)
