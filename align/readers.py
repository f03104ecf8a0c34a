"""Sentence pairs from translation JSONL, ``src ||| tgt`` text or two-column TSV, or a Hugging Face
translation dataset (``hf:UdS-LSV/menyo20k_mt:menyo20k_mt#train`` or a ``save_to_disk`` folder
``DIR#SPLIT``) whose ``translation`` column holds the two sides (in its feature's language order).

The format is taken from ``format`` or sniffed from the first non-empty line: ``{`` -> JSONL,
`` ||| `` -> text, a TAB -> TSV (read by :mod:`augment.core.formats.tsv_pairs`). Raw text is split
on whitespace with mark-only tokens joined to the token before them, as every corpus reader does
(:mod:`augment.core.marks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from augment.core.errors import DataError
from augment.core.fileio import split_lines

PAIR_FORMATS = ("jsonl", "text", "tsv")


@dataclass
class TokenPair:
    """One sentence pair as the aligners see it: tokens of both sides; ``line`` is the 1-based
    line it came from. (The full record of a translation is :class:`augment.core.pair.Pair`.)"""

    id: str
    src: list[str]
    tgt: list[str]
    line: int | None = None


def words(text: str) -> list[str]:
    """Whitespace tokens of one side, mark-only tokens joined (unless ``XNER_RAW_TOKENS=1``)."""
    from augment.core.marks import joined_tokens, joining_enabled, word_index

    tokens = text.split()
    index = word_index(tokens) if joining_enabled() else None
    return tokens if index is None else joined_tokens(tokens, index)


def sniff_format(text: str) -> str | None:
    for line in split_lines(text):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            return "jsonl"
        if "|||" in line:
            return "text"
        if "\t" in line:
            return "tsv"
        return None
    return None


def read_pairs(path: str | Path, format: str | None = None) -> list[TokenPair]:
    """All pairs of a file, in order; a bad line raises :class:`DataError` naming it."""
    from augment.core.fileio import read_text
    from augment.core.formats import hf

    if str(path).startswith("hf:") or hf.is_saved_dataset(path):
        return _dataset(str(path))
    text = read_text(path)
    fmt = format or sniff_format(text)
    if fmt is None:
        raise DataError("cannot tell the pair format: expected JSONL, 'src ||| tgt' lines or "
                        "'src<TAB>tgt' lines (use --format)", path=path)
    if fmt not in PAIR_FORMATS:
        raise DataError(f"unknown pair format {fmt!r}; choose from {', '.join(PAIR_FORMATS)}", path=path)
    stem = Path(path).stem
    reader = {"jsonl": _jsonl, "text": _text, "tsv": _tsv}[fmt]
    pairs = list(reader(text, path, stem))
    if not pairs:
        raise DataError("no sentence pairs in file", path=path)
    return pairs


def _dataset(spec: str) -> list[TokenPair]:
    """Pairs of a ``datasets`` split with a ``translation`` column (e.g. MENYO-20k: en, yo)."""
    from augment.core.formats.hf import translation_pairs

    return [TokenPair(pid, words(a), words(b), i + 1) for i, (pid, a, b) in enumerate(translation_pairs(spec))]


def _jsonl(text: str, path, stem: str):
    from augment.core.pair import read_pairs

    for p in read_pairs(path):
        yield TokenPair(p.id, list(p.source.tokens), list(p.target.tokens), p.target.line)


def _text(text: str, path, stem: str):
    for n, line in enumerate(split_lines(text), 1):
        if not line.strip():
            continue
        parts = line.split("|||")
        if len(parts) != 2:
            raise DataError("expected one '|||' between source and target", path=path, line=n)
        yield TokenPair(f"{stem}-{n - 1}", words(parts[0]), words(parts[1]), n)


def _tsv(text: str, path, stem: str):
    from augment.core.formats.tsv_pairs import parse_tsv_pairs

    for k, row in enumerate(parse_tsv_pairs(text, path)):
        yield TokenPair(f"{stem}-{k}", words(row.src), words(row.tgt), row.line)
