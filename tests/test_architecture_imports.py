"""The package layout holds: one core that depends on no stage, augment without ner, and no import
cycle anywhere.

Every ``import`` statement counts, module-level or inside a function: a lazy import is still a
dependency, and a cycle through one is still a cycle.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("augment", "align", "ner", "pipelines")
CORE = "augment.core"


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module a dotted import name lands in (``a.b.func`` -> ``a.b``)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            # ``from pkg import sub`` depends on the submodule; ``from pkg import name`` on pkg.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                     for alias in node.names]
        for name in names:
            target = _resolve(name, modules)
            if target is not None and target != module:
                out.add(target)
    return out


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_architecture_core_depends_on_no_stage(graph):
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items() if module == CORE or module.startswith(CORE + ".")
        for target in targets if not (target == CORE or target.startswith(CORE + ".") or target == "augment")
    )
    assert offenders == []


def test_architecture_no_import_cycle(graph):
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def test_architecture_align_does_not_lean_on_augment_stages(graph):
    stages = ("augment.translate", "augment.project", "augment.show", "augment.cli")
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items() if module.startswith("align")
        for target in targets if target.startswith(stages)
    )
    assert offenders == []


def test_architecture_augment_imports_nothing_from_ner(graph):
    """The toolkit's base (augment: core, translate, project, mt, ...) stands without the NER
    package; what both need (the training loop, precision, optimizer) lives in the core."""
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items() if module == "augment" or module.startswith("augment.")
        for target in targets if target == "ner" or target.startswith("ner.")
    )
    assert offenders == []
