"""Small readers the adapters share: text lines of any corpus file or of a parallel TSV."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def read_tsv_pairs(path: str | Path) -> list[tuple[str, str]]:
    """``(source, target)`` text of each row of a parallel TSV (rules: ``augment.core.formats.tsv_pairs``)."""
    from augment.core.formats.tsv_pairs import read_tsv_pairs as read_rows

    return [(row.src, row.tgt) for row in read_rows(path)]


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
