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


def test_architecture_stages_import_nothing_from_pipelines(graph):
    """The toolkit (augment, align, ner) stands without the pipeline runner: what a CLI shares with
    the pipelines (the shard executor, the state layer, option declarations) lives in the core."""
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items() if module.split(".")[0] in ("augment", "align", "ner")
        for target in targets if target == "pipelines" or target.startswith("pipelines.")
    )
    assert offenders == []


#: The state layer: the only modules that lock, swap or move files (issue 18).
STATE_LAYER = {"augment/core/state.py", "augment/core/fileio.py"}
_STATE_CALLS = {("os", "replace"), ("os", "rename"), ("os", "renames"), ("shutil", "move"), ("fcntl", "flock"),
                ("fcntl", "lockf")}


def _state_handling(path: Path) -> list[str]:
    """Calls that lock, swap or move a file: os.replace/rename, shutil.move, fcntl.flock/lockf and
    ``open(..., "a+")`` (a lock file opened the way that follows links)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and (f.value.id, f.attr) in _STATE_CALLS:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {f.value.id}.{f.attr}")
        modes = [a.value for a in node.args[1:2] + [k.value for k in node.keywords if k.arg == "mode"]
                 if isinstance(a, ast.Constant)]
        if isinstance(f, ast.Name) and f.id == "open" and any(isinstance(m, str) and "+" in m for m in modes):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: open(..., {modes[0]!r})")
    return found


def test_architecture_no_module_keeps_its_own_lock_swap_or_move():
    offenders = [hit for package in PACKAGES + ("benchmarks",) for path in sorted((ROOT / package).rglob("*.py"))
                 if path.relative_to(ROOT).as_posix() not in STATE_LAYER for hit in _state_handling(path)]
    assert offenders == []


#: Where toolkit code may be loaded by a name computed at run time: the registries of swappable parts
#: (which the pipelines' cache key sees), the CLI's lazy command table, the stage registry (a
#: stage's key starts at its own adapter) and the shard executor (it runs the adapter or function
#: its caller names).
LOADERS = {"augment/core/registry.py", "augment/core/cli.py", "pipelines/stages/__init__.py", "augment/core/shards.py"}


def test_architecture_code_is_loaded_by_name_only_through_a_registry():
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = getattr(node, "attr", None) or getattr(node, "id", None)
                if name in ("import_module", "__import__", "iter_modules") and rel not in LOADERS:
                    offenders.append(f"{rel}:{node.lineno}: {name}")
    assert offenders == []
