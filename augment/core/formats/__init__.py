"""Corpus file formats, one module each: ``read(path, lang=None, label_names=None) -> list[Sentence]``
and ``write(sentences, path)``, declared as ``FORMAT = CorpusFormat(name, read, write)``.
:mod:`augment.core.io` picks one by extension, content or name from :data:`PARTS`
(:class:`augment.core.registry.Registry`): adding a format is adding a module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from augment.core.registry import Registry


@dataclass(frozen=True)
class CorpusFormat:
    """One corpus format: its name, reader and (atomic) writer."""

    name: str
    read: Callable
    write: Callable


#: The corpus formats, by name (``conll``, ``hf``, ``jsonl``, ``parquet``, ``text``).
PARTS = Registry(__name__, "FORMAT", "format")
