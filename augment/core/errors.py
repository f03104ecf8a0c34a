"""One error base class for every user-facing problem.

The CLI prints an :class:`XnerError` as one line ``file:line: problem`` and exits with status 1;
anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

import re
from os import PathLike

# C0 and C1 control characters (ESC starts a terminal escape sequence, CR overwrites a line, a
# newline breaks the one-line error) and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every terminal control character written as its escape (``\\x1b``,
    ``\\u202e``): a value read from a file (a tag, a token, a path) cannot drive the terminal it
    is shown on. Applied where errors and warnings are rendered (:func:`augment.core.cli.run_main`,
    :func:`augment.core.state.warn`) and to tables of types read from data."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


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
