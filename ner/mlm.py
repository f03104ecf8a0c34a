"""Masked-language-model pretraining of an encoder on raw text (for encoders built from scratch).

A randomly initialised encoder shares nothing across languages; a short MLM pass over parallel
and unlabelled text in both languages (e.g. MENYO-20k English + Yoruba) gives its shared
WordPiece vocabulary a chance to line up. The output is a plain encoder directory (``AutoModel``
loads it) with the same tokenizer and ``mlm_log.json``.

It runs on the core training loop (:mod:`augment.core.training`): a killed run resumes from
``OUT.ckpt`` beside the output (verified first), and a finished one is not redone.
"""

from __future__ import annotations

import json
import logging
import os
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from augment.core.checkpoint import file_digest, fingerprint
from augment.core.fileio import atomic_path
from augment.core.seed import set_seed

log = logging.getLogger(__name__)

LOG_FILE = "mlm_log.json"


class MaskedBatches:
    """The batch planner of MLM (a :class:`~augment.core.training.loop.BatchPlan`): sentences
    sorted by length cut into batches once, the batch order reshuffled every epoch by one
    ``random.Random(seed)`` (epoch ``e`` replays the ``e`` shuffles, so a resumed run gets the same
    order); the collator masks the batch as it is built."""

    def __init__(self, encoded: list[list[int]], batch_size: int, seed: int, collator):
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        self.base = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        self.encoded, self.seed, self.collator = encoded, seed, collator

    def batches(self, epoch: int) -> list[list[int]]:
        rng, batches = random.Random(self.seed), list(self.base)
        for _ in range(epoch):
            rng.shuffle(batches)
        return batches

    def collate(self, indices: list[int], device) -> dict[str, Any]:
        features = self.collator([{"input_ids": self.encoded[i]} for i in indices])
        return {k: v.to(device) for k, v in features.items()}

    def tokens(self, batch: dict[str, Any]) -> int:
        return int(batch["attention_mask"].sum()) if "attention_mask" in batch else batch["input_ids"].numel()


def _fingerprint(encoder: str | os.PathLike, texts: Sequence[str], options: dict[str, Any]) -> str:
    source = file_digest(encoder) if Path(encoder).exists() else str(encoder)
    return fingerprint({"encoder": source, "texts": fingerprint(list(texts)), "options": options})


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
    device: str = "auto",
) -> Path:
    """Train ``encoder`` (name or path) with the MLM objective on ``texts``; save it to ``out_dir``."""
    from augment.core.training import training_output

    texts = [t for t in texts if t.strip()]
    options = {"epochs": epochs, "batch_size": batch_size, "max_length": max_length, "lr": lr,
               "mask_prob": mask_prob, "seed": seed}
    fp = _fingerprint(encoder, texts, options)
    out = Path(out_dir)
    with training_output(out):
        try:
            done = json.loads((out / LOG_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            done = None
        if not (isinstance(done, dict) and done.get("fingerprint") == fp):
            _pretrain(encoder, texts, out, fp, options, device)
    return out


def _pretrain(encoder, texts: list[str], out: Path, fp: str, o: dict[str, Any], device_name: str) -> None:
    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer, DataCollatorForLanguageModeling

    from augment.core.hub import from_pretrained, quiet_transformers
    from augment.core.state import warn
    from augment.core.training import (
        Checkpoint,
        EpochSummary,
        Hook,
        LoopSettings,
        ModelLoss,
        Progress,
        Trainer,
        discard,
        linear_schedule,
        total_steps,
    )

    set_seed(o["seed"])
    tok = from_pretrained(AutoTokenizer, encoder, "tokenizer")
    model = from_pretrained(AutoModelForMaskedLM, encoder, "encoder")
    collator = DataCollatorForLanguageModeling(tok, mlm_probability=o["mask_prob"])
    encoded = tok(texts, truncation=True, max_length=o["max_length"])["input_ids"]
    device = torch.device("cuda" if device_name == "auto" and torch.cuda.is_available() else
                          "cpu" if device_name == "auto" else device_name)
    model.to(device)
    plan = MaskedBatches(encoded, o["batch_size"], o["seed"], collator)
    # the generator runs on from set_seed (no reseeding): masks and dropout as they always were
    settings = LoopSettings(epochs=o["epochs"], seed=o["seed"], clip=1.0, reseed="none")
    optimizer = torch.optim.AdamW(model.parameters(), lr=o["lr"], weight_decay=0.01)
    scheduler = linear_schedule(optimizer, max(1, total_steps(plan, settings)), warmup_ratio=0.06)

    class Losses(Hook):
        def on_step_end(self, trainer, terms):
            trainer.state.setdefault("losses", []).append(terms["loss"])

    checkpoint = Checkpoint(Path(str(out) + ".ckpt"), fp)
    trainer = Trainer(model, ModelLoss(), optimizer, scheduler, plan, settings, device,
                      hooks=[Progress("mlm epoch"), Losses(), EpochSummary("mlm epoch"), checkpoint])
    state = checkpoint.load()
    if state is not None and state.get("fingerprint") != fp:
        warn(f"{checkpoint.dir}: checkpoint of a run with other settings; discarded")
        discard(checkpoint.dir)
    elif state is not None:
        checkpoint.restore(trainer, state)
    trainer.fit()
    losses = trainer.state.get("losses", [])
    with atomic_path(out) as tmp, quiet_transformers():
        model.base_model.save_pretrained(tmp, safe_serialization=True)
        tok.save_pretrained(tmp)
        n = max(1, len(losses) // 10)
        (Path(tmp) / LOG_FILE).write_text(json.dumps({
            "texts": len(texts), "epochs": o["epochs"], "steps": len(losses), "seed": o["seed"],
            "loss_first": sum(losses[:n]) / n, "loss_last": sum(losses[-n:]) / n, "fingerprint": fp}),
            encoding="utf-8")
    discard(checkpoint.dir)
