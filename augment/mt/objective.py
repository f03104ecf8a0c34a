"""What ``train_mt`` optimises and how fast: label-smoothed cross-entropy and the learning-rate
schedules of small-data NMT.

- :class:`SmoothedLoss`: cross-entropy of the next subword with label smoothing (0.1 is the
  Transformer's value; it keeps a small model from over-trusting a few thousand pairs). The
  decoder input is built from the labels once, so the model does not compute a second loss.
- :func:`inverse_sqrt_schedule`: linear warmup, then the rate falls with the inverse square root
  of the step (the Transformer's schedule): no length to fix in advance, so a run can stop
  early on its dev curve or continue; :func:`make_schedule` picks it or the linear one.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

SCHEDULES = ("linear", "inverse_sqrt")


class SmoothedLoss:
    """``{"loss": label-smoothed CE, "nll": plain CE}`` of a seq2seq model on a batch with
    ``labels`` (-100 where padded)."""

    def __init__(self, smoothing: float = 0.1):
        self.smoothing = smoothing

    def start_epoch(self, seed: int, epoch: int) -> None:
        pass

    def __call__(self, model: torch.nn.Module, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        labels = batch["labels"]
        decoder_input_ids = model.prepare_decoder_input_ids_from_labels(labels=labels)
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                       decoder_input_ids=decoder_input_ids).logits
        flat, target = logits.float().view(-1, logits.size(-1)), labels.view(-1)
        loss = F.cross_entropy(flat, target, ignore_index=-100, label_smoothing=self.smoothing)
        if not self.smoothing:
            return {"loss": loss}
        with torch.no_grad():
            nll = F.cross_entropy(flat, target, ignore_index=-100)
        return {"loss": loss, "nll": nll}


def inverse_sqrt_schedule(optimizer: torch.optim.Optimizer, warmup_steps: int) -> torch.optim.lr_scheduler.LambdaLR:
    """Rate ``lr * step / warmup`` for the first ``warmup_steps`` steps, then
    ``lr * sqrt(warmup / step)`` (counted from step 1, so the first step trains)."""
    warmup = max(1, warmup_steps)

    def factor(step: int) -> float:
        n = step + 1
        return n / warmup if n < warmup else math.sqrt(warmup / n)

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def make_schedule(name: str, optimizer: torch.optim.Optimizer, total_steps: int, warmup_ratio: float,
                  warmup_steps: int = 0) -> Any:
    """The schedule ``name`` (:data:`SCHEDULES`); ``warmup_steps`` > 0 wins over ``warmup_ratio``."""
    from augment.core.training import linear_schedule

    if name == "inverse_sqrt":
        return inverse_sqrt_schedule(optimizer, warmup_steps or int(total_steps * warmup_ratio))
    if warmup_steps:
        warmup_ratio = min(warmup_steps / max(total_steps, 1), 0.99)
    return linear_schedule(optimizer, total_steps, warmup_ratio)
