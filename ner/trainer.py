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
    precision: str = "fp32"  # auto | fp32 | bf16 | fp16 (see ner.precision; fp16 on CUDA only)
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
        from ner.precision import autocast

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


def linear_schedule(optimizer: torch.optim.Optimizer, total_steps: int, warmup_ratio: float) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear warmup over ``warmup_ratio`` of the steps, then linear decay to 0: transformers'
    ``get_linear_schedule_with_warmup`` counted from step 1, so that the first optimizer step
    already trains (at ``lr / (warmup + 1)``, not 0). This is the schedule every run here has
    used, so results do not change; NER training, distillation and MLM share it."""
    from transformers import get_linear_schedule_with_warmup

    warmup = int(total_steps * warmup_ratio)
    factor = get_linear_schedule_with_warmup(optimizer, warmup + 1, total_steps + 1).lr_lambdas[0]
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: factor(step + 1))


def make_optimizer(model: torch.nn.Module, lr: float, weight_decay: float = 0.01) -> torch.optim.AdamW:
    """AdamW; no weight decay on biases and LayerNorm weights."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (no_decay if p.ndim < 2 or "norm" in name.lower() else decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}], lr=lr)


def steps_per_epoch(n_batches: int, grad_accum: int) -> int:
    return -(-n_batches // grad_accum)


