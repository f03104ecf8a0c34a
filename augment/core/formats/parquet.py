"""Parquet: columns ``id`` (string), ``lang`` (string), ``tokens`` (list<string>), ``tags``
(list<string>, null when untagged) and ``meta`` (a JSON string of the further fields).

Files written by ``datasets`` (``Dataset.to_parquet``) are read too: integer ``ner_tags`` (or
``tags``) become names through ``--label-names`` or the ``ClassLabel`` names the file's
``huggingface`` schema metadata records."""

from __future__ import annotations

import json
import os
from pathlib import Path

from augment.core.errors import DataError
from augment.core.fileio import atomic_path
from augment.core.formats import CorpusFormat
from augment.core.formats._labels import check_names, read_sidecar, tag_names
from augment.core.record import Sentence


def classlabel_names(schema, column: str) -> list[str] | None:
    """The ``ClassLabel`` names of ``column`` from a ``datasets`` Parquet file's metadata."""
    raw = (schema.metadata or {}).get(b"huggingface")
    if not raw:
        return None
    try:
        features = json.loads(raw).get("info", {}).get("features", {})
    except (ValueError, AttributeError):
        return None
    feature = features.get(column) if isinstance(features, dict) else None
    while isinstance(feature, dict) and "names" not in feature:
        feature = feature.get("feature")
    if isinstance(feature, list) and feature:  # datasets 3 writes a list feature as [inner]
        feature = feature[0]
        while isinstance(feature, dict) and "names" not in feature:
            feature = feature.get("feature")
    return feature.get("names") if isinstance(feature, dict) else None


def read(path: str | os.PathLike, lang: str | None = None, label_names: list[str] | None = None) -> list[Sentence]:
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
    tag_col = "tags" if "tags" in cols else ("ner_tags" if "ner_tags" in cols else None)
    names = label_names
    if names is None and tag_col is not None:
        names = classlabel_names(table.schema, tag_col)
        names = check_names(names, path, what=f"'{tag_col}' ClassLabel names") if names is not None else read_sidecar(path)
    try:
        rows = table.to_pylist()
    except (pa.ArrowException, UnicodeDecodeError, ValueError) as err:
        raise DataError(f"not valid Unicode or unreadable values: {str(err).splitlines()[0] if str(err) else type(err).__name__}", path=path) from None
    out = []
    for i, row in enumerate(rows):
        line = i + 1
        tokens = row.get("tokens")
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise DataError(f"row {i}: 'tokens' must be a list of strings", path=path, line=line)
        tags = row.get(tag_col) if tag_col else None
        if tags is not None:
            tags = tag_names(tags, names, path, line, tag_col) if tags else tags
            if len(tags) != len(tokens):
                raise DataError(f"row {i}: {len(tokens)} tokens but {len(tags)} tags", path=path, line=line)
        meta = {}
        if row.get("meta"):
            try:
                meta = json.loads(row["meta"])
            except (TypeError, ValueError):
                raise DataError(f"row {i}: 'meta' is not a JSON object", path=path, line=line) from None
        for k, v in row.items():
            if k not in ("id", "lang", "tokens", "tags", "meta", tag_col):
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


FORMAT = CorpusFormat("parquet", read, write)
