"""The output folder of a training run: locked while it runs, left clean when it fails.

Every training command runs inside :func:`training_output`: a second run on the same output is
refused in one line while the first holds the lock; a run that fails before it has anything to
resume from (a checkpoint, a cache of finished work) removes what it wrote (config, empty logs,
a folder it created), so nothing half-written stays behind; and a full disk, whichever library
hit it, is one line naming the output.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from augment.core.errors import XnerError
from augment.core.state import os_error, output_lock
from augment.core.training.checkpoint import discard

_FULL = (errno.ENOSPC, errno.EDQUOT)


def disk_full(err: BaseException) -> bool:
    """True for a full disk or quota, also as reported by a library's own exception type
    (safetensors: ``IoError(Os { code: 28, kind: StorageFull ... })``)."""
    if isinstance(err, OSError) and err.errno in _FULL:
        return True
    text = str(err)
    return "No space left on device" in text or "StorageFull" in text or "Disk quota exceeded" in text


@contextlib.contextmanager
def training_output(out: str | os.PathLike, resume_state: Sequence[str] = ()) -> Iterator[Path]:
    """Hold ``out``'s output lock for the run. On failure, unless one of ``resume_state`` (names
    in ``out``: a checkpoint, a cache) exists, remove the entries of ``out`` this run created, and
    ``out`` itself when this run created it and it is empty."""
    out = Path(out)
    with output_lock(out, "training output"):
        created = not os.path.lexists(out)
        before = set(os.listdir(out)) if out.is_dir() and not out.is_symlink() else set()
        try:
            yield out
        except BaseException as err:
            _clean(out, created, before, resume_state)
            if disk_full(err) and not isinstance(err, XnerError):
                raise os_error(OSError(errno.ENOSPC, "no space"), out) from None
            raise


def _clean(out: Path, created: bool, before: set[str], resume_state: Sequence[str]) -> None:
    if not out.is_dir() or out.is_symlink():
        return
    with contextlib.suppress(OSError):
        if not any((out / name).exists() for name in resume_state):
            for name in set(os.listdir(out)) - before:
                discard(out / name)
        if created and not any(out.iterdir()):
            out.rmdir()
