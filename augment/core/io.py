"""Read and write corpora in any supported format, chosen by name, extension or content.

Formats: ``conll``, ``jsonl``, ``parquet``, ``hf`` (datasets), ``text`` (unlabelled, one sentence
per line). A ``.txt`` file (or one with an unknown extension, like CoNLL-2003's ``eng.train``) is
sniffed: CoNLL when most of its lines are token + tag columns (so one malformed line is reported
by the CoNLL reader, not read as an untagged sentence), plain text otherwise.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from augment.core.errors import ConfigError, DataError, TagError
from augment.core.formats import PARTS, CorpusFormat
from augment.core.marks import join_in_place, joined_note, joining_enabled
from augment.core.record import Sentence
from augment.core.tags import (
    convert_tags,
    detect_scheme,
    is_tag,
    repair_tags,
    scheme_name,
    validate_tags,
)

FORMATS = PARTS.names()
_EXTENSIONS = {
    ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl",
    ".parquet": "parquet", ".pq": "parquet",
    ".conll": "conll", ".conll02": "conll", ".conll03": "conll", ".conllu": "conll", ".bio": "conll", ".iob": "conll",
    ".hf": "hf",
}
_SNIFF_LINES = 200
_CONLL_SHARE = 0.5  # at least half of the sniffed lines look like ``token ... tag``
INVALID_MODES = ("error", "mark")
LABEL_NAMES_KEY = "xner.label_names"  # where --label-names leaves its value in the click context
log = logging.getLogger("xner.corpus")


def _module(fmt: str) -> CorpusFormat:
    return PARTS.get(fmt)


def sniff_format(path: str | os.PathLike) -> str:
    """``conll`` when at least half of the first non-blank lines are token + tag columns (or
    ``-DOCSTART-``), else ``text``. A share, not all of them: a CoNLL file with a bad tag or a
    line missing its tag must be read as CoNLL and rejected at that line."""
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
    return "conll" if seen and conll_like >= _CONLL_SHARE * seen else "text"


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
    label_names: Sequence[str] | None = None,
    invalid: str = "error",
    join_marks: bool | None = None,
) -> list[Sentence]:
    """Read, check and optionally convert a corpus.

    ``scheme``: the tag scheme the file is in (``auto`` detects it). Tags are validated against
    it; an invalid sequence raises :class:`DataError` naming the file and line unless ``repair``
    is set, which re-encodes it (``O I-X`` becomes ``O B-X`` in IOB2), or ``invalid="mark"``,
    which keeps it and lists the problem in ``Sentence.issues`` (for viewers). ``to_scheme``
    converts all valid tags after reading (stages use ``iob2``). ``label_names`` name integer tag
    ids (default: the ``--label-names`` option of the running command). Text that is not valid
    Unicode is rejected in every format. ``join_marks``: join mark-only tokens (a lone U+0301) to
    the token before them, entities kept consistent (:mod:`augment.core.marks`; default: on unless
    ``XNER_RAW_TOKENS=1``); each sentence's ``token_map`` says what was joined, and a file where
    it happened is logged once as ``FILE: tokens joined: N in M sentences``.
    """
    if invalid not in INVALID_MODES:
        raise ValueError(f"invalid={invalid!r}; expected one of {INVALID_MODES}")
    fmt = format or detect_format(path)
    if not str(path).startswith("hf:") and fmt != "hf" and not Path(path).exists():
        raise DataError("no such file", path=path)
    if label_names is None:
        label_names = option_label_names()
    sentences = _module(fmt).read(path, lang=lang, label_names=None if label_names is None else list(label_names))
    check_unicode(sentences, path, fmt)
    if not sentences and not allow_empty:
        raise DataError("empty file: no sentences found", path=path)
    tagged = [s for s in sentences if s.tags is not None]
    used = check_tags(tagged, path, fmt, scheme=scheme, repair=repair, mark=invalid == "mark") if tagged else "iob2"
    if join_marks if join_marks is not None else joining_enabled():
        counts = join_in_place(sentences, used)
        if counts[0]:
            log.warning(joined_note(path, counts))
    if tagged:
        if to_scheme is not None:
            target = scheme_name(to_scheme)
            for s in tagged:
                if not s.issues:
                    s.tags = convert_tags(s.tags, target)
    return sentences


def option_label_names() -> list[str] | None:
    """The ``--label-names`` of the click command now running, if any (see
    :func:`augment.core.cli.label_names_option`)."""
    import click

    ctx = click.get_current_context(silent=True)
    return None if ctx is None else ctx.meta.get(LABEL_NAMES_KEY)


def parse_label_names(value: str | None) -> list[str] | None:
    """``"O,B-PER,I-PER"`` -> ``["O", "B-PER", "I-PER"]``: tag names in id order."""
    if value is None:
        return None
    names = [n.strip() for n in value.split(",")]
    if not all(names):
        raise ConfigError("--label-names needs comma-separated tag names in id order, e.g. O,B-PER,I-PER")
    bad = next((n for n in names if not is_tag(n)), None)
    if bad is not None:
        raise ConfigError(f"--label-names: '{bad}' is not O or a B-/I-/E-/S- tag")
    if len(set(names)) != len(names):
        raise ConfigError(f"--label-names: '{next(n for n in names if names.count(n) > 1)}' occurs twice")
    return names


def check_unicode(sentences: Sequence[Sentence], path, fmt: str) -> None:
    """Reject a sentence holding a string that is not valid Unicode (a lone surrogate), at its line."""
    from augment.core.unicode import check_text, find_invalid

    for s in sentences:
        try:
            "\x00".join(s.tokens).encode("utf-8")
            if s.tags is not None:
                "\x00".join(s.tags).encode("utf-8")
            str(s.id).encode("utf-8")
            if isinstance(s.lang, str):
                s.lang.encode("utf-8")
            if s.meta:
                check_text(s.meta, path, s.line)
        except UnicodeEncodeError:
            line = s.line
            for i, tok in enumerate(s.tokens):
                if find_invalid(tok):
                    if fmt == "conll" and line is not None:
                        line += i
                    break
            check_text({"tokens": s.tokens, "tags": s.tags, "id": s.id, "lang": s.lang}, path, line)


def check_tags(sentences: Sequence[Sentence], path, fmt: str, scheme: str = "auto", repair: bool = False,
               mark: bool = False) -> str:
    """Validate (or repair) every tag sequence; returns the scheme used. ``mark``: list an
    invalid sequence's problem in ``Sentence.issues`` instead of raising."""
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
            if mark:
                where = f"line {line}, " if line is not None else ""
                s.issues.append(f"{where}token {err.index}: {err.message}")
                continue
            hint = "; pass --repair-tags to fix it" if err.repairable else ""
            raise DataError(f"sentence {s.id}, token {err.index}: {err.message}{hint}", path=path, line=line) from None
    return used


def write_corpus(sentences: Sequence[Sentence], path: str | os.PathLike, format: str | None = None) -> str:
    """Write ``sentences`` atomically; returns the format used."""
    fmt = format or detect_format(path, for_writing=True, tagged=any(s.tags is not None for s in sentences))
    _module(fmt).write(list(sentences), path)
    return fmt
