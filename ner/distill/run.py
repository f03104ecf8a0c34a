"""``distill(DistillConfig)``: teachers label unlabeled target text, a student learns their
probabilities (single- or multi-source, Wu et al. 2020; the last step of ConCNER).

Steps: check the teachers share one label set; read the unlabeled text (tags ignored); compute
each teacher's per-word probabilities once (cached in ``OUT/soft_labels/``); weigh the teachers
(uniform, explicit or language similarity) and combine their probabilities; train the student with
the same loop, hooks, log, plot, checkpoint and resume as ``ner train``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import torch

from augment.core import read_corpus
from augment.core.checkpoint import file_digest
from augment.core.errors import ConfigError
from augment.core.seed import set_seed
from augment.core.training import Hook, training_output
from ner.data import WordEncoder
from ner.distill.objective import DistillObjective
from ner.distill.soft_labels import teacher_digest, teacher_soft_labels
from ner.distill.weights import explicit_weights, similarity_weights, uniform_weights
from ner.labels import LabelMap
from ner.losses import combine_teachers
from ner.model import (
    TokenClassifier,
    freeze_bottom,
    load_encoder,
    load_tokenizer,
    resolve_device,
    usable_length,
)
from ner.options import DistillConfig
from ner.train import (
    CHECKPOINT_DIR,
    CONFIG_FILE,
    prepare_out,
    read_dev,
    run_fingerprint,
    run_trainer,
    write_json,
)

WEIGHTS_FILE = "distill_weights.json"
SOFT_DIR = "soft_labels"

__all__ = ["DistillConfig", "distill"]


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
    with training_output(out, resume_state=[CHECKPOINT_DIR, SOFT_DIR]):
        if not prepare_out(out, fp, config.overwrite):
            _distill(config, label_map, student_path, out, fp, extra_hooks or [])
    return out


def _distill(config: DistillConfig, label_map: LabelMap, student_path: str, out: Path, fp: str,
             extra_hooks: list[Hook]) -> None:
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
    encoder = WordEncoder(tokenizer, usable_length(model.encoder, config.max_length))
    examples = encoder.encode_all(sentences)
    for e, soft in zip(examples, combined, strict=True):
        e.soft = soft[: len(e.first)]
    write_json(out / CONFIG_FILE, {"command": "distill", **asdict(config), "student": student_path,
                                   "labels": list(label_map.labels)})
    objective = DistillObjective(config.loss, config.temperature, config.hard_label_weight)
    terms = ["loss", "distill", "hard"] if config.hard_label_weight > 0 else ["distill"]
    run_trainer(model=model, tokenizer=tokenizer, label_map=label_map, objective=objective, examples=examples,
                dev=dev, out=out, fp=fp, options=config, device=device, terms=terms, extra_hooks=extra_hooks)
