"""Small readers the adapters share: text lines of any corpus file or of a parallel TSV."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def read_tsv_pairs(path: str | Path) -> list[tuple[str, str]]:
    """``(source, target)`` text of each row of a parallel TSV (rules: ``augment.core.formats.tsv_pairs``)
    or of a data set with a ``translation`` column (``hf:UdS-LSV/menyo20k_mt#train``, docs/data.md)."""
    from augment.core.formats import hf

    if hf.is_dataset(path):
        return [(a, b) for _, a, b in hf.translation_pairs(path)]
    from augment.core.formats.tsv_pairs import read_tsv_pairs as read_rows

    return [(row.src, row.tgt) for row in read_rows(path)]


def iter_texts(path: str | Path, limit: int | None = None) -> Iterator[str]:
    """Sentences as text: both sides of a ``.tsv`` or of a translation data set, else the tokens of
    any readable corpus file."""
    from augment.core.formats import hf

    path = Path(path)
    if path.suffix.lower() == ".tsv" or (hf.is_dataset(path) and hf.has_translation(path)):
        pairs = read_tsv_pairs(path)[:limit]
        for src, tgt in pairs:
            yield src
            yield tgt
        return
    from augment.core import read_corpus

    for s in read_corpus(path, repair=True)[:limit]:
        yield " ".join(s.tokens)
