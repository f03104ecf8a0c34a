"""Translation records (the JSONL of ``augment translate``) read back, checked line by line.

One reader for every consumer: label projection (CLI and pipeline stage) and the aligners' pair
reader. Schema: docs/formats.md, "Translation record".
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from augment.core.errors import DataError
from augment.core.formats.jsonl import iter_json_lines


def iter_translation_records(path: str | os.PathLike, require_src_tags: bool = False,
                             text: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, record)`` for each record of a translation JSONL file, in order.

    Each record must have ``tokens`` and ``src.tokens`` (lists); with ``require_src_tags`` also
    ``src.tags``, one per source token (projection needs them). A record without ``id`` gets
    ``<file stem>-<0-based record index>``. A bad line raises :class:`DataError` naming file and
    line. ``text``: the file's content when already read.
    """
    stem = Path(path).stem
    index = 0
    for n, rec in iter_json_lines(path, text):
        src = rec.get("src") if isinstance(rec, dict) else None
        if not isinstance(src, dict) or not isinstance(rec.get("tokens"), list) or not isinstance(
                src.get("tokens"), list):
            wanted = "'src': {'tokens', 'tags'}" if require_src_tags else "'src.tokens'"
            raise DataError(f"expected a translation record with 'tokens' and {wanted}", path=path, line=n)
        if require_src_tags and (not isinstance(src.get("tags"), list) or len(src["tags"]) != len(src["tokens"])):
            raise DataError("'src.tags' missing or not one tag per source token", path=path, line=n)
        rec.setdefault("id", f"{stem}-{index}")
        index += 1
        yield n, rec


def read_translation_records(path: str | os.PathLike, require_src_tags: bool = False) -> list[dict[str, Any]]:
    """All records of a translation JSONL file (see :func:`iter_translation_records`); an
    empty file raises :class:`DataError`."""
    records = [rec for _, rec in iter_translation_records(path, require_src_tags)]
    if not records:
        raise DataError("no records in file", path=path)
    return records
