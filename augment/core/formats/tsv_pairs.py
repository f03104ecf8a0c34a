"""Parallel text as a two-column TSV (``source<TAB>target`` per line, e.g. MENYO-20k).

The one TSV pair reader of the toolkit (``align run``, the pipeline's ``menyo-pairs``, ``prepare``
and text stages, the benchmarks). It is not a corpus format: a row is two raw sentences, not
tokens with tags. Rules (docs/formats.md, "Parallel TSV"):

- one physical line is one row; a field never spans lines;
- fields are split at TABs; a field wrapped in double quotes (``"say ""hi"" now"`` is ``say "hi" now``, as Python's
  ``csv`` and pandas write them) is unquoted, but only when its closing quote is followed by a TAB
  or the end of the line; any other quote, such as one unbalanced leading ``"``, is text;
- a row that unquoting does not read as two fields but that has exactly one TAB is split at it,
  quotes kept as text: ``"<TAB>"`` is a pair of lone quotes (a real CoNLL-2003 sentence and its
  translation), not one quoted field holding a TAB;
- whitespace and byte-order marks around a cell are removed; a blank row is skipped;
- the first row is a header (skipped) when every cell is a column label (:data:`HEADER_LABELS`,
  case-insensitive), e.g. ``English<TAB>Yoruba`` or ``src<TAB>tgt``; ``header=True/False`` overrides;
- any other row must have exactly two fields, else :class:`DataError` names file and line.
No field-size limit applies (the ``csv`` module's 128 KB limit does not).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from augment.core.errors import DataError

#: First-row cells that make it a header: generic column names, and the names and ISO 639-1/-3
#: codes of the languages this toolkit's data and examples use. Two ordinary words (``Yes<TAB>Bẹ́ẹ̀ni``)
#: are a sentence pair, not a header.
HEADER_LABELS = frozenset({
    "source", "src", "target", "tgt", "text", "translation", "sentence",
    "english", "en", "eng", "yoruba", "yo", "yor", "hausa", "ha", "hau", "swahili", "sw", "swa",
    "igbo", "ig", "ibo", "french", "fr", "fra", "german", "de", "deu", "spanish", "es", "spa",
    "italian", "it", "ita", "dutch", "nl", "nld", "portuguese", "pt", "por", "arabic", "ar", "ara",
    "amharic", "am", "amh", "zulu", "zu", "zul", "xhosa", "xh", "xho", "wolof", "wo", "wol",
    "kinyarwanda", "rw", "kin", "luganda", "lg", "lug", "chinese", "zh", "zho", "russian", "ru", "rus",
})


@dataclass(frozen=True)
class TsvPair:
    """One row: the two cells as text, and the 1-based line it was read from."""

    line: int
    src: str
    tgt: str


def split_fields(line: str) -> list[str]:
    """The TAB-separated fields of one line, a quoted field unquoted (see the module rules)."""
    fields: list[str] = []
    pos, n = 0, len(line)
    while True:
        if line.startswith('"', pos):
            end = _closing_quote(line, pos + 1)
            if end is not None:
                fields.append(line[pos + 1:end].replace('""', '"'))
                if end + 1 == n:
                    return fields
                pos = end + 2  # past the quote and its TAB
                continue
        tab = line.find("\t", pos)
        if tab < 0:
            fields.append(line[pos:])
            return fields
        fields.append(line[pos:tab])
        pos = tab + 1


def _closing_quote(line: str, start: int) -> int | None:
    """Index of the quote closing a field opened before ``start``: one not doubled and followed
    by a TAB or the end of the line; ``None`` when there is none (the opening quote is text)."""
    j = start
    while True:
        j = line.find('"', j)
        if j < 0:
            return None
        if line.startswith('""', j):
            j += 2
            continue
        return j if j + 1 == len(line) or line[j + 1] == "\t" else None


def _clean(cell: str) -> str:
    return cell.replace("\ufeff", "").strip()


def is_header(cells: list[str]) -> bool:
    """True when every cell is a column label (see :data:`HEADER_LABELS`)."""
    return bool(cells) and all(_clean(c).lower() in HEADER_LABELS for c in cells)


def parse_tsv_pairs(text: str, path: str | os.PathLike, header: bool | None = None) -> list[TsvPair]:
    """The rows of TSV ``text`` (read from ``path``, named in errors), header and blank rows skipped."""
    from augment.core.fileio import split_lines

    out: list[TsvPair] = []
    first = True
    for n, line in enumerate(split_lines(text), 1):
        if not line.replace("\ufeff", "").strip():
            continue
        cells = split_fields(line)
        if len(cells) != 2 and line.count("\t") == 1:
            cells = line.split("\t")
        if first:
            first = False
            if header is True or (header is None and is_header(cells)):
                continue
        if len(cells) != 2:
            raise DataError(f"expected 2 tab-separated columns, found {len(cells)}", path=path, line=n)
        out.append(TsvPair(n, _clean(cells[0]), _clean(cells[1])))
    return out


def read_tsv_pairs(path: str | os.PathLike, header: bool | None = None) -> list[TsvPair]:
    """All rows of a parallel TSV file, in order (see the module rules)."""
    from augment.core.fileio import read_text

    return parse_tsv_pairs(read_text(path), path, header)
