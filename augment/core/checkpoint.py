"""Resumable stage output: finished batches go to a partial JSONL file beside the output.

A stage asks :meth:`ResumableOutput.start` how many records are already done, skips them, appends
each finished batch with :meth:`append` (flushed and fsynced), and calls :meth:`finish` to write
the final file atomically and remove the partial files. The partial file is tied to a fingerprint
of the run's arguments: a run with other arguments starts over instead of mixing outputs.

Files beside ``OUT``: ``OUT.partial.jsonl`` (one record per line) and ``OUT.partial.json``
(``{"fingerprint": ...}``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from augment.core.fileio import atomic_write


def fingerprint(obj: Any) -> str:
    """A stable hash of a JSON-serialisable value (sorted keys)."""
    blob = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def file_digest(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes (or of a directory's files, in sorted order)."""
    h = hashlib.sha256()
    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        if path.is_dir():
            h.update(str(f.relative_to(path)).encode())
        with open(f, "rb") as fh:
            while block := fh.read(chunk):
                h.update(block)
    return h.hexdigest()


class ResumableOutput:
    def __init__(self, out_path: str | os.PathLike, run_fingerprint: str):
        self.out_path = Path(out_path)
        self.partial = self.out_path.with_name(self.out_path.name + ".partial.jsonl")
        self.meta = self.out_path.with_name(self.out_path.name + ".partial.json")
        self.run_fingerprint = run_fingerprint

    def start(self) -> int:
        """Number of records already finished by an earlier run with the same fingerprint."""
        if self.partial.exists() and self.meta.exists():
            try:
                meta = json.loads(self.meta.read_text("utf-8"))
            except (OSError, ValueError):
                meta = {}
            if meta.get("fingerprint") == self.run_fingerprint:
                return self._truncate_to_complete_lines()
        self.out_path.parent.mkdir(parents=True, exist_ok=True)
        self.partial.write_bytes(b"")
        with atomic_write(self.meta) as fh:
            json.dump({"fingerprint": self.run_fingerprint}, fh)
        return 0

    def _truncate_to_complete_lines(self) -> int:
        data = self.partial.read_bytes()
        end = data.rfind(b"\n") + 1
        if end != len(data):  # a record cut off by a kill: drop it, it is redone
            with open(self.partial, "r+b") as fh:
                fh.truncate(end)
        return data[:end].count(b"\n")

    def append(self, records: Iterable[dict[str, Any]]) -> None:
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        with open(self.partial, "a", encoding="utf-8") as fh:
            fh.write(lines)
            fh.flush()
            os.fsync(fh.fileno())

    def records(self) -> list[dict[str, Any]]:
        with open(self.partial, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def finish(self, write_final: Callable[[list[dict[str, Any]]], None] | None = None) -> list[dict[str, Any]]:
        """Write the final output (JSONL by default, else through ``write_final``) and clean up."""
        records = self.records()
        if write_final is None:
            with atomic_write(self.out_path) as fh:
                for r in records:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            write_final(records)
        self.partial.unlink(missing_ok=True)
        self.meta.unlink(missing_ok=True)
        return records
