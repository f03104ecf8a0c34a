"""Reject text that is not valid Unicode before it reaches a stage.

JSON can spell a lone surrogate (``"a\\ud800b"``) and Arrow can hold bytes that are not UTF-8;
Python accepts such a string until something encodes it (a writer, a tokenizer, a terminal),
far from the file that held it. Readers call :func:`check_text` so the problem is reported at
read time as ``file:line``.
"""

from __future__ import annotations

import os
from typing import Any

from augment.core.errors import DataError


def find_invalid(value: Any) -> str | None:
    """A description of the first string in ``value`` (a string, or lists / dicts of them, keys
    included) that cannot be encoded as UTF-8, or ``None`` when all can."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            bad = value[err.start]
            shown = value[max(0, err.start - 10): err.start + 10].encode("unicode_escape").decode("ascii")
            return f"not valid Unicode: lone surrogate U+{ord(bad):04X} in '{shown}'"
        return None
    if isinstance(value, (list, tuple)):
        for item in value:
            found = find_invalid(item)
            if found:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = find_invalid(key) or find_invalid(item)
            if found:
                return found
    return None


def check_text(value: Any, path: str | os.PathLike | None, line: int | None, what: str = "") -> None:
    """Raise :class:`DataError` at ``path:line`` when ``value`` holds a string that is not valid
    Unicode; ``what`` names the field (``tokens``, ``tags`` ...)."""
    found = find_invalid(value)
    if found:
        prefix = f"'{what}': " if what else ""
        raise DataError(prefix + found, path=path, line=line)
