"""The state layer: locks on outputs, temp files created safely, sets of files committed together.

Every stage writes its outputs through here (directly or through :mod:`augment.core.fileio` and
:mod:`augment.core.checkpoint`), so that:

- a second writer on the same output is refused in one line while the first runs
  (:func:`output_lock`; an ``flock`` dies with its process, so a dead writer's lock is taken over);
- temp files are created exclusively in the target's folder and never through a symlink
  (:func:`create_private`), so a link planted at a predictable name cannot redirect a write;
- a set of files (output, report, sidecars) appears together or not at all
  (:class:`CommitSet`: a journal names the renames; a killed commit is finished by the next run);
- folders a run works in are real folders: a link planted at one is removed, never followed
  (:func:`real_dir`), and a finished folder replaces the old one in two renames (:func:`replace_dir`);
- operating-system failures (target is a directory, permission denied, disk full) become one
  :class:`~augment.core.errors.XnerError` naming the path (:func:`os_error`).

No other module keeps a lock, a swap or a move of its own (tests/test_architecture_imports.py).
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from augment.core.errors import XnerError, printable

log = logging.getLogger("xner.state")

_PROBLEMS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for the file system",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EISDIR: "is a directory, expected a file",
    errno.ENOTDIR: "a parent of this path is a file, not a directory",
    errno.EEXIST: "already exists",
    errno.ELOOP: "is a symbolic link; refusing to write through it",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOENT: "no such file or directory",
}
# errors that say something about where we write, not about a bug in the code
WRITE_ERRNOS = frozenset(_PROBLEMS) - {errno.ENOENT}


def os_error(err: OSError, path: str | os.PathLike, action: str = "cannot write") -> XnerError:
    """A one-line :class:`XnerError` for an OS-reported failure on ``path``."""
    problem = _PROBLEMS.get(err.errno or 0, err.strerror or str(err))
    return XnerError(f"{action}: {problem}", path=path)


def warn(message: str) -> None:
    """A one-line warning to the user (resume state discarded, cache entry failed its check).

    Logged, not printed: with no logging configured Python shows it as one line on stderr."""
    log.warning("warning: %s", printable(message))


def ensure_parent(path: Path) -> None:
    """Create ``path``'s folder; an OS failure (a parent is a file, no permission) is one line."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise XnerError("cannot write: a parent of this path is a file, not a directory", path=path) from None
    except OSError as err:
        raise os_error(err, path) from None


def ensure_dir(path: str | os.PathLike) -> Path:
    """Create an output folder; a file in its place or an OS failure is one line naming it."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise XnerError("cannot write an output folder here: is a file, expected a directory", path=path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise XnerError("cannot write: a parent of this path is a file, not a directory", path=path) from None
    except OSError as err:
        raise os_error(err, path) from None
    return path


def check_writable_target(path: Path) -> None:
    """Refuse a target that is a directory or a symlink to one, before any temp file exists."""
    if path.is_dir():
        raise XnerError("cannot write: is a directory, expected a file", path=path)


def create_private(directory: Path, stem: str, suffix: str = ".tmp", mode: int = 0o666) -> tuple[int, Path]:
    """Create a new file exclusively in ``directory`` (never through a symlink); its fd and path.

    ``mode`` goes through the process umask as for any new file, so the umask is never changed.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = directory / f".{stem}.{secrets.token_hex(6)}{suffix}"
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
    raise XnerError("cannot create a temporary file", path=directory)  # pragma: no cover


def open_nofollow(path: Path, flags: int, mode: int = 0o666) -> int:
    """``os.open`` that refuses a symlink at ``path`` (ELOOP) instead of following it."""
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), mode)


def remove_link(path: Path) -> bool:
    """Remove ``path`` if it is a symlink (never what it points to); True if one was removed."""
    if path.is_symlink():
        warn(f"{path}: was a symbolic link; removed it (its target is untouched)")
        path.unlink()
        return True
    return False


