"""The options of ``ner train`` / the pipeline ``train`` stage (``TrainConfig``) and ``ner distill`` /
``distill`` (``DistillConfig``), which share the training-loop options (``LoopOptions``).

The click options, the pipeline settings and the tables in docs/ner.md and docs/pipelines.md
are generated from these fields (:mod:`augment.core.options`).
"""

from __future__ import annotations

from dataclasses import dataclass

from augment.core.errors import ConfigError
from augment.core.options import opt

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
DISTILL_LOSSES = ("mse", "kl")  # as ner.distill.objective.LOSSES (which needs torch)


@dataclass
class LoopOptions:
    """How a training run runs (optimiser, batching, model size, seed, device): shared by
    ``ner train``, ``ner distill`` and their pipeline stages."""

    epochs: int = opt(3, "Training epochs.")
    lr: float = opt(5e-5, "Peak AdamW learning rate.")
    weight_decay: float = opt(0.01, "AdamW weight decay (not on biases and LayerNorm weights).")
    warmup: float = opt(0.1, "Fraction of steps of linear warmup.")
    batch_size: int = opt(16, "Sentences per batch (a translation pair counts as two).")
    grad_accum: int = opt(1, "Batches per optimizer step.")
    clip: float = opt(1.0, "Gradient-norm clipping (0 = off).")
    max_length: int = opt(128, "Subwords per sentence; words beyond it are not trained on.")
    dropout: float = opt(0.1, "Dropout before the classifier.")
    freeze_layers: int = opt(0, "Freeze the embeddings and this many bottom encoder layers.")
    repair_tags: bool = opt(False, "Repair invalid IOB sequences (I-X opening an entity) when reading.")
    seed: int = opt(42, "Random seed (in a pipeline usually ${seed}).")
    device: str = opt("auto", "auto, cpu or cuda.")
    precision: str = opt("auto", "auto: bf16 autocast where the CPU or GPU runs it natively (AVX-512 BF16, AMX, "
                                 "CUDA; augment/core/training/precision.py), else fp32; or fp32, bf16, fp16 (CUDA, with loss scaling).",
                         choices=PRECISIONS, flags={"--bf16": "bf16", "--fp16": "fp16", "--fp32": "fp32"})

    def loop_checks(self) -> list[tuple[bool, str]]:
        return [
            (self.epochs >= 1, "--epochs must be >= 1"),
            (self.lr > 0, "--lr must be > 0"),
            (self.batch_size >= 1, "--batch-size must be >= 1"),
            (self.grad_accum >= 1, "--grad-accum must be >= 1"),
            (self.max_length >= 8, "--max-length must be >= 8"),
            (self.precision in PRECISIONS, f"precision must be one of {', '.join(PRECISIONS)}"),
            (0 <= self.warmup < 1, "--warmup must be in [0, 1)"),
        ]


@dataclass
class _TrainSpec:
    """What ``ner train`` learns from and how (listed before the loop options)."""

    train: list[str] = opt([], "Tagged source-language corpus (CoNLL, JSONL, Parquet, hf:...). Repeatable.",
                           metavar="FILE", cli_only=True)
    augmented: list[str] = opt([], "Projection output (JSONL): target sentences with their source in 'src'. "
                                   "Each (source, target) pair is a positive pair of the translation loss. "
                                   "Repeatable.", metavar="FILE", cli_only=True)
    dev: str | None = opt(None, "Tagged dev file, scored each epoch; the best model is kept.", metavar="FILE",
                          cli_only=True)
    out: str = opt("", "Output directory (model, logs, plot, checkpoint).", metavar="DIR", required=True,
                   cli_only=True)
    model: str = opt("bert-base-multilingual-cased", "Encoder: hub name or local path.", metavar="NAME_OR_PATH")
    lambda_label: float = opt(0.5, "Weight of the label-contrastive (SupCon) loss; 0 turns it off.")
    lambda_translation: float = opt(0.5, "Weight of the translation-contrastive (InfoNCE) loss; 0 turns it off.")
    temperature: float = opt(0.1, "Temperature of both contrastive losses.")
    o_keep: float = opt(0.2, "Fraction of O tokens kept in the label-contrastive loss (O dominates).")
    projection_dim: int = opt(128, "Output size of the projection head for the label loss (0: use hidden states).")
    overwrite: bool = opt(False, "Discard a run with other settings already in --out.", cli_only=True)


