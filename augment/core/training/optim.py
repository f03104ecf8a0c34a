"""Optimizer and learning-rate schedule shared by every training command."""

from __future__ import annotations

import torch


def make_optimizer(model: torch.nn.Module, lr: float, weight_decay: float = 0.01) -> torch.optim.AdamW:
    """AdamW; no weight decay on biases and LayerNorm weights."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (no_decay if p.ndim < 2 or "norm" in name.lower() else decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}], lr=lr)


def linear_schedule(optimizer: torch.optim.Optimizer, total_steps: int, warmup_ratio: float) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear warmup over ``warmup_ratio`` of the steps, then linear decay to 0: transformers'
    ``get_linear_schedule_with_warmup`` counted from step 1, so that the first optimizer step
    already trains (at ``lr / (warmup + 1)``, not 0). This is the schedule every run here has
    used, so results do not change; every training command shares it."""
    from transformers import get_linear_schedule_with_warmup

    warmup = int(total_steps * warmup_ratio)
    factor = get_linear_schedule_with_warmup(optimizer, warmup + 1, total_steps + 1).lr_lambdas[0]
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: factor(step + 1))
