"""The content-keyed cache of stage outputs.

A stage run's key is a hash of: its stage kind and adapter version, its settings, the content
hash of every input (data files, or the recorded hash of an upstream run's output) and the
toolkit version. Its output lives in ``WORKDIR/<stage>/<grid values>/<key[:16]>/``: ``out/``
holds the files, ``manifest.json`` says what made them. The work happens in a sibling
``.partial-<key[:16]>/`` directory that is renamed into place only when the stage finished, so
a directory with a manifest is always complete; a killed run leaves the partial directory for
the stage's own resume to continue from.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from augment.core.checkpoint import file_digest, fingerprint
from augment.core.fileio import atomic_write

MANIFEST = "manifest.json"
KEY_CHARS = 16

_HASHES: dict[tuple, str] = {}


def toolkit_version() -> str:
    import augment

    return augment.__version__


def content_hash(path: str | os.PathLike) -> str:
    """SHA-256 of a file or a directory tree, remembered per (path, size, mtime) within a process."""
    p = Path(path)
    st = p.stat()
    if p.is_dir():
        parts = sorted((str(f.relative_to(p)), f.stat().st_size, f.stat().st_mtime_ns) for f in p.rglob("*") if f.is_file())
        memo = (str(p.resolve()), "dir", fingerprint(parts))
    else:
        memo = (str(p.resolve()), st.st_size, st.st_mtime_ns)
    if memo not in _HASHES:
        _HASHES[memo] = file_digest(p)
    return _HASHES[memo]


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
            version: str | None = None) -> str:
    """The cache key of one stage run (hex SHA-256)."""
    from pipelines.shards import key_settings

    return fingerprint({  # sharding does not change the output bytes, so it is not in the key
        "kind": kind, "adapter": adapter_version, "settings": key_settings(settings),
        "inputs": input_hashes, "toolkit": version or toolkit_version(),
    })


class RunDir:
    """The keyed directory of one stage run and its partial sibling."""

    def __init__(self, workdir: str | os.PathLike, stage: str, binding_label: str, key: str):
        self.parent = Path(workdir) / stage / binding_label
        self.key = key
        self.final = self.parent / key[:KEY_CHARS]
        self.partial = self.parent / f".partial-{key[:KEY_CHARS]}"

    @property
    def out(self) -> Path:
        return self.final / "out"

    def manifest(self, outputs: dict[str, str] | None = None) -> dict[str, Any] | None:
        """The manifest of a complete run, or None (no run, or a declared output was deleted)."""
        return read_manifest(self.final, outputs, self.key)

    def siblings(self) -> list[dict[str, Any]]:
        """Manifests of this stage run's other complete keys (to explain why a rerun is needed)."""
        found = []
        if self.parent.is_dir():
            for d in self.parent.iterdir():
                if d.name != self.final.name and not d.name.startswith("."):
                    m = read_manifest(d, None, None)
                    if m is not None:
                        found.append(m)
        return sorted(found, key=lambda m: m.get("finished", ""), reverse=True)

    def finalize(self, manifest: dict[str, Any]) -> None:
        """Write the manifest into the partial directory and rename it into place (atomic)."""
        with atomic_write(self.partial / MANIFEST) as fh:
            json.dump(manifest, fh, indent=2, ensure_ascii=False, default=str)
        if self.final.exists():  # --force, or a stale copy without manifest: replace it
            old = self.parent / f".old-{self.final.name}"
            shutil.rmtree(old, ignore_errors=True)
            os.replace(self.final, old)
            os.replace(self.partial, self.final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(self.partial, self.final)


def read_manifest(directory: Path, outputs: dict[str, str] | None, key: str | None) -> dict[str, Any] | None:
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("status") != "complete" or (key is not None and manifest.get("key") != key):
        return None
    for rel in (outputs or manifest.get("outputs", {})).values():
        if not (Path(directory) / "out" / rel).exists():
            return None
    return manifest


def explain_change(old: dict[str, Any], settings: dict[str, Any], input_hashes: dict[str, list[str]],
                   adapter_version: str, version: str) -> str:
    """Why a new key differs from an earlier run's manifest, in a few words."""
    reasons = []
    if old.get("toolkit_version") != version:
        reasons.append(f"toolkit version {old.get('toolkit_version')} -> {version}")
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
