"""``distill(DistillConfig)``: teachers label unlabeled target text, a student learns their
probabilities (single- or multi-source, Wu et al. 2020; the last step of ConCNER).

Steps: check the teachers share one label set; read the unlabeled text (tags ignored); compute
each teacher's per-word probabilities once (cached in ``OUT/soft_labels/``); weigh the teachers
(uniform, explicit or language similarity) and combine their probabilities; train the student with
the same loop, hooks, log, plot, checkpoint and resume as ``ner train``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import torch

from augment.core import read_corpus
from augment.core.checkpoint import file_digest
from augment.core.errors import ConfigError
from augment.core.seed import set_seed
from ner.data import WordEncoder
from ner.distill.objective import LOSSES, DistillObjective
from ner.distill.soft_labels import teacher_digest, teacher_soft_labels
from ner.distill.weights import explicit_weights, similarity_weights, uniform_weights
from ner.labels import LabelMap
from ner.losses import combine_teachers
from ner.model import TokenClassifier, freeze_bottom, load_encoder, load_tokenizer, resolve_device
from ner.train import (
    CONFIG_FILE,
    PRECISIONS,
    prepare_out,
    read_dev,
    run_fingerprint,
    run_trainer,
    write_json,
)
from ner.trainer import Hook, LoopSettings

WEIGHTS_FILE = "distill_weights.json"
SOFT_DIR = "soft_labels"


@dataclass
class DistillConfig:
    """Options of ``ner distill`` (documented in docs/ner.md)."""

    teachers: list[str]  # trained NER model directories (one per source language or recipe)
    unlabeled: str  # target-language text: plain text or any corpus (tags ignored)
    out: str
    student: str | None = None  # encoder to start from (default: the first teacher's encoder)
    weights: str = "uniform"  # uniform | similarity | w1,w2,...
    source_text: list[str] = field(default_factory=list)  # per teacher, its source-language text
    similarity_temperature: float = 1.0  # tau of the LID softmax for similarity weights
    loss: str = "mse"  # mse (Wu et al.) | kl
    temperature: float = 1.0  # KL temperature
    hard_label_weight: float = 0.0  # weight of CE on the teachers' argmax labels
    dev: str | None = None
    repair_tags: bool = False
    epochs: int = 3
    lr: float = 5e-5
    weight_decay: float = 0.01
    warmup: float = 0.1
    batch_size: int = 16
    grad_accum: int = 1
    clip: float = 1.0
    max_length: int = 128
    dropout: float = 0.1
    freeze_layers: int = 0  # freeze embeddings + this many bottom layers (Wu et al.: 3)
    seed: int = 42
    device: str = "auto"
    precision: str = "auto"  # see ner/precision.py
    overwrite: bool = False

    def validate(self) -> None:
        if not self.teachers:
            raise ConfigError("give at least one --teacher")
        if self.loss not in LOSSES:
            raise ConfigError(f"--loss must be one of {', '.join(LOSSES)}")
        checks = [(self.epochs >= 1, "--epochs must be >= 1"), (self.lr > 0, "--lr must be > 0"),
                  (self.batch_size >= 1, "--batch-size must be >= 1"), (self.temperature > 0, "--temperature must be > 0"),
                  (self.hard_label_weight >= 0, "--hard-label-weight must be >= 0"),
                  (self.precision in PRECISIONS, f"precision must be one of {', '.join(PRECISIONS)}"),
                  (self.max_length >= 8, "--max-length must be >= 8")]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)
        if self.source_text and len(self.source_text) != len(self.teachers):
            raise ConfigError(f"{len(self.source_text)} --source-text files for {len(self.teachers)} teachers")


def shared_label_map(teachers: list[str]) -> LabelMap:
    """The teachers' common label map; different label sets are one clear error."""
    maps = [LabelMap.load(t) for t in teachers]
    for t, m in zip(teachers[1:], maps[1:], strict=True):
        if m.labels != maps[0].labels:
            raise ConfigError(
                f"teachers have different label sets: {teachers[0]} has {', '.join(maps[0].types)}; "
                f"{t} has {', '.join(m.types)}"
            )
    return maps[0]


