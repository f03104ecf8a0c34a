"""Registries of swappable parts: a part is a module in the registry's package, found by listing it."""

from __future__ import annotations

import sys

import pytest

from augment.core.errors import ConfigError
from augment.core.registry import Registry


@pytest.fixture()
def package(tmp_path, monkeypatch):
    """A throwaway package ``xner_test_parts`` on sys.path; returns a writer of its modules."""
    root = tmp_path / "xner_test_parts"
    root.mkdir()
    (root / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield lambda name, text: (root / f"{name}.py").write_text(text)
    for name in [m for m in sys.modules if m == "xner_test_parts" or m.startswith("xner_test_parts.")]:
        del sys.modules[name]


def test_core_registry_a_part_is_one_module(package):
    package("zeta", "class Z:\n    name = 'zeta'\nPART = Z\n")
    package("alpha_beta", "class A:\n    name = 'alpha+beta'\nPART = A\n")
    package("helpers", "X = 1\n")  # no PART: not a part
    package("_private", "class P:\n    name = 'private'\nPART = P\n")
    parts = Registry("xner_test_parts", "PART", "widget")
    assert parts.names() == ("alpha+beta", "zeta")
    assert parts.get("zeta").__name__ == "Z" and parts.module("alpha+beta") == "xner_test_parts.alpha_beta"
    with pytest.raises(ConfigError, match="unknown widget 'gamma'; known: alpha\\+beta, zeta"):
        parts.get("gamma")


def test_core_registry_two_parts_of_one_name_are_refused(package):
    package("one", "class A:\n    name = 'same'\nPART = A\n")
    package("two", "class B:\n    name = 'same'\nPART = B\n")
    with pytest.raises(RuntimeError, match="two widgets named 'same'"):
        Registry("xner_test_parts", "PART", "widget").names()


def test_core_registry_the_toolkit_registries_list_their_modules():
    from align.aligners import PARTS as aligners
    from augment.core.formats import PARTS as formats
    from augment.project.strategies import PARTS as strategies
    from augment.translate.backends import PARTS as backends

    assert aligners.names() == ("eflomal", "simalign", "simalign-package")
    assert backends.names() == ("ctranslate2", "transformers")
    assert formats.names() == ("conll", "hf", "jsonl", "parquet", "text")
    assert strategies.names() == ("align", "markers", "markers+align")
