"""Tag sentences with a trained model: batched by length, ``inference_mode``, first-subword labels.

Words cut off by ``max_length`` (or the model's positions) get ``O``; how many is logged. Output tags are valid IOB2 (the argmax sequence is
decoded leniently and re-encoded, which keeps every entity).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace

import torch

from augment.core import Sentence, spans_to_tags, tags_to_spans
from augment.core.progress import progress
from ner.data import Example, WordEncoder, collate, length_batches
from ner.model import TokenClassifier, load_model, resolve_device, usable_length


def model_outputs(model: TokenClassifier, examples: Sequence[Example], batch_size: int = 32,
                  device: torch.device | str = "cpu", probs: bool = False, desc: str = "",
                  pad_id: int = 0, precision: str = "fp32") -> list[torch.Tensor]:
    """Per example, the argmax label ids of its kept words (``[n_kept]``), or with ``probs`` the
    softmax probabilities (``[n_kept, C]``), in input order. ``precision``: see
    :mod:`augment.core.training.precision` (``auto``: bf16 autocast where the hardware has it)."""
    from augment.core.training.precision import autocast

    out: list[torch.Tensor | None] = [None] * len(examples)
    was_training = model.training
    model.eval()
    batches = length_batches(examples, batch_size)
    with torch.inference_mode():
        for idx in progress(batches, desc=desc or "predict", unit="batch"):
            batch = collate([examples[i] for i in idx], pad_id).to(device)
            with autocast(device, precision):
                _, logits = model(batch.input_ids, batch.attention_mask)
            logits = logits.float()
            for row, i in enumerate(idx):
                pos = torch.tensor(examples[i].first, dtype=torch.long, device=logits.device)
                sel = logits[row, pos]
                out[i] = (torch.softmax(sel, -1) if probs else sel.argmax(-1)).cpu()
    model.train(was_training)
    return out  # type: ignore[return-value]


def ids_to_tags(ids: torch.Tensor, labels: Sequence[str], n_words: int) -> list[str]:
    """IOB2 tags of ``n_words`` words from predicted ids (words beyond ``ids`` are ``O``)."""
    raw = [labels[i] for i in ids.tolist()] + ["O"] * (n_words - len(ids))
    return spans_to_tags(tags_to_spans(raw), n_words, "iob2")


def predict(model_dir: str | os.PathLike, sentences: Sequence[Sentence], *, batch_size: int = 32,
            max_length: int = 512, device: str = "auto", save_probs: bool = False,
            precision: str = "fp32") -> list[Sentence]:
    """Copies of ``sentences`` with predicted IOB2 ``tags`` (gold tags, if any, are replaced).

    ``save_probs``: also keep each word's label distribution in ``meta["probs"]`` (one row per
    word that fitted in ``max_length``) with the label names in ``meta["labels"]``, for
    probability-averaging ensembles (:mod:`ner.ensemble`).
    """
    dev = resolve_device(device)
    model, tokenizer, label_map = load_model(model_dir, dev)
    encoder = WordEncoder(tokenizer, _max_length(model, max_length))
    examples = encoder.encode_all(sentences)
    outputs = model_outputs(model, examples, batch_size, dev, probs=save_probs, pad_id=encoder.pad,
                            precision=precision)
    out = []
    for s, o in zip(sentences, outputs, strict=True):
        meta = dict(s.meta)
        if save_probs:
            meta["labels"] = list(label_map.labels)
            meta["probs"] = [[round(p, 5) for p in row] for row in o.tolist()]
            o = o.argmax(-1)
        out.append(replace(s, tags=ids_to_tags(o, label_map.labels, len(s.tokens)), meta=meta))
    return out


def _max_length(model: TokenClassifier, wanted: int) -> int:
    """``wanted``, within the model's positions (see :func:`ner.model.usable_length`)."""
    return usable_length(model.encoder, wanted)