def real_dir(path: str | os.PathLike, root: str | os.PathLike | None = None) -> Path:
    """Create folder ``path`` (and each folder between ``root`` and it) as a real directory.

    A symbolic link planted at one of them is removed with a warning (what it points to is
    untouched) instead of followed, so a run never writes through it outside its folder."""
    path = Path(path)
    chain = [path]
    if root is not None:
        root = Path(root)
        chain = [root / Path(*path.relative_to(root).parts[:i])
                 for i in range(1, len(path.relative_to(root).parts) + 1)] or [path]
    for folder in chain:
        remove_link(folder)
        if folder.exists() and not folder.is_dir():
            raise XnerError("cannot write a folder here: is a file, expected a directory", path=folder)
        try:
            folder.mkdir(parents=root is None or folder == chain[0], exist_ok=True)
        except OSError as err:
            raise os_error(err, folder) from None
    return path


def remove_tree(path: str | os.PathLike) -> None:
    """Remove folder ``path`` and what it holds; a link there is removed itself, never followed."""
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def replace_dir(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    """Put the finished folder ``src`` at ``dst`` (same file system), replacing what is there.

    An old folder is first renamed aside into a private temp folder (removed afterwards), so
    ``dst`` is either the old or the new folder; a link at ``dst`` is replaced, never followed."""
    src, dst = Path(src), Path(dst)
    if dst.is_symlink():
        dst.unlink()
    try:
        if dst.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{dst.name}.", suffix=".old", dir=dst.parent))
            os.replace(dst, old / dst.name)
            os.replace(src, dst)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(src, dst)
    except OSError as err:
        raise os_error(err, dst) from None


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


class OutputLock:
    """An exclusive ``flock`` on ``.OUT.lock`` beside ``OUT`` (or on ``file``) while an output is written.

    A lock held by a live process refuses the second writer (one line naming its pid; ``busy``
    replaces the wording); a lock file left by a dead process is not locked any more (the kernel
    drops a dead process's ``flock``), so it is taken over. The lock file is opened without
    following a link and without truncating it; a link, or a file with a second name (a hard link
    to another file), is removed and a fresh one made, so no other file is ever written. The lock
    file is removed on release.
    """

    def __init__(self, path: str | os.PathLike, what: str = "output", file: str | os.PathLike | None = None,
                 busy: str | None = None):
        self.path = Path(path)
        self.file = lock_path(self.path) if file is None else Path(file)
        self.what = what
        self.busy = busy
        self.fd: int | None = None

    def acquire(self) -> OutputLock:
        import fcntl

        ensure_parent(self.file)
        while True:
            remove_link(self.file)
            try:
                fd = open_nofollow(self.file, os.O_RDWR | os.O_CREAT, 0o644)
            except FileExistsError:
                continue
            except OSError as err:
                raise os_error(err, self.file, "cannot lock") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _read_pid(fd)
                os.close(fd)
                who = f" (pid {holder})" if holder else ""
                message = self.busy or f"another process{{who}} is writing this {self.what}; wait for it to finish"
                raise XnerError(message.format(who=who), path=self.path) from None
            st = os.fstat(fd)
            try:  # the file may have been removed by its previous holder between open and flock
                same = st.st_ino == os.stat(self.file, follow_symlinks=False).st_ino
            except FileNotFoundError:
                same = False
            if same and (not stat.S_ISREG(st.st_mode) or st.st_nlink != 1):
                warn(f"{self.file}: lock file is not a plain file of its own (a hard link or a device); "
                     "removed that name (the other file is untouched) and made a new lock file")
                os.unlink(self.file)
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.file)
        os.close(self.fd)
        self.fd = None

    def __enter__(self) -> OutputLock:
        return self if self.fd is not None else self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()

    def __del__(self) -> None:  # pragma: no cover - a lock must not outlive its owner object
        with contextlib.suppress(Exception):
            self.release()


