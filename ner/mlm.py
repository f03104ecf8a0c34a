"""Masked-language-model pretraining of an encoder on raw text (for encoders built from scratch).

A randomly initialised encoder shares nothing across languages; a short MLM pass over parallel
and unlabelled text in both languages (e.g. MENYO-20k English + Yoruba) gives its shared
WordPiece vocabulary a chance to line up. The output is a plain encoder directory (``AutoModel``
loads it) with the same tokenizer.
"""

from __future__ import annotations

import json
import logging
import os
import random
from collections.abc import Sequence
from pathlib import Path

from augment.core.fileio import atomic_path
from augment.core.progress import progress, summary
from augment.core.seed import set_seed

log = logging.getLogger(__name__)


def pretrain_mlm(
    encoder: str | os.PathLike,
    texts: Sequence[str],
    out_dir: str | os.PathLike,
    *,
    epochs: int = 1,
    batch_size: int = 32,
    max_length: int = 64,
    lr: float = 5e-4,
    mask_prob: float = 0.15,
    seed: int = 0,
) -> Path:
    """Train ``encoder`` (name or path) with the MLM objective on ``texts``; save it to ``out_dir``."""
    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer, DataCollatorForLanguageModeling

    from augment.core.hub import from_pretrained
    from augment.core.training.optim import linear_schedule

    set_seed(seed)
    tok = from_pretrained(AutoTokenizer, encoder, "tokenizer")
    model = from_pretrained(AutoModelForMaskedLM, encoder, "encoder")
    collator = DataCollatorForLanguageModeling(tok, mlm_probability=mask_prob)
    texts = [t for t in texts if t.strip()]
    encoded = tok(texts, truncation=True, max_length=max_length)["input_ids"]
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    total = max(1, epochs * len(batches))
    sched = linear_schedule(opt, total, warmup_ratio=0.06)
    rng = random.Random(seed)
    model.train()
    losses = []
    bar = progress(total=total, desc="mlm", unit="batch")
    for epoch in range(1, epochs + 1):
        rng.shuffle(batches)
        start = len(losses)
        for batch in batches:
            features = collator([{"input_ids": encoded[i]} for i in batch])
            out = model(**features)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            losses.append(out.loss.item())
            bar.update(1)
            bar.set_postfix(loss=f"{losses[-1]:.4f}", refresh=False)
        epoch_losses = losses[start:]
        summary(f"mlm epoch {epoch}/{epochs}: loss {sum(epoch_losses) / max(1, len(epoch_losses)):.4f}")
    bar.close()
    with atomic_path(out_dir) as tmp:
        model.base_model.save_pretrained(tmp, safe_serialization=True)
        tok.save_pretrained(tmp)
        n = max(1, len(losses) // 10)
        (Path(tmp) / "mlm_log.json").write_text(json.dumps({
            "texts": len(texts), "epochs": epochs, "steps": len(losses), "seed": seed,
            "loss_first": sum(losses[:n]) / n, "loss_last": sum(losses[-n:]) / n}), encoding="utf-8")
    return Path(out_dir)
