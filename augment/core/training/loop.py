"""The one training loop (NER training, distillation, MLM pretraining, MT training).

The loop only does: per epoch, reseed (so a resumed run replays the same randomness), ask the
batch planner for the epoch's batches, and per batch step the optimizer on
``objective(model, batch)["loss"]``. Everything else hooks into its events
(:class:`Hook`): dev scores, best-model saving, logs, plots, progress, checkpoints, a stop after
``max_steps``. A run resumes mid-epoch: the trainer's counters, the epoch's running sums and the
random generators' states are what a checkpoint saves (:mod:`augment.core.training.checkpoint`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

import torch

from augment.core.training.precision import autocast

RESEEDS = ("epoch", "step", "none")


class Objective(Protocol):
    """``objective(model, batch) -> {"loss": total, "<term>": value, ...}``; ``start_epoch`` reseeds
    any generator of its own (a ``torch.Generator`` attribute is saved in checkpoints)."""

    def __call__(self, model: torch.nn.Module, batch: Any) -> dict[str, torch.Tensor]: ...

    def start_epoch(self, seed: int, epoch: int) -> None: ...


class ModelLoss:
    """The objective of a model that computes its own loss from the batch's ``labels`` (a
    transformers seq2seq or masked-LM model): MT training and MLM pretraining."""

    def start_epoch(self, seed: int, epoch: int) -> None:
        pass

    def __call__(self, model: torch.nn.Module, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        return {"loss": model(**batch).loss}


class BatchPlan(Protocol):
    """Which examples go together (a function of the seed and the epoch, so a resumed run gets
    the same batches) and how a batch of them becomes model input on a device."""

    def batches(self, epoch: int) -> list[list[int]]: ...

    def collate(self, indices: list[int], device: torch.device) -> Any: ...

    def tokens(self, batch: Any) -> int: ...  # real (non-padding) tokens, for throughput


class Hook:
    """Base class of trainer plugins; override the events you need. Hooks run in list order."""

    def on_start(self, trainer: Trainer) -> None:  # before the first (or resumed) epoch
        pass

    def on_epoch_start(self, trainer: Trainer) -> None:  # also when an epoch resumes mid-way
        pass

    def on_step_end(self, trainer: Trainer, terms: dict[str, float]) -> None:  # after an optimizer step
        pass

    def on_epoch_end(self, trainer: Trainer, record: dict[str, Any]) -> None:
        pass

    def on_end(self, trainer: Trainer) -> None:
        pass


@dataclass
class LoopSettings:
    """``reseed``: ``epoch`` seeds torch from (seed, epoch) at each epoch start, ``step`` before
    every batch from (seed, steps taken), ``none`` leaves the generator running (seeded once by the
    caller). ``max_steps`` > 0 ends the run after that many optimizer steps (the last epoch is
    then a partial one)."""

    epochs: int
    seed: int
    grad_accum: int = 1
    clip: float = 1.0
    precision: str = "fp32"  # auto | fp32 | bf16 | fp16 (see augment.core.training.precision)
    max_steps: int = 0
    reseed: str = "epoch"


@dataclass
class EpochProgress:
    """Where the running epoch is: batches done, their summed loss terms, tokens and seconds."""

    batch: int = 0
    n_batches: int = 0  # batches in this epoch
    sums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    tokens: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"batch": self.batch, "sums": dict(self.sums), "tokens": self.tokens, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EpochProgress:
        return cls(batch=int(d["batch"]), sums=defaultdict(float, {str(k): float(v) for k, v in d["sums"].items()}),
                   tokens=int(d["tokens"]), seconds=float(d["seconds"]))

    def mean(self, term: str = "loss") -> float:
        return self.sums.get(term, 0.0) / max(self.batch, 1)


@dataclass
class Trainer:
    model: torch.nn.Module
    objective: Objective
    optimizer: torch.optim.Optimizer
    scheduler: Any
    plan: BatchPlan
    settings: LoopSettings
    device: torch.device
    hooks: list[Hook] = field(default_factory=list)
    epoch: int = 0  # epochs finished
    step: int = 0  # optimizer steps taken
    state: dict[str, Any] = field(default_factory=dict)  # hooks keep their resumable state here
    progress: EpochProgress = field(default_factory=EpochProgress)  # of the running (or resumed) epoch

    def __post_init__(self) -> None:
        self.scaler = torch.amp.GradScaler(
            "cuda", enabled=self.device.type == "cuda" and self.settings.precision == "fp16")

    def _autocast(self):
        return autocast(self.device, self.settings.precision)

    def done(self) -> bool:
        s = self.settings
        return self.epoch >= s.epochs or bool(s.max_steps and self.step >= s.max_steps)

    def fit(self) -> None:
        for hook in self.hooks:
            hook.on_start(self)
        while not self.done():
            self._epoch(self.epoch + 1)
        for hook in self.hooks:
            hook.on_end(self)

    def _epoch(self, epoch: int) -> None:
        s = self.settings
        if self.progress.batch == 0:  # a fresh epoch; a resumed one has its generators restored
            self.progress = EpochProgress()
            if s.reseed == "epoch":
                torch.manual_seed(s.seed * 1_000_003 + epoch)
            self.objective.start_epoch(s.seed, epoch)
        self.model.train()
        batches = self.plan.batches(epoch)
        self.progress.n_batches = len(batches)
        for hook in self.hooks:
            hook.on_epoch_start(self)
        params = [p for p in self.model.parameters() if p.requires_grad]
        p, start = self.progress, time.perf_counter()
        self.optimizer.zero_grad(set_to_none=True)
        for i in range(p.batch, len(batches)):
            if s.reseed == "step":
                torch.manual_seed(s.seed * 1_000_003 + self.step)
            batch = self.plan.collate(batches[i], self.device)
            with self._autocast():
                terms = self.objective(self.model, batch)
            self.scaler.scale(terms["loss"] / s.grad_accum).backward()
            stepped = (i + 1) % s.grad_accum == 0 or i + 1 == len(batches)
            if stepped:
                self.scaler.unscale_(self.optimizer)
                if s.clip > 0:
                    torch.nn.utils.clip_grad_norm_(params, s.clip)
                self.scaler.step(self.optimizer)
                self.scaler.update()
                self.scheduler.step()
                self.optimizer.zero_grad(set_to_none=True)
                self.step += 1
            values = {k: float(v.detach()) for k, v in terms.items()}
            for k, v in values.items():
                p.sums[k] += v
            p.batch, p.tokens = i + 1, p.tokens + self.plan.tokens(batch)
            if stepped:
                p.seconds += time.perf_counter() - start
                start = time.perf_counter()
                for hook in self.hooks:
                    hook.on_step_end(self, values)
                if s.max_steps and self.step >= s.max_steps:
                    break
        p.seconds += time.perf_counter() - start
        self.epoch = epoch
        record: dict[str, Any] = {"epoch": epoch, "step": self.step}
        record.update({k: v / max(p.batch, 1) for k, v in p.sums.items()})
        record["lr"] = self.scheduler.get_last_lr()[0]
        record["seconds"] = round(p.seconds, 3)
        record["tokens_per_s"] = round(p.tokens / max(record["seconds"], 1e-9), 1)
        self.progress = EpochProgress()
        for hook in self.hooks:
            hook.on_epoch_end(self, record)


def objective_generators(objective: Any) -> dict[str, torch.Generator]:
    """The objective's own random generators (saved and restored with a mid-epoch checkpoint)."""
    return {k: v for k, v in sorted(vars(objective).items()) if isinstance(v, torch.Generator)}


def rng_states(trainer: Trainer) -> dict[str, Any]:
    """Every random generator the loop draws from, as tensors (``torch.save``-able, weights_only)."""
    states: dict[str, Any] = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        states["cuda"] = torch.cuda.get_rng_state_all()
    states["objective"] = {k: g.get_state() for k, g in objective_generators(trainer.objective).items()}
    return states


def set_rng_states(trainer: Trainer, states: dict[str, Any]) -> None:
    torch.set_rng_state(states["torch"])
    if "cuda" in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])
    for k, g in objective_generators(trainer.objective).items():
        if k in states.get("objective", {}):
            g.set_state(states["objective"][k])


def steps_per_epoch(n_batches: int, grad_accum: int) -> int:
    return -(-n_batches // grad_accum)


def total_steps(plan: BatchPlan, settings: LoopSettings) -> int:
    """Optimizer steps of the whole run (the schedule's length), ``max_steps`` included."""
    total = settings.epochs * steps_per_epoch(len(plan.batches(1)), settings.grad_accum)
    return min(total, settings.max_steps) if settings.max_steps else total