def _source_texts(config: DistillConfig) -> list[list]:
    paths = list(config.source_text)
    if not paths:
        for t in config.teachers:
            cfg_file = Path(t) / CONFIG_FILE
            train = json.loads(cfg_file.read_text("utf-8")).get("train") if cfg_file.is_file() else None
            if not train:
                raise ConfigError(f"--weights similarity: teacher {t} does not name its training data; "
                                  "pass --source-text FILE for every teacher")
            paths.append(train[0])
    return [read_corpus(p, repair=True) for p in paths]


def teacher_weights(config: DistillConfig, target, student_path: str, device) -> tuple[torch.Tensor, dict]:
    k = len(config.teachers)
    if config.weights == "uniform":
        return uniform_weights(k), {}
    if config.weights == "similarity":
        sources = _source_texts(config)
        return similarity_weights(student_path, sources, target, config.similarity_temperature, config.seed, device)
    return explicit_weights(config.weights, k), {}


def distill(config: DistillConfig, extra_hooks: list[Hook] | None = None) -> Path:
    """Distil the teachers into a student on unlabeled text; returns the output directory."""
    config.validate()
    label_map = shared_label_map(config.teachers)
    student_path = config.student or config.teachers[0]
    out = Path(config.out)
    fp = run_fingerprint(replace(config, teachers=[teacher_digest(t) for t in config.teachers]),
                         [config.unlabeled, config.dev, *config.source_text])
    if prepare_out(out, fp, config.overwrite):
        return out
    device = resolve_device(config.device)
    sentences = [replace(s, tags=None) for s in read_corpus(config.unlabeled, repair=True)]
    dev = read_dev(config.dev, config.repair_tags, label_map)
    text_digest = file_digest(config.unlabeled)
    per_teacher = [teacher_soft_labels(t, sentences, out / SOFT_DIR / f"teacher-{k}", batch_size=config.batch_size * 2,
                                       max_length=config.max_length, device=device, text_digest=text_digest)
                   for k, t in enumerate(config.teachers)]
    weights, info = teacher_weights(config, sentences, student_path, device)
    write_json(out / WEIGHTS_FILE, {"method": config.weights, "teachers": config.teachers,
                                    "weights": [round(float(w), 6) for w in weights], **info})
    combined = []
    for probs in zip(*per_teacher, strict=True):
        n = min(len(p) for p in probs)
        combined.append(combine_teachers(torch.stack([p[:n] for p in probs]), weights))
    tokenizer = load_tokenizer(student_path)
    set_seed(config.seed)
    model = TokenClassifier(load_encoder(student_path), len(label_map), projection_dim=0, dropout=config.dropout)
    if config.freeze_layers:
        freeze_bottom(model.encoder, config.freeze_layers)
    encoder = WordEncoder(tokenizer, config.max_length)
    examples = encoder.encode_all(sentences)
    for e, soft in zip(examples, combined, strict=True):
        e.soft = soft[: len(e.first)]
    write_json(out / CONFIG_FILE, {"command": "distill", **asdict(config), "student": student_path,
                                   "labels": list(label_map.labels)})
    settings = LoopSettings(config.epochs, config.batch_size, config.seed, config.grad_accum, config.clip,
                            config.precision, encoder.pad)
    objective = DistillObjective(config.loss, config.temperature, config.hard_label_weight)
    terms = ["loss", "distill", "hard"] if config.hard_label_weight > 0 else ["distill"]
    run_trainer(model=model, tokenizer=tokenizer, label_map=label_map, objective=objective, examples=examples,
                dev=dev, out=out, fp=fp, settings=settings, lr=config.lr, weight_decay=config.weight_decay,
                warmup=config.warmup, max_length=config.max_length, device=device, terms=terms,
                extra_hooks=extra_hooks or ())
    return out
