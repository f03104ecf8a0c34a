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
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

from augment.core.fileio import atomic_write
from augment.core.state import (
    OutputLock,
    check_writable_target,
    open_nofollow,
    os_error,
    output_lock,
    recover,
    remove_link,
    warn,
)


def fingerprint(obj: Any) -> str:
    """A stable hash of a JSON-serialisable value (sorted keys)."""
    blob = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def file_digest(path: str | os.PathLike, chunk: int = 1 << 20, skip: Collection[str] = ()) -> str:
    """SHA-256 of a file's bytes (or of a directory's files, in sorted order, but those whose
    name is in ``skip``)."""
    h = hashlib.sha256()
    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.name not in skip) if path.is_dir() else [path]
    for f in files:
        if path.is_dir():
            h.update(str(f.relative_to(path)).encode())
        with open(f, "rb") as fh:
            while block := fh.read(chunk):
                h.update(block)
    return h.hexdigest()


class ResumableOutput:
    """The one resume mechanism for record-by-record outputs (see the module docstring).

    It holds the output's lock (:class:`~augment.core.state.OutputLock`) from :meth:`start` to
    :meth:`finish` or :meth:`close`, so a second writer on the same output is refused. The partial
    files are opened without following symlinks; a link planted at their name is removed, never
    written through. A partial file that fails its check (a line that is not a JSON object) is
    cut before that line with a one-line warning, so only the damaged records are redone;
    ``fresh=True`` (``--force``) starts clean.

    ``check(n, record)`` is the reader's own check of the ``n``-th record (0-based), field by
    field against what it needs: it returns what is wrong (a few words) or None. A record that
    fails it is damaged like a line that is not JSON, so a valid-JSON record of the wrong shape
    is redone instead of failing every rerun.
    """

    def __init__(self, out_path: str | os.PathLike, run_fingerprint: str, fresh: bool = False,
                 check: Callable[[int, dict[str, Any]], str | None] | None = None):
        self.out_path = Path(out_path)
        self.partial = self.out_path.with_name(self.out_path.name + ".partial.jsonl")
        self.meta = self.out_path.with_name(self.out_path.name + ".partial.json")
        self.run_fingerprint = run_fingerprint
        self.fresh = fresh
        self.check = check
        self.lock: OutputLock | None = None

    def start(self) -> int:
        """Number of records already finished by an earlier run with the same fingerprint."""
        check_writable_target(self.out_path)
        if self.lock is None:
            self.lock = output_lock(self.out_path)
        recover(self.out_path)
        for p in (self.partial, self.meta):
            remove_link(p)
        if not self.fresh and self.partial.is_file() and self.meta.is_file():
            try:
                meta = json.loads(self.meta.read_text("utf-8"))
            except (OSError, ValueError):
                meta = {}
            if isinstance(meta, dict) and meta.get("fingerprint") == self.run_fingerprint:
                return self._keep_valid_lines()
        self.fresh = False
        try:
            fd = open_nofollow(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.close(fd)
            with atomic_write(self.meta) as fh:
                json.dump({"fingerprint": self.run_fingerprint}, fh)
        except OSError as err:
            self.close()
            raise os_error(err, self.partial) from None
        except BaseException:
            self.close()
            raise
        return 0

    def _keep_valid_lines(self) -> int:
        """Keep the partial file's leading valid records; cut the rest (redone by this run)."""
        fd = open_nofollow(self.partial, os.O_RDWR)
        with os.fdopen(fd, "r+b") as fh:
            data = fh.read()
            end = n = 0
            problem = None
            for line in data.split(b"\n")[:-1]:  # the last piece is a record cut off by a kill, or b""
                problem = self._problem(n, line)
                if problem is not None:
                    break
                end += len(line) + 1
                n += 1
            if problem is not None:
                warn(f"{self.partial}:{n + 1}: damaged resume record ({problem}); discarded it and "
                     "what follows, those records are redone")
            if end != len(data):
                fh.truncate(end)
        return n

    def _problem(self, n: int, line: bytes) -> str | None:
        try:
            record = json.loads(line)
        except ValueError:
            return "not JSON"
        if not isinstance(record, dict):
            return "not a JSON object"
        return None if self.check is None else self.check(n, record)

    def append(self, records: Iterable[dict[str, Any]]) -> None:
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        try:
            fd = open_nofollow(self.partial, os.O_WRONLY | os.O_APPEND)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(lines)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as err:
            raise os_error(err, self.partial) from None

    def records(self) -> list[dict[str, Any]]:
        fd = open_nofollow(self.partial, os.O_RDONLY)
        with os.fdopen(fd, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def finish(self, write_final: Callable[[list[dict[str, Any]]], None] | None = None) -> list[dict[str, Any]]:
        """Write the final output (JSONL by default, else through ``write_final``) and clean up."""
        try:
            records = self.records()
            if write_final is None:
                with atomic_write(self.out_path) as fh:
                    for r in records:
                        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            else:
                write_final(records)
            self.partial.unlink(missing_ok=True)
            self.meta.unlink(missing_ok=True)
        finally:
            self.close()
        return records

    def close(self) -> None:
        """Release the output's lock (the partial files stay for the next run to resume)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> ResumableOutput:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
