"""The content-keyed cache of stage outputs.

A stage run's key is a hash of: its stage kind and adapter version, its settings, the content
hash of every input (data files, or the recorded hash of an upstream run's output) and the
source of the code the stage runs (:func:`code_files`: the toolkit modules its adapter imports,
transitively, inside ``augment/ align/ ner/ pipelines/``, the ``__init__.py`` of their packages and
every part of a registry it imports, see :mod:`augment.core.registry`), so editing the projection code reruns
projection but not translation, and editing docs or tests reruns nothing. Its output lives in ``WORKDIR/<stage>/<grid values>/<key[:16]>/``: ``out/``
holds the files, ``manifest.json`` says what made them. The work happens in a sibling
``.partial-<key[:16]>/`` directory that is renamed into place only when the stage finished, so
a directory with a manifest is always complete; a killed run leaves the partial directory for
the stage's own resume to continue from. Before an entry is reused its outputs are hashed again
and compared with the hashes its manifest records; an entry that fails is rerun.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from augment.core.checkpoint import file_digest, fingerprint
from augment.core.fileio import atomic_write
from augment.core.state import real_dir, remove_tree, replace_dir, warn

MANIFEST = "manifest.json"
KEY_CHARS = 16

_HASHES: dict[tuple, str] = {}


def toolkit_version() -> str:
    import augment

    return augment.__version__


#: Files in a model folder that log a run (timings, paths, plots) rather than hold what a later
#: stage reads: left out of a folder's content hash, so equal weights give equal downstream keys.
RUN_LOGS = frozenset({"metrics.jsonl", "metrics.png", "summary.json", "train_config.json", "distill_weights.json",
                      "train_mt.json"})


def content_hash(path: str | os.PathLike) -> str:
    """SHA-256 of a file or a directory tree (less :data:`RUN_LOGS`), remembered per (path, size,
    mtime) within a process."""
    p = Path(path)
    st = p.stat()
    if p.is_dir():
        parts = sorted((str(f.relative_to(p)), f.stat().st_size, f.stat().st_mtime_ns) for f in p.rglob("*")
                       if f.is_file() and f.name not in RUN_LOGS)
        memo = (str(p.resolve()), "dir", fingerprint(parts))
    else:
        memo = (str(p.resolve()), st.st_size, st.st_mtime_ns)
    if memo not in _HASHES:
        _HASHES[memo] = file_digest(p, skip=RUN_LOGS if p.is_dir() else ())
    return _HASHES[memo]


PACKAGES = ("augment", "align", "ner", "pipelines")
_CODE: dict[str, dict[str, str]] = {}
_FILES: dict[str, tuple[str, list[str]]] = {}


def source_root() -> Path:
    """The folder holding the toolkit's packages."""
    import augment

    return Path(augment.__file__).resolve().parents[1]


def source_bytes(path: Path) -> bytes:
    """A module's source (a function of its own so tests can edit the hashed source set)."""
    return path.read_bytes()


def _module_file(root: Path, name: str) -> Path | None:
    parts = name.split(".")
    if parts[0] not in PACKAGES:
        return None
    base = root.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _is_registry(tree: ast.AST) -> bool:
    """Whether a package's ``__init__`` makes a :class:`augment.core.registry.Registry` (which
    loads every module of the package by name, so all of them may run)."""
    return any(isinstance(node, ast.Call) and (getattr(node.func, "id", None) == "Registry" or
                                               getattr(node.func, "attr", None) == "Registry")
               for node in ast.walk(tree))


def _registry_parts(init: Path, package: str) -> set[str]:
    return {f"{package}.{p.stem}" for p in init.parent.glob("*.py")
            if not p.name.startswith("_")}


