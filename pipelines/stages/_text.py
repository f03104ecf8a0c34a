"""Small readers the adapters share: text lines of any corpus file or of a parallel TSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path


def read_tsv_pairs(path: str | Path) -> list[tuple[str, str]]:
    """Rows of a two-column TSV (header skipped when it names languages; quoted fields honoured)."""
    from augment.core.errors import DataError
    from augment.core.fileio import read_text, split_lines

    rows = list(csv.reader(split_lines(read_text(path)), delimiter="\t"))
    if rows and len(rows[0]) >= 2 and rows[0][0].strip().lower() in {"english", "source", "src", "en"}:
        rows = rows[1:]
    pairs = []
    for i, row in enumerate(rows):
        if len(row) < 2:
            raise DataError(f"expected 2 tab-separated columns, found {len(row)}", path=path, line=i + 2)
        pairs.append((row[0].strip().lstrip("\ufeff"), row[1].strip().lstrip("\ufeff")))
    return pairs


def iter_texts(path: str | Path, limit: int | None = None) -> Iterator[str]:
    """Sentences as text: both sides of a ``.tsv``, else the tokens of any readable corpus file."""
    path = Path(path)
    if path.suffix.lower() == ".tsv":
        pairs = read_tsv_pairs(path)[:limit]
        for src, tgt in pairs:
            yield src
            yield tgt
        return
    from augment.core import read_corpus

    for s in read_corpus(path, repair=True)[:limit]:
        yield " ".join(s.tokens)
