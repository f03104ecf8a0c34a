"""Integer tag ids (Hugging Face ``ner_tags``) to tag names, shared by the JSONL, Parquet and
``datasets`` readers.

Names come from, in order: the ``--label-names`` option (``label_names`` argument), the file's own
metadata (a ``ClassLabel`` feature, a JSONL record's ``label_names``, a ``FILE.labels.json``
sidecar). Integer ids with no names are an error that says how to give them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from augment.core.errors import DataError

HOW_TO_NAME = ("give the names in id order with --label-names O,B-PER,I-PER,... "
               "(or a FILE.labels.json sidecar holding [\"O\", \"B-PER\", ...])")


def check_names(names, path: str | os.PathLike | None, line: int | None = None, what: str = "label names") -> list[str]:
    """``names`` as a list of distinct non-empty strings, or a one-line :class:`DataError`."""
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise DataError(f"{what} must be a non-empty list of strings", path=path, line=line)
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise DataError(f"{what}: '{dup}' occurs twice", path=path, line=line)
    return names


def sidecar_path(path: str | os.PathLike) -> Path:
    """``FILE.labels.json`` beside ``FILE``."""
    return Path(f"{path}.labels.json")


def read_sidecar(path: str | os.PathLike) -> list[str] | None:
    """The label names of ``FILE.labels.json`` (a list, or ``{"names": [...]}``), if it exists."""
    side = sidecar_path(path)
    if not side.is_file():
        return None
    from augment.core.fileio import read_text

    try:
        value = json.loads(read_text(side))
    except json.JSONDecodeError as err:
        raise DataError(f"invalid JSON: {err.msg}", path=side, line=err.lineno) from None
    if isinstance(value, dict):
        value = value.get("names")
    return check_names(value, side)


def is_id_list(values) -> bool:
    """True for a non-empty list of plain integers (not booleans)."""
    return isinstance(values, list) and bool(values) and all(type(v) is int for v in values)


def tag_names(values, names: Sequence[str] | None, path: str | os.PathLike | None, line: int | None,
              what: str = "tags") -> list[str]:
    """Tags as strings: a list of strings as it is, a list of integer ids through ``names``."""
    if isinstance(values, list) and all(isinstance(v, str) for v in values):
        return values
    if not is_id_list(values):
        raise DataError(f"'{what}' must be a list of strings or of integer tag ids", path=path, line=line)
    if names is None:
        raise DataError(f"'{what}' holds integer tag ids but the file names no labels; {HOW_TO_NAME}",
                        path=path, line=line)
    bad = next((v for v in values if not 0 <= v < len(names)), None)
    if bad is not None:
        raise DataError(f"'{what}': tag id {bad} is out of range for {len(names)} label names "
                        f"({', '.join(names[:6])}{', ...' if len(names) > 6 else ''})", path=path, line=line)
    return [names[v] for v in values]
