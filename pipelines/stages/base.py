"""The interface every pipeline stage adapter implements.

An adapter is a small class that declares its input slots, its settings (with types and
defaults, so a config is validated before anything runs) and its output files, and whose
:meth:`Stage.run` calls the stage's library function. Adapters never call a CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar


@dataclass(frozen=True)
class Setting:
    """One stage setting: its type(s), default and a help line for ``docs/pipelines.md``.

    ``type`` is one of ``int float str bool list dict`` or a tuple of them; ``None`` is accepted
    when ``default`` is ``None``.
    """

    type: type | tuple[type, ...]
    default: Any = None
    help: str = ""
    choices: tuple | None = None

    def check(self, value: Any) -> str | None:
        """None when ``value`` fits, else a short description of what was expected."""
        if value is None and self.default is None:
            return None
        types = self.type if isinstance(self.type, tuple) else (self.type,)
        ok = False
        for t in types:
            if t is float and isinstance(value, (int, float)) and not isinstance(value, bool):
                ok = True
            elif t is int and isinstance(value, int) and not isinstance(value, bool):
                ok = True
            elif t not in (int, float) and isinstance(value, t):
                ok = True
        names = {int: "an integer", float: "a number", str: "a string", bool: "true or false",
                 list: "a list", dict: "a mapping"}
        if not ok:
            return " or ".join(names.get(t, t.__name__) for t in types)
        if self.choices is not None and value not in self.choices:
            return "one of " + ", ".join(map(str, self.choices))
        return None


@dataclass(frozen=True)
class Slot:
    """One input slot: a data file or another stage's output. ``many``: a list is accepted."""

    help: str = ""
    required: bool = True
    many: bool = False


class Stage:
    """Base class of stage adapters. Subclasses set the class attributes and implement ``run``."""

    kind: ClassVar[str] = ""
    #: Bump when the adapter's output changes for the same inputs/settings (invalidates caches).
    version: ClassVar[str] = "1"
    inputs: ClassVar[dict[str, Slot]] = {}
    settings: ClassVar[dict[str, Setting]] = {}
    #: Output name -> path relative to the run's output directory; the first is the default.
    outputs: ClassVar[dict[str, str]] = {}
    #: Uses a GPU when one is there (the Ray engine asks for ``num_gpus``).
    gpu: ClassVar[bool] = False
    help: ClassVar[str] = ""

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        """Do the work, writing the declared outputs under ``out``; return a small JSON summary.

        ``inputs`` maps each slot to a ``Path`` (or a list of them for ``many`` slots, or None for
        an absent optional slot). ``out`` may hold partial files of an interrupted earlier
        attempt with the same key: stages that resume pick them up.
        """
        raise NotImplementedError
