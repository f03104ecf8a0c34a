"""The distillation objective: the student matches the (combined) teachers' probabilities.

``loss = L_distill + a * CE(student, argmax p_teacher)`` over first subwords that have a teacher
distribution (``a`` = ``--hard-label-weight``, 0 by default). ``L_distill`` is MSE (Wu et al. 2020)
or temperature-scaled KL (see :mod:`ner.losses`).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ner.data import Batch
from ner.labels import IGNORE
from ner.losses import distill_kl, distill_mse, token_cross_entropy

LOSSES = ("mse", "kl")


@dataclass
class DistillObjective:
    loss: str = "mse"
    temperature: float = 1.0
    hard_label_weight: float = 0.0

    def start_epoch(self, seed: int, epoch: int) -> None:
        pass

    def __call__(self, model, batch: Batch) -> dict[str, torch.Tensor]:
        _, logits = model(batch.input_ids, batch.attention_mask)
        soft = batch.soft
        mask = batch.first_mask & (soft.sum(-1) > 0)
        if self.loss == "mse":
            term = distill_mse(logits, soft, mask)
        else:
            term = distill_kl(logits, soft, mask, self.temperature)
        terms = {"distill": term}
        loss = term
        if self.hard_label_weight > 0:
            hard = soft.argmax(-1).masked_fill(~mask, IGNORE)
            terms["hard"] = token_cross_entropy(logits, hard)
            loss = loss + self.hard_label_weight * terms["hard"]
        terms["loss"] = loss
        return terms
