"""JSON Lines: one sentence object per line (schema in docs/formats.md).

Required: ``tokens`` (list of strings). Optional: ``id`` (string), ``lang``, ``tags`` (list of
strings, one per token). Every other key is kept in ``Sentence.meta`` and written back unchanged.
Hugging Face-style integer ids in ``tags`` or ``ner_tags`` are read as names through the
``--label-names`` option, the record's ``label_names`` list or a ``FILE.labels.json`` sidecar.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from augment.core.errors import DataError
from augment.core.fileio import atomic_write, read_text, split_lines
from augment.core.formats import CorpusFormat
from augment.core.formats._labels import check_names, read_sidecar, tag_names
from augment.core.record import Sentence
from augment.core.unicode import check_text

_CONSUMED = ("id", "lang", "tokens", "tags")


def _str_list(value, what: str, path: Path, lineno: int) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(f"'{what}' must be a list of strings", path=path, line=lineno)
    return value


def parse_record(obj, path: Path, lineno: int, index: int, lang: str | None = None,
                 label_names: list[str] | None = None) -> Sentence:
    """One record; ``label_names`` maps integer tag ids (a record's own ``label_names`` is used
    when this is ``None``)."""
    if not isinstance(obj, dict):
        raise DataError(f"expected a JSON object, got {type(obj).__name__}", path=path, line=lineno)
    if "tokens" not in obj:
        raise DataError("record has no 'tokens' field", path=path, line=lineno)
    tokens = _str_list(obj["tokens"], "tokens", path, lineno)
    consumed = _CONSUMED
    tag_key = "tags"
    if obj.get("tags") is None and obj.get("ner_tags") is not None:
        tag_key, consumed = "ner_tags", _CONSUMED + ("ner_tags", "label_names")
    tags = obj.get(tag_key)
    if tags is not None:
        names = label_names
        if names is None and isinstance(tags, list) and tags and not isinstance(tags[0], str) \
                and obj.get("label_names") is not None:
            names = check_names(obj["label_names"], path, lineno, "'label_names'")
            consumed = consumed + ("label_names",)
        tags = tag_names(tags, names, path, lineno, tag_key) if tags else _str_list(tags, tag_key, path, lineno)
        if len(tags) != len(tokens):
            raise DataError(f"{len(tokens)} tokens but {len(tags)} tags", path=path, line=lineno)
    sid = obj.get("id", f"{path.stem}-{index}")
    if not isinstance(sid, (str, int)):
        raise DataError("'id' must be a string", path=path, line=lineno)
    rec_lang = obj.get("lang") or lang
    if rec_lang is not None and not isinstance(rec_lang, str):
        raise DataError("'lang' must be a string", path=path, line=lineno)
    meta = {k: v for k, v in obj.items() if k not in consumed}
    return Sentence(id=str(sid), tokens=tokens, tags=tags, lang=rec_lang, meta=meta, line=lineno)


def iter_json_lines(path: str | os.PathLike, text: str | None = None) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for every non-blank line of a JSON Lines file, 1-based.

    Invalid JSON raises :class:`DataError` naming the file and line. ``text``: the file's content,
    when the caller has already read it (to sniff its format, say).
    """
    if text is None:
        text = read_text(path)
    for lineno, raw in enumerate(split_lines(text), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as err:
            raise DataError(f"invalid JSON: {err.msg} (column {err.colno})", path=path, line=lineno) from None
        if "\\u" in raw:  # only a \u escape can spell a lone surrogate in decoded UTF-8 text
            check_text(value, path, lineno)
        yield lineno, value


def read(path: str | os.PathLike, lang: str | None = None, label_names: list[str] | None = None) -> list[Sentence]:
    path = Path(path)
    if label_names is None:
        label_names = read_sidecar(path)
    out = []
    for lineno, obj in iter_json_lines(path):
        out.append(parse_record(obj, path, lineno, len(out), lang, label_names))
    return out


def write(sentences: list[Sentence], path: str | os.PathLike) -> None:
    with atomic_write(path) as fh:
        for s in sentences:
            fh.write(json.dumps(s.to_dict(), ensure_ascii=False) + "\n")


FORMAT = CorpusFormat("jsonl", read, write)
