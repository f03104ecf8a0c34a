"""``train_model(TrainConfig)``: read the data, build the model, run the trainer with its hooks.

Output directory (see docs/formats.md, "NER model directory"): the best model (encoder
safetensors + tokenizer + ``ner_head.safetensors`` + ``labels.json``), ``train_config.json``,
``metrics.jsonl``, ``metrics.png``, ``summary.json`` when finished, and ``checkpoint/`` while a
run is unfinished. Rerunning the same command after a kill continues from the last finished
epoch and ends with the same metrics as an uninterrupted run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from augment.core import Sentence, read_corpus
from augment.core.checkpoint import file_digest, fingerprint
from augment.core.errors import ConfigError
from augment.core.fileio import atomic_write
from augment.core.hub import preflight
from augment.core.seed import set_seed
from augment.core.state import ensure_dir
from augment.core.tags import label_types
from augment.core.training import (
    Checkpoint,
    EpochSummary,
    Hook,
    LoopSettings,
    Progress,
    Trainer,
    discard,
    linear_schedule,
    make_optimizer,
    total_steps,
    training_output,
)
from ner.concner import ConCNERObjective
from ner.data import Example, ExampleBatches, WordEncoder
from ner.hooks import METRICS_FILE, PLOT_FILE, BestModel, Evaluator, MetricsLog, Plot
from ner.labels import LabelMap, check_types
from ner.model import (
    TokenClassifier,
    freeze_bottom,
    load_encoder,
    load_tokenizer,
    resolve_device,
    usable_length,
)
from ner.options import PRECISIONS, LoopOptions, TrainConfig
from ner.pairs import read_augmented

__all__ = ["PRECISIONS", "LoopOptions", "TrainConfig", "train_model"]

CONFIG_FILE = "train_config.json"
SUMMARY_FILE = "summary.json"
CHECKPOINT_DIR = "checkpoint"


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
    if overwrite:  # whatever is there, damaged or a symlink, goes (a link's target is left alone)
        for name in (CHECKPOINT_DIR, SUMMARY_FILE, METRICS_FILE, PLOT_FILE):
            discard(out / name)
    ensure_dir(out)  # a file at --out is one line, not a traceback
    return False


def write_json(path: Path, data: dict) -> None:
    with atomic_write(path) as fh:
        json.dump(data, fh, indent=1, ensure_ascii=False, default=str)
        fh.write("\n")


def run_trainer(*, model: TokenClassifier, tokenizer, label_map: LabelMap, objective, examples: Sequence[Example],
                dev: Sequence[Sentence] | None, out: Path, fp: str, options: LoopOptions, device,
                terms: Sequence[str], extra_hooks: Sequence[Hook] = ()) -> dict:
    """The shared tail of ``ner train`` and ``ner distill``: optimizer, hooks, resume, fit, summary
    (the loop's settings are the shared :class:`ner.options.LoopOptions`)."""
    model.to(device)
    encoder = WordEncoder(tokenizer, usable_length(model.encoder, options.max_length))
    plan = ExampleBatches(examples, options.batch_size, options.seed, encoder.pad)
    settings = LoopSettings(options.epochs, options.seed, options.grad_accum, options.clip, options.precision)
    optimizer = make_optimizer(model, options.lr, options.weight_decay)
    scheduler = linear_schedule(optimizer, total_steps(plan, settings), options.warmup)
    trainer = Trainer(model, objective, optimizer, scheduler, plan, settings, device)
    hooks: list[Hook] = [Progress()]
    if dev:
        dev_examples = encoder.encode_all(dev)
        hooks.append(Evaluator(dev_examples, [s.tags for s in dev], label_map, options.batch_size * 2,
                               pad_id=encoder.pad))
    log = MetricsLog(out)
    checkpoint = Checkpoint(out / CHECKPOINT_DIR, fp)
    hooks += [BestModel(out, tokenizer, label_map), EpochSummary(), log, Plot(out, log, terms), checkpoint,
              *extra_hooks]
    trainer.hooks = hooks
    checkpoint.resume(trainer, f"{out} holds an unfinished run with other settings; rerun that command, "
                               "use another --out, or pass --overwrite")
    trainer.fit()
    best = trainer.state.get("best", {})
    summary = {"finished": True, "fingerprint": fp, "epochs": settings.epochs, "best_epoch": best.get("epoch"),
               "best_dev_f1": best.get("score"), "last": log.records[-1] if log.records else None}
    write_json(out / SUMMARY_FILE, summary)
    discard(out / CHECKPOINT_DIR)
    return summary


def build_model(name_or_path: str, label_map: LabelMap, projection_dim: int, options: LoopOptions
                ) -> tuple[TokenClassifier, Any, WordEncoder]:
    """``(model, tokenizer, word encoder)``: the encoder with a new head, seeded by ``options.seed``
    (the head's initialisation), its bottom layers frozen as ``options.freeze_layers`` says."""
    tokenizer = load_tokenizer(name_or_path)
    set_seed(options.seed)
    model = TokenClassifier(load_encoder(name_or_path), len(label_map), projection_dim, options.dropout)
    if options.freeze_layers:
        freeze_bottom(model.encoder, options.freeze_layers)
    return model, tokenizer, WordEncoder(tokenizer, usable_length(model.encoder, options.max_length))


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
    """Train (or resume, or skip when already finished) and return the output directory.

    The output is locked while training runs; a run that fails before its first checkpoint leaves
    no half-written output behind (:func:`augment.core.training.training_output`)."""
    config.validate()
    out = Path(config.out)
    fp = run_fingerprint(config, [*config.train, *config.augmented, config.dev])
    with training_output(out, resume_state=[CHECKPOINT_DIR]):
        if not prepare_out(out, fp, config.overwrite):
            _train(config, out, fp, extra_hooks)
    return out


def _train(config: TrainConfig, out: Path, fp: str, extra_hooks: Sequence[Hook]) -> None:
    preflight(config.model, "encoder")  # an unreachable hub model fails before the data is read
    device = resolve_device(config.device)
    sentences, groups = read_train_data(config)
    label_map = LabelMap.from_tags(s.tags for s in sentences)
    if len(label_map) == 1:
        raise ConfigError("the training data has no entities")
    dev = read_dev(config.dev, config.repair_tags, label_map)
    model, tokenizer, encoder = build_model(config.model, label_map, config.projection_dim, config)
    examples = encoder.encode_all(sentences, label_map, groups)
    write_json(out / CONFIG_FILE, {"command": "train", **asdict(config), "labels": list(label_map.labels)})
    objective = ConCNERObjective(config.lambda_label, config.lambda_translation, config.temperature, config.o_keep)
    terms = ["ce"] + (["label"] if config.lambda_label > 0 else []) + (
        ["translation"] if config.lambda_translation > 0 else [])
    terms = ["loss", *terms] if len(terms) > 1 else terms
    run_trainer(model=model, tokenizer=tokenizer, label_map=label_map, objective=objective, examples=examples,
                dev=dev, out=out, fp=fp, options=config, device=device, terms=terms, extra_hooks=extra_hooks)


def env_threads() -> None:
    """torch's CPU threads (intra- and inter-op) to the cores this process is given: ``XNER_THREADS``,
    else its CPUs and cgroup quota (CLI and benchmarks only, never at import)."""
    from augment.core.process import cpu_budget, set_torch_threads

    set_torch_threads(cpu_budget())
