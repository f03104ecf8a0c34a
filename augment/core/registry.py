"""Registries of swappable parts: one module per part in one package, found by listing the package.

Aligners (``align/aligners/``), translation backends (``augment/translate/backends/``), corpus
formats (``augment/core/formats/``) and projection strategies (``augment/project/strategies/``) are
each a package whose ``__init__`` holds ``PARTS = Registry(__name__, "ATTRIBUTE", "what")``. Every
module of the package (but ``_private`` ones) that defines ``ATTRIBUTE`` is one part, chosen by its
``name``: adding a part is adding a module (and its test), nothing else.

The pipelines' cache key (:func:`pipelines.cache.code_files`) sees a registry in the source: a
stage that imports a registry package runs whichever part a setting picks, so every module of the
package is in its key, and editing one module reruns exactly the stages that may run it.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from augment.core.errors import ConfigError


class Registry:
    """The parts in ``package``: each module's ``attribute`` (an object with a ``name``)."""

    def __init__(self, package: str, attribute: str, what: str):
        self.package = package
        self.attribute = attribute
        self.what = what
        self._parts: dict[str, Any] | None = None
        self._modules: dict[str, str] = {}

    def _load(self) -> dict[str, Any]:
        if self._parts is None:
            parts: dict[str, Any] = {}
            path = importlib.import_module(self.package).__path__
            for info in sorted(pkgutil.iter_modules(path), key=lambda i: i.name):
                if info.name.startswith("_"):
                    continue
                module = f"{self.package}.{info.name}"
                part = getattr(importlib.import_module(module), self.attribute, None)
                if part is None:
                    continue
                if part.name in parts:
                    raise RuntimeError(f"two {self.what}s named '{part.name}': {self._modules[part.name]} and {module}")
                parts[part.name] = part
                self._modules[part.name] = module
            self._parts = parts
        return self._parts

    def names(self) -> tuple[str, ...]:
        """The parts' names, in the order of their modules' names."""
        return tuple(self._load())

    def get(self, name: str) -> Any:
        """The part called ``name``; an unknown name is a :class:`ConfigError` listing the known."""
        parts = self._load()
        if name not in parts:
            raise ConfigError(f"unknown {self.what} '{name}'; known: {', '.join(parts)}")
        return parts[name]

    def module(self, name: str) -> str:
        """The module that defines part ``name``."""
        self.get(name)
        return self._modules[name]
