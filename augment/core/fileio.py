"""Atomic file writes: write to a temporary file beside the target, then rename over it.

A reader never sees a half-written output, and a failed write leaves the old file untouched.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from augment.core.errors import XnerError
from augment.core.state import (
    WRITE_ERRNOS,
    CommitSet,
    check_writable_target,
    create_private,
    ensure_parent,
    os_error,
    output_lock,
    replace_dir,
)


def split_lines(text: str) -> list[str]:
    """Lines split at ``\n`` only (``\r\n`` accepted), unlike ``str.splitlines``, which also
    breaks at U+2028, U+0085 and other characters that may occur inside a token."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file for writing; on success it replaces ``path`` in one rename.

    The temp file is created exclusively beside ``path`` (never through a symlink) with the
    mode any new file gets under the process umask. An OS failure (``path`` is a directory,
    permission denied, disk full) is one :class:`~augment.core.errors.XnerError` naming ``path``;
    the temp file is removed and an existing ``path`` is left as it was.
    """
    path = Path(path)
    ensure_parent(path)
    check_writable_target(path)
    if "b" in mode:
        encoding = None
    try:
        fd, tmp = create_private(path.parent, path.name)
    except OSError as err:
        raise os_error(err, path) from None
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline="" if encoding else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        pending = _PENDING.get()
        if pending is not None:
            pending.add(tmp, path)  # renamed with the rest of the set
        else:
            os.replace(tmp, path)
    except OSError as err:
        _unlink(tmp)
        if err.errno in WRITE_ERRNOS:
            raise os_error(err, path) from None
        raise
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path (file or directory) beside ``path`` that replaces it on success.

    The temp folder is private (``mkdtemp``); an OS failure is one line naming ``path`` and leaves
    no temp folder and the old ``path`` unchanged.
    """
    path = Path(path)
    ensure_parent(path)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    except OSError as err:
        raise os_error(err, path) from None
    target = tmp / path.name
    try:
        try:
            yield target
        except OSError as err:
            if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                raise os_error(err, path) from None
            raise
        pending = _PENDING.get()
        if pending is not None and target.is_file() and not path.is_dir():
            pending.add(target, path, cleanup=tmp)
            tmp = None  # removed when the set is committed or aborted
            return
        if target.is_dir() and path.is_file():
            raise XnerError("cannot write a model folder here: is a file, expected a directory", path=path)
        if path.is_dir() and not path.is_symlink() and not target.is_dir():
            raise XnerError("cannot write: is a directory, expected a file", path=path)
        replace_dir(target, path)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


_PENDING: contextvars.ContextVar[CommitSet | None] = contextvars.ContextVar("xner_commit_set", default=None)


@contextlib.contextmanager
def written_together(anchor: str | os.PathLike) -> Iterator[CommitSet]:
    """Every :func:`atomic_write` (and file :func:`atomic_path`) in the block lands as one set when
    the block ends, under the lock of ``anchor`` (the main output): an output, its report and its
    sidecars appear together or not at all. A kill during the final renames is finished by the next
    run (:class:`~augment.core.state.CommitSet`'s journal)."""
    with output_lock(anchor):
        cs = CommitSet(anchor)
        token = _PENDING.set(cs)
        try:
            yield cs
        except BaseException:
            cs.abort()
            raise
        finally:
            _PENDING.reset(token)
        cs.commit()


def read_text(path: str | os.PathLike) -> str:
    """Read a UTF-8 file (BOM allowed); a decoding error names the line."""
    from augment.core.errors import DataError

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError("no such file", path=path) from None
    except IsADirectoryError:
        raise DataError("is a directory, expected a file", path=path) from None
    except OSError as err:
        raise DataError(f"cannot read file: {err.strerror}", path=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DataError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})", path=path, line=line
        ) from None
