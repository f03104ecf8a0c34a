"""``train_model(TrainConfig)``: read the data, build the model, run the trainer with its hooks.

Output directory (see docs/formats.md, "NER model directory"): the best model (encoder
safetensors + tokenizer + ``ner_head.safetensors`` + ``labels.json``), ``train_config.json``,
``metrics.jsonl``, ``metrics.png``, ``summary.json`` when finished, and ``checkpoint/`` while a
run is unfinished. Rerunning the same command after a kill continues from the last finished
epoch and ends with the same metrics as an uninterrupted run.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from augment.core import Sentence, read_corpus
from augment.core.checkpoint import file_digest, fingerprint
from augment.core.errors import ConfigError
from augment.core.fileio import atomic_write
from augment.core.seed import set_seed
from augment.core.tags import label_types
from ner.concner import ConCNERObjective
from ner.data import Example, WordEncoder
from ner.hooks import (
    CHECKPOINT_DIR,
    METRICS_FILE,
    PLOT_FILE,
    BestModel,
    Checkpoint,
    Evaluator,
    MetricsLog,
    Plot,
)
from ner.labels import LabelMap, check_types
from ner.model import TokenClassifier, freeze_bottom, load_encoder, load_tokenizer, resolve_device
from ner.pairs import read_augmented
from ner.trainer import (
    Hook,
    LoopSettings,
    Trainer,
    linear_schedule,
    make_optimizer,
    steps_per_epoch,
)

CONFIG_FILE = "train_config.json"
SUMMARY_FILE = "summary.json"
PRECISIONS = ("auto", "fp32", "bf16", "fp16")


@dataclass
class TrainConfig:
    """Options of ``ner train`` (each documented in docs/ner.md)."""

    train: list[str]  # tagged corpora (any readable format), source language
    out: str  # output directory
    model: str = "bert-base-multilingual-cased"  # encoder: hub name or path
    augmented: list[str] = field(default_factory=list)  # projection JSONL: target + meta["src"]
    dev: str | None = None  # tagged dev file: scored each epoch, best model kept
    repair_tags: bool = False  # repair invalid IOB sequences (MasakhaNER needs it)
    lambda_label: float = 0.5  # weight of the label-contrastive (SupCon) loss; 0 = off
    lambda_translation: float = 0.5  # weight of the translation-contrastive (InfoNCE) loss; 0 = off
    temperature: float = 0.1  # temperature of both contrastive losses
    o_keep: float = 0.2  # fraction of O tokens kept in the label-contrastive loss (cost is N^2)
    projection_dim: int = 128  # size of the SupCon projection head (0 = use the hidden states)
    epochs: int = 3
    lr: float = 5e-5
    weight_decay: float = 0.01
    warmup: float = 0.1  # fraction of steps with linear warmup
    batch_size: int = 16  # sentences per batch (a translation pair counts as two)
    grad_accum: int = 1
    clip: float = 1.0  # gradient-norm clipping (0 = off)
    max_length: int = 128  # subwords per sentence, special tokens included
    dropout: float = 0.1
    freeze_layers: int = 0  # freeze embeddings + this many bottom layers (0 = train all)
    seed: int = 42
    device: str = "auto"
    precision: str = "auto"  # auto (bf16 where native: ner/precision.py) | fp32 | bf16 | fp16 (CUDA)
    overwrite: bool = False  # discard an unfinished run with other settings in ``out``

    def validate(self) -> None:
        checks = [
            (self.epochs >= 1, "--epochs must be >= 1"),
            (self.lr > 0, "--lr must be > 0"),
            (self.batch_size >= 1, "--batch-size must be >= 1"),
            (self.grad_accum >= 1, "--grad-accum must be >= 1"),
            (self.lambda_label >= 0 and self.lambda_translation >= 0, "loss weights must be >= 0"),
            (self.temperature > 0, "--temperature must be > 0"),
            (0 < self.o_keep <= 1, "--o-keep must be in (0, 1]"),
            (self.max_length >= 8, "--max-length must be >= 8"),
            (self.precision in PRECISIONS, f"precision must be one of {', '.join(PRECISIONS)}"),
            (0 <= self.warmup < 1, "--warmup must be in [0, 1)"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)
        if not self.train and not self.augmented:
            raise ConfigError("nothing to train on: give --train and/or --augmented")


def run_fingerprint(config: Any, files: Sequence[str | None], skip: Sequence[str] = ("out", "device", "overwrite")) -> str:
    """Hash of the settings that change the result, plus the content of the input files."""
    settings = {k: v for k, v in asdict(config).items() if k not in skip}
    digests = [file_digest(f) if f and Path(f).exists() else f for f in files]
    return fingerprint({"settings": settings, "files": digests})


def prepare_out(out: Path, fp: str, overwrite: bool) -> bool:
    """True when ``out`` already holds this finished run; clears a stale run on ``overwrite``."""
    summary = out / SUMMARY_FILE
    if summary.is_file():
        try:
            done = json.loads(summary.read_text("utf-8"))
        except ValueError:
            done = {}
        if done.get("fingerprint") == fp and not overwrite:
            return True
        if not overwrite:
            raise ConfigError(f"{out} holds a finished run with other settings; use another --out or pass --overwrite")
    if overwrite:
        shutil.rmtree(out / CHECKPOINT_DIR, ignore_errors=True)
        for name in (SUMMARY_FILE, METRICS_FILE, PLOT_FILE):
            (out / name).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    return False


def write_json(path: Path, data: dict) -> None:
    with atomic_write(path) as fh:
        json.dump(data, fh, indent=1, ensure_ascii=False, default=str)
        fh.write("\n")


def run_trainer(*, model: TokenClassifier, tokenizer, label_map: LabelMap, objective, examples: Sequence[Example],
                dev: Sequence[Sentence] | None, out: Path, fp: str, settings: LoopSettings, lr: float,
                weight_decay: float, warmup: float, max_length: int, device, terms: Sequence[str],
                extra_hooks: Sequence[Hook] = ()) -> dict:
    """The shared tail of ``ner train`` and ``ner distill``: optimizer, hooks, resume, fit, summary."""
    model.to(device)
    optimizer = make_optimizer(model, lr, weight_decay)
    trainer = Trainer(model, objective, optimizer, None, examples, settings, device)
    total = settings.epochs * steps_per_epoch(len(trainer.batches(1)), settings.grad_accum)
    trainer.scheduler = linear_schedule(optimizer, total, warmup)
    encoder = WordEncoder(tokenizer, max_length)
    hooks: list[Hook] = []
    if dev:
        dev_examples = encoder.encode_all(dev)
        hooks.append(Evaluator(dev_examples, [s.tags for s in dev], label_map, settings.batch_size * 2,
                               pad_id=settings.pad_id))
    log = MetricsLog(out)
    checkpoint = Checkpoint(out, fp)
    hooks += [BestModel(out, tokenizer, label_map), log, Plot(out, log, terms), checkpoint, *extra_hooks]
    trainer.hooks = hooks
    checkpoint.restore(trainer)
    trainer.fit()
    best = trainer.state.get("best", {})
    summary = {"finished": True, "fingerprint": fp, "epochs": settings.epochs, "best_epoch": best.get("epoch"),
               "best_dev_f1": best.get("score"), "last": log.records[-1] if log.records else None}
    write_json(out / SUMMARY_FILE, summary)
    shutil.rmtree(out / CHECKPOINT_DIR, ignore_errors=True)
    return summary


def read_train_data(config: TrainConfig) -> tuple[list[Sentence], list[int]]:
    """Source sentences and augmented pairs; ``groups[i] >= 0`` ties a pair's two sentences.

    A ``--train`` sentence that is also the source of a pair is kept once (inside the pair)."""
    sentences: list[Sentence] = []
    groups: list[int] = []
    for path in config.augmented:
        pairs, pair_groups = read_augmented(path, repair=config.repair_tags, first_group=len(set(groups) - {-1}))
        sentences += pairs
        groups += pair_groups
    in_pairs = {tuple(s.tokens) for s, g in zip(sentences, groups, strict=True) if g >= 0}
    for path in config.train:
        for s in read_corpus(path, repair=config.repair_tags, to_scheme="iob2"):
            if s.tags is None:
                raise ConfigError(f"--train file {path} has no tags (sentence {s.id})")
            if tuple(s.tokens) not in in_pairs:
                sentences.append(s)
                groups.append(-1)
    return sentences, groups


def read_dev(path: str | None, repair: bool, label_map: LabelMap) -> list[Sentence] | None:
    """The tagged dev file scored each epoch (``None`` without one), in IOB2; it must have tags,
    and only entity types the model can predict."""
    if not path:
        return None
    dev = read_corpus(path, repair=repair, to_scheme="iob2")
    if any(s.tags is None for s in dev):
        raise ConfigError(f"--dev file {path} has no tags")
    check_types(label_types(t for s in dev for t in s.tags), label_map, path)
    return dev


def train_model(config: TrainConfig, extra_hooks: Sequence[Hook] = ()) -> Path:
    """Train (or resume, or skip when already finished) and return the output directory."""
    config.validate()
    out = Path(config.out)
    fp = run_fingerprint(config, [*config.train, *config.augmented, config.dev])
    if prepare_out(out, fp, config.overwrite):
        return out
    device = resolve_device(config.device)
    sentences, groups = read_train_data(config)
    label_map = LabelMap.from_tags(s.tags for s in sentences)
    if len(label_map) == 1:
        raise ConfigError("the training data has no entities")
    dev = read_dev(config.dev, config.repair_tags, label_map)
    tokenizer = load_tokenizer(config.model)
    set_seed(config.seed)
    model = TokenClassifier(load_encoder(config.model), len(label_map), config.projection_dim, config.dropout)
    if config.freeze_layers:
        freeze_bottom(model.encoder, config.freeze_layers)
    encoder = WordEncoder(tokenizer, config.max_length)
    examples = encoder.encode_all(sentences, label_map, groups)
    write_json(out / CONFIG_FILE, {"command": "train", **asdict(config), "labels": list(label_map.labels)})
    objective = ConCNERObjective(config.lambda_label, config.lambda_translation, config.temperature, config.o_keep)
    settings = LoopSettings(config.epochs, config.batch_size, config.seed, config.grad_accum, config.clip,
                            config.precision, encoder.pad)
    terms = ["ce"] + (["label"] if config.lambda_label > 0 else []) + (
        ["translation"] if config.lambda_translation > 0 else [])
    terms = ["loss", *terms] if len(terms) > 1 else terms
    run_trainer(model=model, tokenizer=tokenizer, label_map=label_map, objective=objective, examples=examples,
                dev=dev, out=out, fp=fp, settings=settings, lr=config.lr, weight_decay=config.weight_decay,
                warmup=config.warmup, max_length=config.max_length, device=device, terms=terms,
                extra_hooks=extra_hooks)
    return out


def env_threads() -> None:
    """Let ``XNER_THREADS`` cap torch's CPU threads (CLI and benchmarks only, never at import)."""
    n = os.environ.get("XNER_THREADS")
    if n:
        import torch

        torch.set_num_threads(int(n))
