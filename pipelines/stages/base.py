"""The interface every pipeline stage adapter implements.

An adapter is a small class that declares its input slots, its settings (with types and
defaults, so a config is validated before anything runs) and its output files, and whose
:meth:`Stage.run` calls the stage's library function. Adapters never call a CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from augment.core.options import Setting

__all__ = ["Setting", "Slot", "Stage"]


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
