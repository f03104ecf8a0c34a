"""One error base class for every user-facing problem.

The CLI prints an :class:`XnerError` as one line ``file:line: problem`` and exits with status 1;
anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

from os import PathLike


class XnerError(Exception):
    """A problem the user can fix: bad input, bad option, missing model or file."""

    def __init__(self, message: str, path: str | PathLike | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return where + self.message


class DataError(XnerError):
    """Malformed input data (bad tag, token/tag mismatch, bad encoding, empty file)."""


class TagError(DataError):
    """A tag sequence that is not valid in its scheme. ``index`` is the 0-based token position."""

    def __init__(self, message: str, index: int | None = None, repairable: bool = False, **kw):
        super().__init__(message, **kw)
        self.index = index
        self.repairable = repairable


class ConfigError(XnerError):
    """A bad option or configuration value."""


class ModelError(XnerError):
    """A model that cannot be found, loaded or used for the requested task."""


class MissingExtraError(XnerError):
    """An optional dependency that is not installed."""

    def __init__(self, package: str, extra: str):
        super().__init__(
            f"this needs the optional package '{package}'; install it with: pip install 'xner[{extra}]'"
        )
