"""Parquet: columns ``id`` (string), ``lang`` (string), ``tokens`` (list<string>), ``tags``
(list<string>, null when untagged) and ``meta`` (a JSON string of the further fields)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from augment.core.errors import DataError
from augment.core.fileio import atomic_path
from augment.core.record import Sentence


def read(path: str | os.PathLike, lang: str | None = None) -> list[Sentence]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError, ValueError) as err:
        raise DataError(f"not a readable Parquet file: {str(err).splitlines()[0] if str(err) else type(err).__name__}", path=path) from None
    cols = set(table.column_names)
    if "tokens" not in cols:
        raise DataError("Parquet file has no 'tokens' column", path=path)
    rows = table.to_pylist()
    out = []
    for i, row in enumerate(rows):
        line = i + 1
        tokens = row.get("tokens")
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise DataError(f"row {i}: 'tokens' must be a list of strings", path=path, line=line)
        tags = row.get("tags")
        if tags is not None:
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise DataError(f"row {i}: 'tags' must be a list of strings", path=path, line=line)
            if len(tags) != len(tokens):
                raise DataError(f"row {i}: {len(tokens)} tokens but {len(tags)} tags", path=path, line=line)
        meta = {}
        if row.get("meta"):
            try:
                meta = json.loads(row["meta"])
            except (TypeError, ValueError):
                raise DataError(f"row {i}: 'meta' is not a JSON object", path=path, line=line) from None
        for k, v in row.items():
            if k not in ("id", "lang", "tokens", "tags", "meta"):
                meta[k] = v
        sid = row.get("id")
        out.append(Sentence(id=str(sid) if sid is not None else f"{path.stem}-{i}", tokens=tokens, tags=tags,
                            lang=row.get("lang") or lang, meta=meta, line=line))
    return out


def write(sentences: list[Sentence], path: str | os.PathLike) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "id": pa.array([s.id for s in sentences], pa.string()),
            "lang": pa.array([s.lang for s in sentences], pa.string()),
            "tokens": pa.array([s.tokens for s in sentences], pa.list_(pa.string())),
            "tags": pa.array([s.tags for s in sentences], pa.list_(pa.string())),
            "meta": pa.array([json.dumps(s.meta, ensure_ascii=False) if s.meta else None for s in sentences], pa.string()),
        }
    )
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
