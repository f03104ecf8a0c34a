"""Read and write corpora in any supported format, chosen by name, extension or content.

Formats: ``conll``, ``jsonl``, ``parquet``, ``hf`` (datasets), ``text`` (unlabelled, one sentence
per line). A ``.txt`` file (or one with an unknown extension, like CoNLL-2003's ``eng.train``) is
sniffed: CoNLL when its lines are token + tag columns, plain text otherwise.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from pathlib import Path

from augment.core.errors import ConfigError, DataError, TagError
from augment.core.record import Sentence
from augment.core.tags import (
    convert_tags,
    detect_scheme,
    is_tag,
    repair_tags,
    scheme_name,
    validate_tags,
)

FORMATS = ("conll", "jsonl", "parquet", "hf", "text")
_EXTENSIONS = {
    ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl",
    ".parquet": "parquet", ".pq": "parquet",
    ".conll": "conll", ".conll02": "conll", ".conll03": "conll", ".conllu": "conll", ".bio": "conll", ".iob": "conll",
    ".hf": "hf",
}
_SNIFF_LINES = 200


def _module(fmt: str):
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format '{fmt}'; known: {', '.join(FORMATS)}")
    return importlib.import_module(f"augment.core.formats.{fmt}")


def sniff_format(path: str | os.PathLike) -> str:
    """``conll`` when the first non-blank lines are token + tag columns, else ``text``."""
    from augment.core.fileio import read_text, split_lines

    seen = conll_like = 0
    for raw in split_lines(read_text(path)):
        cols = raw.split()
        if not cols:
            continue
        seen += 1
        if cols[0] == "-DOCSTART-" or (len(cols) >= 2 and is_tag(cols[-1])):
            conll_like += 1
        if seen >= _SNIFF_LINES:
            break
    return "conll" if seen and conll_like == seen else "text"


def detect_format(path: str | os.PathLike, for_writing: bool = False, tagged: bool = True) -> str:
    """The format of ``path`` from its name (``hf:`` prefix, extension) or, for reading, its content."""
    spec = str(path)
    if spec.startswith("hf:"):
        return "hf"
    base = spec.split("#", 1)[0]
    p = Path(base)
    ext = p.suffix.lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if for_writing:
        if ext == ".txt" and not tagged:
            return "text"
        return "conll"
    from augment.core.formats.hf import is_saved_dataset

    if is_saved_dataset(base):
        return "hf"
    if not p.exists():
        raise DataError("no such file", path=base)
    if p.is_dir():
        raise DataError("is a directory but not a saved datasets directory", path=base)
    return sniff_format(p)


def read_corpus(
    path: str | os.PathLike,
    format: str | None = None,
    *,
    scheme: str = "auto",
    repair: bool = False,
    to_scheme: str | None = None,
    lang: str | None = None,
    allow_empty: bool = False,
) -> list[Sentence]:
    """Read, check and optionally convert a corpus.

    ``scheme``: the tag scheme the file is in (``auto`` detects it). Tags are validated against
    it; an invalid sequence raises :class:`DataError` naming the file and line unless ``repair``
    is set, which re-encodes it (``O I-X`` becomes ``O B-X`` in IOB2). ``to_scheme`` converts all
    tags after reading (stages use ``iob2``).
    """
    fmt = format or detect_format(path)
    if not str(path).startswith("hf:") and fmt != "hf" and not Path(path).exists():
        raise DataError("no such file", path=path)
    sentences = _module(fmt).read(path, lang=lang)
    if not sentences and not allow_empty:
        raise DataError("empty file: no sentences found", path=path)
    tagged = [s for s in sentences if s.tags is not None]
    if tagged:
        check_tags(tagged, path, fmt, scheme=scheme, repair=repair)
        if to_scheme is not None:
            target = scheme_name(to_scheme)
            for s in tagged:
                s.tags = convert_tags(s.tags, target)
    return sentences


def check_tags(sentences: Sequence[Sentence], path, fmt: str, scheme: str = "auto", repair: bool = False) -> str:
    """Validate (or repair) every tag sequence; returns the scheme used."""
    used = detect_scheme(s.tags for s in sentences) if scheme == "auto" else scheme_name(scheme)
    for s in sentences:
        try:
            validate_tags(s.tags, used)
        except TagError as err:
            if repair and err.repairable:
                s.tags = repair_tags(s.tags, used)
                continue
            line = s.line
            if line is not None and fmt == "conll" and err.index is not None:
                line += err.index
            hint = "; pass --repair-tags to fix it" if err.repairable else ""
            raise DataError(f"sentence {s.id}, token {err.index}: {err.message}{hint}", path=path, line=line) from None
    return used


def write_corpus(sentences: Sequence[Sentence], path: str | os.PathLike, format: str | None = None) -> str:
    """Write ``sentences`` atomically; returns the format used."""
    fmt = format or detect_format(path, for_writing=True, tagged=any(s.tags is not None for s in sentences))
    _module(fmt).write(list(sentences), path)
    return fmt
