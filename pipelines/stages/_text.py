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


EXCLUDE_HELP = ("test sets (any corpus file or parallel .tsv): a sentence that occurs in one, or shares an "
                "8-gram of tokens with one, is dropped (augment.core.overlap)")


def exclusion(exclude: list[Path] | None):
    """The :class:`augment.core.overlap.OverlapIndex` of an ``exclude`` slot, or None when it is empty."""
    from augment.core.overlap import OverlapIndex

    return OverlapIndex.from_files(exclude) if exclude else None


def decontamination_summary(index, counts: list[tuple[str | Path, object]]) -> dict:
    """The ``decontamination`` entry of a stage summary: the test files and, per input, what was dropped."""
    if index is None:
        return {}
    files = [{"input": str(p), **c.to_dict()} for p, c in counts]
    return {"decontamination": {"exclude": index.files, "inputs": files,
                                "dropped": sum(f["dropped_exact"] + f["dropped_ngram"] for f in files)}}


def read_texts(paths: list[Path], limit: int | None = None,
               exclude: list[Path] | None = None) -> tuple[list[str], dict]:
    """The sentences of every file (:func:`iter_texts`, at most ``limit`` of each) without those
    overlapping a test set of ``exclude``, and the summary entry saying what was dropped."""
    from augment.core.overlap import without_overlap

    index = exclusion(exclude)
    texts: list[str] = []
    counts = []
    for path in paths:
        got = list(iter_texts(path, limit))
        if index is not None:
            got, c = without_overlap(got, lambda t: [t], index)
            counts.append((path, c))
        texts += got
    return texts, decontamination_summary(index, counts)