def _read_pid(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).decode().strip() or 0) or None
    except (OSError, ValueError):
        return None


def output_lock(path: str | os.PathLike, what: str = "output", file: str | os.PathLike | None = None,
                busy: str | None = None) -> OutputLock:
    """Take the lock of output ``path`` (use as a context manager or call ``release``); see
    :class:`OutputLock` for ``file`` and ``busy``."""
    return OutputLock(path, what, file, busy).acquire()


class CommitSet:
    """Several outputs written to temp files and renamed into place as one set.

    ``tmp = cs.path(final)`` gives a fresh temp path beside ``final``; :meth:`commit` writes a
    journal of the renames (atomically), performs them and removes it. A run killed during the
    renames leaves the journal; :func:`recover` (called by :meth:`__init__` for the same anchor)
    finishes them, so the set never stays half-replaced. A failure before the journal removes
    every temp file and leaves the old outputs as they were.
    """

    def __init__(self, anchor: str | os.PathLike):
        self.anchor = Path(anchor)
        self.journal = self.anchor.with_name(f".{self.anchor.name}.commit")
        self.pairs: list[tuple[Path, Path]] = []
        self.cleanup: list[Path] = []  # temp folders to remove once committed or aborted
        recover(self.anchor)

    def add(self, tmp: Path, final: Path, cleanup: Path | None = None) -> None:
        """A finished temp file to rename to ``final`` with the rest of the set."""
        self.pairs.append((Path(tmp), Path(final)))
        if cleanup is not None:
            self.cleanup.append(Path(cleanup))

    def path(self, final: str | os.PathLike) -> Path:
        final = Path(final)
        ensure_parent(final)
        check_writable_target(final)
        try:
            fd, tmp = create_private(final.parent, final.name)
        except OSError as err:
            raise os_error(err, final) from None
        os.close(fd)
        self.pairs.append((tmp, final))
        return tmp

    def commit(self) -> None:
        for _tmp, final in self.pairs:
            check_writable_target(final)
        record = [[str(t), str(f)] for t, f in self.pairs]
        try:
            fd, tmp = create_private(self.journal.parent, self.journal.name)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(record, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.journal)
        except OSError as err:
            self.abort()
            raise os_error(err, self.journal) from None
        _apply(record)
        self.journal.unlink(missing_ok=True)
        self.pairs = []
        self._clean()

    def abort(self) -> None:
        for tmp, _final in self.pairs:
            _remove(tmp)
        self.pairs = []
        self._clean()

    def _clean(self) -> None:
        for folder in self.cleanup:
            shutil.rmtree(folder, ignore_errors=True)
        self.cleanup = []

    def __enter__(self) -> CommitSet:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def _apply(record: Sequence[Sequence[str]]) -> None:
    for tmp, final in record:
        if os.path.lexists(tmp):
            os.replace(tmp, final)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def recover(anchor: str | os.PathLike) -> bool:
    """Finish a commit of ``anchor``'s set that a kill interrupted; True if there was one."""
    anchor = Path(anchor)
    journal = anchor.with_name(f".{anchor.name}.commit")
    if not journal.is_file() or journal.is_symlink():
        return False
    try:
        record = json.loads(journal.read_text("utf-8"))
        folder = anchor.parent.resolve()
        ok = all(Path(t).resolve().is_relative_to(folder) and Path(f).parent.resolve() == folder
                 for t, f in record)
    except (OSError, ValueError, TypeError):
        ok = False
    if ok:
        _apply(record)
        log.info("finished an interrupted commit of %s", anchor)
    else:
        warn(f"{journal}: unreadable commit journal; discarded")
    journal.unlink(missing_ok=True)
    return ok


@contextlib.contextmanager
def committed(*finals: str | os.PathLike) -> Iterator[list[Path]]:
    """Temp paths for ``finals``, committed together when the block ends without an error."""
    cs = CommitSet(finals[0])
    with cs:
        yield [cs.path(f) for f in finals]