@dataclass
class TrainConfig(LoopOptions, _TrainSpec):
    """Options of ``ner train`` and the pipeline ``train`` stage (each documented in docs/ner.md):
    its own fields, then the shared loop options; the input files, ``out`` and ``overwrite`` are
    pipeline inputs, not settings."""

    def validate(self) -> None:
        checks = [
            *self.loop_checks(),
            (self.lambda_label >= 0 and self.lambda_translation >= 0, "loss weights must be >= 0"),
            (self.temperature > 0, "--temperature must be > 0"),
            (0 < self.o_keep <= 1, "--o-keep must be in (0, 1]"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)
        if not self.out:
            raise ConfigError("give --out DIR")
        if not self.train and not self.augmented:
            raise ConfigError("nothing to train on: give --train and/or --augmented")


@dataclass
class _DistillSpec:
    """What ``ner distill`` learns from and how (listed before the loop options)."""

    teachers: list[str] = opt([], "A trained NER model (from ner train). Repeat for multi-source distillation.",
                              cli="--teacher", metavar="DIR", required=True, cli_only=True)
    unlabeled: str = opt("", "Target-language text: plain text (one sentence per line) or any corpus (tags ignored).",
                         metavar="FILE", required=True, cli_only=True)
    out: str = opt("", "Output directory of the student.", metavar="DIR", required=True, cli_only=True)
    student: str | None = opt(None, "Encoder the student starts from (default: the first teacher's encoder, "
                                    "new head).", metavar="NAME_OR_PATH")
    weights: str = opt("uniform", "Teacher weights: uniform, similarity (Wu et al. 2020 language similarity) "
                                  "or w1,w2,...")
    source_text: list[str] = opt([], "For --weights similarity: text in each teacher's source language, in "
                                     "--teacher order (default: each teacher's first --train file).",
                                 metavar="FILE", cli_only=True)
    similarity_temperature: float = opt(1.0, "Temperature of the language-ID softmax for similarity weights.")
    loss: str = opt("mse", "mse between probabilities (Wu et al.) or KL with --temperature.", choices=DISTILL_LOSSES)
    temperature: float = opt(1.0, "KL temperature.")
    hard_label_weight: float = opt(0.0, "Add this times CE on the teachers' argmax labels.")
    dev: str | None = opt(None, "Tagged target-language dev file (best epoch kept).", metavar="FILE", cli_only=True)
    overwrite: bool = opt(False, "Discard a run with other settings already in --out.", cli_only=True)


@dataclass
class DistillConfig(LoopOptions, _DistillSpec):
    """Options of ``ner distill`` and the pipeline ``distill`` stage (documented in docs/ner.md):
    its own fields, then the training-loop options shared with ``ner train``."""

    freeze_layers: int = opt(0, "Freeze the student's embeddings and this many bottom layers (Wu et al.: 3).")
    repair_tags: bool = opt(False, "Repair invalid IOB sequences in --dev.")

    def validate(self) -> None:
        if not self.teachers:
            raise ConfigError("give at least one --teacher")
        if self.loss not in DISTILL_LOSSES:
            raise ConfigError(f"--loss must be one of {', '.join(DISTILL_LOSSES)}")
        checks = [*self.loop_checks(), (self.temperature > 0, "--temperature must be > 0"),
                  (self.hard_label_weight >= 0, "--hard-label-weight must be >= 0")]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)
        if self.source_text and len(self.source_text) != len(self.teachers):
            raise ConfigError(f"{len(self.source_text)} --source-text files for {len(self.teachers)} teachers")


@dataclass
class PredictOptions:
    """Options of ``ner predict`` and the pipeline ``predict`` stage."""

    batch_size: int = opt(32, "Sentences per batch.")
    max_length: int = opt(512, "Subwords per sentence; words beyond it are tagged O.")
    device: str = opt("auto", "auto, cpu or cuda.")
    limit: int | None = opt(None, "Tag only the first N sentences.")
    save_probs: bool = opt(False, "Keep each word's label probabilities (JSONL output) for "
                                  "`ner ensemble --method probs`.")

    def library_kwargs(self) -> dict:
        """The keyword arguments of :func:`ner.predict.predict`."""
        return {"batch_size": self.batch_size, "max_length": self.max_length, "device": self.device,
                "save_probs": self.save_probs}


@dataclass
class EvaluateOptions:
    """Options of ``ner evaluate`` and the pipeline ``evaluate`` stage."""

    types: list[str] | None = opt(None, "Score only these entity types (others are ignored on both sides), "
                                        "e.g. PER,ORG,LOC.", split=",", metavar="T1,T2",
                                  pipeline_help="Score only these entity types (others are ignored on both sides), "
                                                "e.g. [PER, ORG, LOC].")
    map: dict[str, str] | None = opt(None, "Rename an entity type on both sides before scoring (NEW=O drops it). "
                                           "Repeatable.", cli="--map-type", metavar="OLD=NEW")
    batch_size: int = opt(32, "Sentences per batch.")
    device: str = opt("auto", "auto, cpu or cuda.")
    limit: int | None = opt(None, "Score only the first N sentences (smoke runs).")
    lang: str | None = opt(None, "Language of the data, for the results table (default: grid tgt).",
                           pipeline_only=True)

    def library_kwargs(self) -> dict:
        """The keyword arguments of :func:`ner.evaluate.evaluate_model` (a type mapped to O is dropped)."""
        mapping = {k: (None if v in (None, "O") else v) for k, v in (self.map or {}).items()}
        return {"types": self.types or None, "mapping": mapping or None, "batch_size": self.batch_size,
                "device": self.device}


@dataclass
class MlmOptions:
    """Options of the pipeline ``mlm`` stage (masked-LM pretraining, :func:`ner.mlm.pretrain_mlm`)."""

    model: str | None = opt(None, "Encoder hub name or path when no model input is given.")
    max_sentences: int | None = opt(None, "Read at most this many sentences of each file.")
    epochs: int = opt(1, "Passes over the text.")
    batch_size: int = opt(32, "Sentences per batch.")
    max_length: int = opt(64, "Subwords per sentence.")
    lr: float = opt(5e-4, "Peak learning rate.")
    mask_prob: float = opt(0.15, "Fraction of masked subwords.")
    seed: int = opt(0, "Random seed.")

    def library_kwargs(self) -> dict:
        """The keyword arguments of :func:`ner.mlm.pretrain_mlm`."""
        return {"epochs": self.epochs, "batch_size": self.batch_size, "max_length": self.max_length,
                "lr": self.lr, "mask_prob": self.mask_prob, "seed": self.seed}
