"""Word aligners behind one small interface, chosen by name.

An aligner is built with ``get_aligner(name, **options)`` and has ``align(pairs)`` taking
``(source tokens, target tokens)`` pairs and returning one :class:`augment.core.alignment.Alignment` per
pair, and ``info()`` describing its settings. Each module here that defines ``ALIGNER`` (the class,
with a ``name``) is one (:class:`augment.core.registry.Registry`): adding one is adding a module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from augment.core.alignment import Alignment
from augment.core.errors import ConfigError
from augment.core.registry import Registry

#: The aligners, by name (``eflomal``, ``simalign``, ``simalign-package``).
PARTS = Registry(__name__, "ALIGNER", "alignment method")

TokenPair = tuple[Sequence[str], Sequence[str]]


class Aligner(Protocol):
    name: str
    #: ``align.api.AlignOptions`` fields the aligner takes: constructor keyword -> field name (the
    #: first is the one alignment records name besides the method).
    SETTINGS: dict[str, str]
    #: Learns from all pairs at once (takes ``extra`` pairs; aligned in one batch, never sharded).
    WHOLE_CORPUS: bool

    def align(self, pairs: Sequence[TokenPair]) -> list[Alignment]: ...

    def info(self) -> dict[str, Any]: ...


def get_aligner(name: str, **options: Any) -> Aligner:
    """An aligner by name (see :data:`PARTS`); ``options`` go to its constructor."""
    cls = PARTS.get(name)
    try:
        return cls(**options)
    except TypeError as err:
        raise ConfigError(f"bad option for aligner {name!r}: {err}") from None
