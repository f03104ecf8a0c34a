"""The ConCNER training objective (arXiv 2204.00796): CE + label-contrastive + translation-contrastive.

``loss = CE + lambda_label * L_label + lambda_translation * L_translation`` per batch, where CE is
over first subwords of every tagged sentence (source and projected translations), ``L_label`` is
SupCon over the projected first-subword vectors (:func:`ner.losses.label_contrastive`) and
``L_translation`` is InfoNCE over mean-pooled sentence vectors of the translation pairs in the
batch (:func:`ner.losses.translation_contrastive`). A weight of 0 skips that term entirely.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ner.data import Batch
from ner.losses import label_contrastive, token_cross_entropy, translation_contrastive


@dataclass
class ConCNERObjective:
    """The loss weights and settings, with no defaults of their own: they are declared once, in
    :class:`ner.options.TrainConfig` (``ner train --lambda-label`` ...), and passed in from there."""

    lambda_label: float
    lambda_translation: float
    temperature: float
    o_keep: float  # probability of keeping an O token in the label-contrastive loss

    def __post_init__(self) -> None:
        self.generator = torch.Generator()

    def start_epoch(self, seed: int, epoch: int) -> None:
        self.generator.manual_seed(seed * 7919 + epoch)

    def __call__(self, model, batch: Batch) -> dict[str, torch.Tensor]:
        hidden, logits = model(batch.input_ids, batch.attention_mask)
        ce = token_cross_entropy(logits, batch.labels)
        terms = {"ce": ce}
        loss = ce
        if self.lambda_label > 0:
            terms["label"] = label_contrastive(model.projection(hidden), batch.labels, self.temperature,
                                               self.o_keep, generator=self.generator)
            loss = loss + self.lambda_label * terms["label"]
        if self.lambda_translation > 0:
            terms["translation"] = translation_contrastive(hidden, batch.word_mask, batch.group, self.temperature)
            loss = loss + self.lambda_translation * terms["translation"]
        terms["loss"] = loss
        return terms
