"""CoNLL columns: one token per line, the token first and the tag last, blank lines between
sentences. Any number of columns (CoNLL-2003 has 4), spaces or tabs, ``-DOCSTART-`` skipped,
UTF-8 BOM and CRLF accepted, trailing whitespace ignored. Written as ``token<space>tag``."""

from __future__ import annotations

import os
from pathlib import Path

from augment.core.errors import DataError
from augment.core.fileio import atomic_write, read_text, split_lines
from augment.core.formats import CorpusFormat
from augment.core.record import Sentence


def read(path: str | os.PathLike, lang: str | None = None, label_names: list[str] | None = None) -> list[Sentence]:
    """Sentences of a CoNLL file (``label_names``: unused, CoNLL tags are names)."""
    path = Path(path)
    text = read_text(path)
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    first_line = 0

    def flush() -> None:
        if tokens:
            sentences.append(
                Sentence(id=f"{path.stem}-{len(sentences)}", tokens=list(tokens), tags=list(tags), lang=lang, line=first_line)
            )
            tokens.clear()
            tags.clear()

    for lineno, raw in enumerate(split_lines(text), start=1):
        cols = raw.split()
        if not cols:
            flush()
            continue
        if cols[0] == "-DOCSTART-":
            flush()
            continue
        if len(cols) < 2:
            raise DataError(f"missing tag column: expected 'token tag', got {raw.strip()!r}", path=path, line=lineno)
        if not tokens:
            first_line = lineno
        tokens.append(cols[0])
        tags.append(cols[-1])
    flush()
    return sentences


def write(sentences: list[Sentence], path: str | os.PathLike) -> None:
    with atomic_write(path) as fh:
        for s in sentences:
            if s.tags is None:
                raise DataError(f"sentence {s.id} has no tags; CoNLL needs a tag column (write .jsonl or .txt)", path=path)
            for tok, tag in zip(s.tokens, s.tags):
                if not tok or any(c.isspace() for c in tok):
                    raise DataError(f"sentence {s.id}: token {tok!r} is empty or has whitespace, which CoNLL cannot hold", path=path)
                fh.write(f"{tok} {tag}\n")
            fh.write("\n")


FORMAT = CorpusFormat("conll", read, write)
