"""A short training loop; evaluation, checkpoints, logging and plots hook into its events.

The loop only does: per epoch, reseed (so a resumed run replays the same randomness), build the
batches, step the optimizer on ``objective(model, batch)["loss"]``, and hand the epoch's mean loss
terms to the hooks. Hooks (see :mod:`ner.hooks`) add dev scores to that record, save the best
model, write ``metrics.jsonl``, draw the plot and save the resume checkpoint, in that order.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import torch

from augment.core.progress import progress
from augment.core.training.loop import steps_per_epoch
from augment.core.training.optim import linear_schedule, make_optimizer
from ner.data import Batch, Example, collate, length_batches


class Objective(Protocol):
    """``objective(model, batch) -> {"loss": total, "<term>": value, ...}``."""

    def __call__(self, model: torch.nn.Module, batch: Batch) -> dict[str, torch.Tensor]: ...

    def start_epoch(self, seed: int, epoch: int) -> None: ...


class Hook:
    """Base class of trainer plugins; override the events you need."""

    def on_start(self, trainer: Trainer) -> None:  # before the first (or resumed) epoch
        pass

    def on_epoch_end(self, trainer: Trainer, record: dict[str, Any]) -> None:
        pass

    def on_end(self, trainer: Trainer) -> None:
        pass


@dataclass
class LoopSettings:
    epochs: int
    batch_size: int
    seed: int
    grad_accum: int = 1
    clip: float = 1.0
    precision: str = "fp32"  # auto | fp32 | bf16 | fp16 (see augment.core.training.precision; fp16 on CUDA only)
    pad_id: int = 0


@dataclass
class Trainer:
    model: torch.nn.Module
    objective: Objective
    optimizer: torch.optim.Optimizer
    scheduler: Any
    examples: Sequence[Example]
    settings: LoopSettings
    device: torch.device
    hooks: list[Hook] = field(default_factory=list)
    epoch: int = 0  # epochs finished
    step: int = 0  # optimizer steps taken
    state: dict[str, Any] = field(default_factory=dict)  # hooks keep their resumable state here

    def batches(self, epoch: int) -> list[list[int]]:
        return length_batches(self.examples, self.settings.batch_size, seed=self.settings.seed, epoch=epoch)

    def _autocast(self):
        from augment.core.training.precision import autocast

        return autocast(self.device, self.settings.precision)

    def fit(self) -> None:
        s = self.settings
        scaler = torch.amp.GradScaler("cuda", enabled=self.device.type == "cuda" and s.precision == "fp16")
        for hook in self.hooks:
            hook.on_start(self)
        params = [p for p in self.model.parameters() if p.requires_grad]
        while self.epoch < s.epochs:
            epoch = self.epoch + 1
            torch.manual_seed(s.seed * 1_000_003 + epoch)
            self.objective.start_epoch(s.seed, epoch)
            self.model.train()
            sums: dict[str, float] = defaultdict(float)
            n_batches, n_tokens, start = 0, 0, time.perf_counter()
            batches = self.batches(epoch)
            bar = progress(batches, desc=f"epoch {epoch}/{s.epochs}", unit="batch")
            self.optimizer.zero_grad(set_to_none=True)
            for i, idx in enumerate(bar):
                batch = collate([self.examples[j] for j in idx], s.pad_id).to(self.device)
                with self._autocast():
                    terms = self.objective(self.model, batch)
                scaler.scale(terms["loss"] / s.grad_accum).backward()
                if (i + 1) % s.grad_accum == 0 or i + 1 == len(batches):
                    scaler.unscale_(self.optimizer)
                    if s.clip > 0:
                        torch.nn.utils.clip_grad_norm_(params, s.clip)
                    scaler.step(self.optimizer)
                    scaler.update()
                    self.scheduler.step()
                    self.optimizer.zero_grad(set_to_none=True)
                    self.step += 1
                for k, v in terms.items():
                    sums[k] += float(v.detach())
                n_batches += 1
                n_tokens += batch.n_tokens
                if hasattr(bar, "set_postfix"):
                    bar.set_postfix(loss=f"{sums['loss'] / n_batches:.4f}")
            self.epoch = epoch
            record: dict[str, Any] = {"epoch": epoch, "step": self.step}
            record.update({k: v / max(n_batches, 1) for k, v in sums.items()})
            record["lr"] = self.scheduler.get_last_lr()[0]
            record["seconds"] = round(time.perf_counter() - start, 3)
            record["tokens_per_s"] = round(n_tokens / max(record["seconds"], 1e-9), 1)
            for hook in self.hooks:
                hook.on_epoch_end(self, record)
        for hook in self.hooks:
            hook.on_end(self)


__all__ = ["Hook", "LoopSettings", "Objective", "Trainer", "linear_schedule", "make_optimizer", "steps_per_epoch"]
