"""Verified resume state: the one checkpoint format of every training command.

A checkpoint is a folder written atomically: the model (weights, or a whole ``save_pretrained``
directory with its tokenizer), ``optimizer.pt`` (optimizer, schedule, loss scaler and every random
generator's state) and a state file (JSON: fingerprint of the run, epoch, step, where in the epoch
it stopped, the hooks' state). The state file is *sealed*: it lists the SHA-256 of every other
file in the folder and carries a checksum over its own content, so a truncated, edited or
replaced file is found before anything is loaded. Damage is discarded with one warning line and
the work is redone; a symlink in a checkpoint's place is removed, never followed.

:func:`seal` / :func:`unseal` are the sealing itself, for other resume state (the soft-label cache
of distillation uses them).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from augment.core.checkpoint import file_digest, fingerprint
from augment.core.errors import ConfigError, ModelError
from augment.core.fileio import atomic_path
from augment.core.state import remove_link, warn
from augment.core.training.loop import EpochProgress, Hook, Trainer, rng_states, set_rng_states

FORMAT = 1
OPTIMIZER_FILE = "optimizer.pt"
WEIGHTS_FILE = "model.safetensors"


def seal(state: dict[str, Any]) -> dict[str, Any]:
    """``state`` with a ``checksum`` over its content (JSON, sorted keys)."""
    body = {k: v for k, v in state.items() if k != "checksum"}
    return {**body, "checksum": fingerprint({"format": FORMAT, "state": body})}


def unseal(data: Any) -> dict[str, Any] | None:
    """``data`` if it is a sealed state whose checksum matches its content, else None."""
    if not isinstance(data, dict) or not isinstance(data.get("checksum"), str):
        return None
    return data if seal(data)["checksum"] == data["checksum"] else None


def folder_digests(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """SHA-256 of every file below ``folder`` (relative POSIX path -> digest), but ``skip``."""
    return {f.relative_to(folder).as_posix(): file_digest(f)
            for f in sorted(folder.rglob("*")) if f.is_file() and f.name not in skip}


def files_match(folder: Path, files: Any) -> bool:
    """True when every file ``files`` names is in ``folder`` (not through a link) with its digest."""
    if not isinstance(files, dict) or not files:
        return False
    try:
        return all(isinstance(d, str) and not Path(n).is_absolute() and ".." not in Path(n).parts
                   and not (folder / n).is_symlink() and file_digest(folder / n) == d for n, d in files.items())
    except OSError:
        return False


def read_sealed(path: Path) -> dict[str, Any] | None:
    """The sealed state in the JSON file ``path``, or None (missing, unreadable, edited)."""
    try:
        return unseal(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError):
        return None


def discard(path: Path) -> None:
    """Remove a file, a folder or a symlink (never what a link points to)."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path)


def save_weights(trainer: Trainer, folder: Path) -> None:
    from safetensors.torch import save_model

    save_model(trainer.model, str(folder / WEIGHTS_FILE))


def load_weights(trainer: Trainer, folder: Path) -> None:
    from safetensors.torch import load_model

    load_model(trainer.model, str(folder / WEIGHTS_FILE), device=str(trainer.device))


class Checkpoint(Hook):
    """Saves everything a resumed run needs to ``directory`` after every epoch and, with
    ``every_steps``, every that many optimizer steps inside an epoch (not after the epoch's last
    batch: the epoch's end saves then, nor past ``max_steps``).

    ``save_model(trainer, folder)`` writes the model (default: its weights as safetensors);
    ``load_model(trainer, folder)`` loads it back on resume (None: the caller builds the model
    from the folder itself, e.g. ``from_pretrained``)."""

    def __init__(self, directory: str | os.PathLike, run_fingerprint: str, *, every_steps: int = 0,
                 state_file: str = "state.json",
                 save_model: Callable[[Trainer, Path], None] = save_weights,
                 load_model: Callable[[Trainer, Path], None] | None = load_weights):
        self.dir = Path(directory)
        self.run_fingerprint = run_fingerprint
        self.every_steps = every_steps
        self.state_file = state_file
        self.save_model, self.load_model = save_model, load_model

    def on_step_end(self, trainer: Trainer, terms: dict[str, float]) -> None:
        s, p = trainer.settings, trainer.progress
        if (self.every_steps and trainer.step % self.every_steps == 0 and p.batch < p.n_batches
                and not (s.max_steps and trainer.step >= s.max_steps)):
            self.save(trainer, mid_epoch=True)

    def on_epoch_end(self, trainer: Trainer, record: dict[str, Any]) -> None:
        self.save(trainer)

    def save(self, trainer: Trainer, mid_epoch: bool = False) -> None:
        remove_link(self.dir)
        with atomic_path(self.dir) as tmp:
            tmp.mkdir()
            self.save_model(trainer, tmp)
            extra = {"optimizer": trainer.optimizer.state_dict(), "scheduler": trainer.scheduler.state_dict(),
                     "rng": rng_states(trainer)}
            if trainer.scaler.is_enabled():
                extra["scaler"] = trainer.scaler.state_dict()
            torch.save(extra, tmp / OPTIMIZER_FILE)
            state = {"fingerprint": self.run_fingerprint, "epoch": trainer.epoch, "step": trainer.step,
                     "progress": trainer.progress.to_dict() if mid_epoch else None, "state": trainer.state,
                     "files": folder_digests(tmp, skip=(self.state_file,))}
            (tmp / self.state_file).write_text(json.dumps(seal(state), indent=1), encoding="utf-8")

    def load(self) -> dict[str, Any] | None:
        """The checkpoint's state if there is one and it passes its checks; a damaged one is
        removed after one warning line (None: start over)."""
        if remove_link(self.dir) or not self.dir.exists():
            return None
        state = read_sealed(self.dir / self.state_file)
        if state is None or not files_match(self.dir, state.get("files")):
            warn(f"{self.dir}: resume checkpoint fails its content check (damaged, edited or incomplete); "
                 "discarded, training starts over")
            discard(self.dir)
            return None
        return state

    def restore(self, trainer: Trainer, state: dict[str, Any]) -> None:
        """Load a verified checkpoint (:meth:`load`) into ``trainer``."""
        try:
            if self.load_model is not None:
                self.load_model(trainer, self.dir)
            extra = torch.load(self.dir / OPTIMIZER_FILE, map_location=trainer.device, weights_only=True)
            trainer.optimizer.load_state_dict(extra["optimizer"])
            trainer.scheduler.load_state_dict(extra["scheduler"])
            if "scaler" in extra and trainer.scaler.is_enabled():
                trainer.scaler.load_state_dict(extra["scaler"])
            set_rng_states(trainer, extra["rng"])
        except Exception as err:  # noqa: BLE001 - an intact checkpoint this code cannot load
            raise ModelError(f"cannot resume from this checkpoint ({str(err).splitlines()[0][:160]}); "
                             "pass --overwrite to start over", path=self.dir) from None
        trainer.epoch, trainer.step, trainer.state = state["epoch"], state["step"], state["state"]
        trainer.progress = EpochProgress.from_dict(state["progress"]) if state.get("progress") else EpochProgress()

    def resume(self, trainer: Trainer, other_run: str) -> bool:
        """Restore the checkpoint if there is a sound one of this run; ``other_run`` is the error
        for a sound checkpoint of another run. False: training starts from the beginning."""
        state = self.load()
        if state is None:
            return False
        if state.get("fingerprint") != self.run_fingerprint:
            raise ConfigError(other_run)
        self.restore(trainer, state)
        return True