def _imported_names(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module name an import statement anywhere in the module (lazy ones too) may load."""
    names: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)  # a submodule, when it is one
    return names


def code_files(module: str) -> dict[str, str]:
    """``relative path -> sha256`` of the toolkit code that runs when ``module`` is imported and used:
    the module, every toolkit module it imports (module level or inside a function), the
    ``__init__.py`` of every package on the way (Python runs them too) and, for a registry package
    (:class:`augment.core.registry.Registry`: parts loaded by name from a setting), every module of
    the package; transitively."""
    if module in _CODE:
        return _CODE[module]
    root = source_root()
    seen: dict[str, str] = {}
    todo = [module]
    while todo:
        name = todo.pop()
        path = _module_file(root, name)
        if path is None:
            continue
        rel = path.relative_to(root).as_posix()
        if rel in seen:
            continue
        if rel not in _FILES:  # each file is read and parsed once per process
            data = source_bytes(path)
            is_package = path.name == "__init__.py"
            package = name if is_package else name.rpartition(".")[0]
            parents = {".".join(package.split(".")[:i]) for i in range(1, package.count(".") + 2)} if package else set()
            try:
                tree = ast.parse(data)
                names = _imported_names(tree, name, is_package) | parents
                if is_package and _is_registry(tree):
                    names |= _registry_parts(path, name)
            except SyntaxError:
                names = parents
            _FILES[rel] = (hashlib.sha256(data).hexdigest(), sorted(names - {name}))
        seen[rel], names = _FILES[rel]
        todo += names
    _CODE[module] = dict(sorted(seen.items()))
    return _CODE[module]


def clear_code_cache() -> None:
    """Forget the hashed sources (they are read once per process; tests edit them)."""
    _CODE.clear()
    _FILES.clear()


def stage_code(stage_cls: type) -> dict[str, str]:
    """The source files a stage adapter runs (its module and what it imports)."""
    return code_files(stage_cls.__module__)


def input_hash(path: str | os.PathLike) -> str:
    """What names an input's content: :func:`content_hash` of a file or folder, of the folder of a
    ``DIR#SPLIT`` (plus the split), or the name of a hub dataset (``hf:...``, not downloaded to
    plan; pin a revision by saving it locally if it must not move)."""
    text = str(path)
    if text.startswith("hf:"):
        return fingerprint({"dataset": text})
    base, sep, split = text.rpartition("#")
    if sep and not Path(text).exists() and Path(base).is_dir():
        return fingerprint({"dataset_dir": content_hash(base), "split": split})
    return content_hash(path)


def run_key(kind: str, adapter_version: str, settings: dict[str, Any], input_hashes: dict[str, list[str]],
            version: str | None = None, code: dict[str, str] | None = None) -> str:
    """The cache key of one stage run (hex SHA-256); ``code``: :func:`stage_code` of its adapter."""
    from augment.core.shards import key_settings

    return fingerprint({  # sharding does not change the output bytes, so it is not in the key
        "kind": kind, "adapter": adapter_version, "settings": key_settings(settings),
        "inputs": input_hashes, "toolkit": version or toolkit_version(), "code": code or {},
    })


class RunDir:
    """The keyed directory of one stage run and its partial sibling."""

    def __init__(self, workdir: str | os.PathLike, stage: str, binding_label: str, key: str):
        self.workdir = Path(workdir)
        self.parent = self.workdir / stage / binding_label
        self.key = key
        self.final = self.parent / key[:KEY_CHARS]
        self.partial = self.parent / f".partial-{key[:KEY_CHARS]}"
        self.damage: str | None = None  # what :meth:`manifest` found wrong with this entry

    @property
    def out(self) -> Path:
        return self.final / "out"

    def manifest(self, outputs: dict[str, str] | None = None, verify: bool = True) -> dict[str, Any] | None:
        """The manifest of a complete run, or None (no run, a declared output was deleted or,
        with ``verify``, an output's bytes differ from the hash its manifest records). A damaged
        entry (a manifest of the wrong shape or failing its checksum, a link in place of the
        folder) is None too, with one warning line: the stage runs again."""
        self.damage = None
        if self.final.is_symlink():
            self.damage = "its folder is a symbolic link"
        else:
            manifest = read_manifest(self.final, outputs, self.key)
            if isinstance(manifest, str):
                self.damage = manifest
            elif manifest is None or not verify:
                return manifest
            else:
                for name, recorded in manifest["output_hashes"].items():
                    rel = manifest["outputs"][name]
                    try:
                        actual = content_hash(self.out / rel)
                    except OSError:
                        actual = None
                    if actual != recorded:
                        warn(f"{self.out / rel}: cached output changed since it was written (hash differs from "
                             "its manifest); rerunning its stage")
                        return None
                return manifest
        warn(f"{self.final}: damaged cache entry ({self.damage}); rerunning its stage")
        return None

    def start(self, fresh: bool = False) -> Path:
        """The partial directory's ``out/`` to run into, made as real folders inside the work
        directory (a link planted at any of them is removed, never followed); ``fresh``
        (``--force``) first discards an interrupted attempt."""
        if fresh:
            remove_tree(self.partial)
        return real_dir(self.partial / "out", root=self.workdir)

    def _unstage_logs(self) -> None:
        """Run logs in the outputs (a model folder's ``train_config.json``, ``summary.json``...)
        name the folder the stage ran in; they are rewritten to name the folder it lands in, so no
        path of the partial directory outlives it (they are not hashed, see :data:`RUN_LOGS`)."""
        for path in sorted((self.partial / "out").rglob("*")):
            if path.name in RUN_LOGS and path.suffix in (".json", ".jsonl") and path.is_file() and not path.is_symlink():
                text = path.read_text("utf-8")
                fixed = _unstaged(text, self.partial, self.final)
                if fixed != text:
                    with atomic_write(path) as fh:
                        fh.write(fixed)

    def siblings(self) -> list[dict[str, Any]]:
        """Manifests of this stage run's other complete keys (to explain why a rerun is needed)."""
        found = []
        if self.parent.is_dir():
            for d in self.parent.iterdir():
                if d.name != self.final.name and not d.name.startswith(".") and not d.is_symlink():
                    m = read_manifest(d, None, None)
                    if isinstance(m, dict):  # a damaged one explains nothing
                        found.append(m)
        return sorted(found, key=lambda m: m.get("finished", ""), reverse=True)

    def finalize(self, manifest: dict[str, Any]) -> None:
        """Write the manifest into the partial directory and rename it into place (atomic)."""
        real_dir(self.partial, root=self.workdir)
        self._unstage_logs()
        with atomic_write(self.partial / MANIFEST) as fh:
            json.dump(seal_manifest(manifest), fh, indent=2, ensure_ascii=False)
        replace_dir(self.partial, self.final)  # --force, or a stale copy without manifest: replaced


def _unstaged(text: str, staging: Path, final: Path) -> str:
    for a, b in ((str(staging), str(final)), (json.dumps(str(staging))[1:-1], json.dumps(str(final))[1:-1])):
        text = text.replace(a, b)
    return text


def read_manifest(directory: Path, outputs: dict[str, str] | None, key: str | None) -> dict[str, Any] | str | None:
    """The manifest in ``directory`` if it is complete (for ``key``, with every output of
    ``outputs`` present); None when there is none or it is not complete; a string saying what is
    wrong when it is damaged (unreadable, of the wrong shape, failing its checksum)."""
    path = Path(directory) / MANIFEST
    if not path.is_file() or path.is_symlink():
        return None if not os.path.lexists(path) else "manifest.json is not a plain file"
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return "manifest.json is not readable JSON"
    problem = manifest_problem(manifest)
    if problem is not None:
        return f"manifest.json: {problem}"
    if manifest["status"] != "complete" or (key is not None and manifest["key"] != key):
        return None
    if outputs is not None and not set(outputs) <= set(manifest["outputs"]):
        return "manifest.json does not name every output of its stage"
    for rel in (outputs or manifest["outputs"]).values():
        if not (Path(directory) / "out" / rel).exists():
            return None
    return manifest


#: The fields a manifest's readers use, and their types (the rest are for people).
_FIELDS: dict[str, type | tuple[type, ...]] = {
    "status": str, "run": str, "stage": str, "key": str, "inputs": dict, "settings": dict, "outputs": dict,
    "output_hashes": dict, "summary": dict, "toolkit_version": str, "adapter_version": str,
    "code_files": dict, "finished": str, "binding": dict, "checksum": str,
}


def manifest_problem(manifest: Any) -> str | None:
    """What is wrong with a manifest read back, or None: every field its readers use there and
    of the right type, outputs and their hashes naming the same files, the checksum it was
    written with (:func:`seal_manifest`) matching its content."""
    if not isinstance(manifest, dict):
        return f"expected a JSON object, found {type(manifest).__name__}"
    for name, kind in _FIELDS.items():
        if not isinstance(manifest.get(name), kind):
            return f"field '{name}' missing or not a {getattr(kind, '__name__', 'value')}"
    outs, hashes = manifest["outputs"], manifest["output_hashes"]
    if not outs or set(outs) != set(hashes) or not all(isinstance(v, str) for v in [*outs.values(), *hashes.values()]):
        return "'outputs' and 'output_hashes' do not name the same files"
    if any(not isinstance(items, list) or not all(isinstance(i, dict) for i in items)
           for items in manifest["inputs"].values()):
        return "field 'inputs' is not slot -> list of inputs"
    if manifest["checksum"] != _checksum(manifest):
        return "checksum does not match its content"
    return None


def _checksum(manifest: dict[str, Any]) -> str:
    return fingerprint({k: v for k, v in manifest.items() if k != "checksum"})


def seal_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """``manifest`` with the checksum over its content that :func:`manifest_problem` checks."""
    manifest = json.loads(json.dumps(manifest, ensure_ascii=False, default=str))  # as it reads back
    manifest.pop("checksum", None)
    return {**manifest, "checksum": _checksum(manifest)}


def explain_change(old: dict[str, Any], settings: dict[str, Any], input_hashes: dict[str, list[str]],
                   adapter_version: str, version: str, code: dict[str, str] | None = None) -> str:
    """Why a new key differs from an earlier run's manifest, in a few words."""
    reasons = []
    if old.get("toolkit_version") != version:
        reasons.append(f"toolkit version {old.get('toolkit_version')} -> {version}")
    if code is not None and old.get("code_files") != code:
        old_code = old.get("code_files") or {}
        changed = sorted(f for f in set(old_code) | set(code) if old_code.get(f) != code.get(f))
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        reasons.append(f"code changed: {shown}")
    if old.get("adapter_version") != adapter_version:
        reasons.append("stage adapter changed")
    old_settings = old.get("settings", {})
    for k in sorted(set(old_settings) | set(settings)):
        if old_settings.get(k) != settings.get(k):
            reasons.append(f"setting {k}: {old_settings.get(k)!r} -> {settings.get(k)!r}")
    old_inputs = {slot: [i.get("hash") for i in items] for slot, items in old.get("inputs", {}).items()}
    for slot in sorted(set(old_inputs) | set(input_hashes)):
        if old_inputs.get(slot) != input_hashes.get(slot):
            reasons.append(f"input {slot} changed")
    return "; ".join(reasons) or "no earlier output"
