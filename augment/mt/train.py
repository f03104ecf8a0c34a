"""``train_mt``: fine-tune (or train from scratch) a Marian / NLLB / M2M100 model on parallel text.

The project's one training loop (:mod:`augment.core.training`) rather than ``Seq2SeqTrainer``:
resuming gives bit-identical weights (every step reseeds from ``seed`` and the step number, the
batch order is a function of ``seed`` and the epoch, and the verified checkpoint holds weights,
tokenizer, optimizer and schedule), and the model stays loadable by CTranslate2 (its ``<pad>``
embedding row is kept at zero after every step). The batches come from a planner
(:mod:`augment.mt.batches`). Files: ``OUT`` (a ``save_pretrained`` model
directory with ``train_mt.json``: options, data counts, losses, held-out scores) written once at
the end; ``OUT.ckpt/`` (the resume checkpoint) beside it while training runs.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from augment.core.errors import ConfigError
from augment.core.options import opt
from augment.mt.data import MTPair, build_pairs, split_dev
from augment.translate import markers as mk

STATE = "train_mt.json"


@dataclass
class TrainMTOptions:
    """Options of ``augment train-mt`` (declared once: the click options, the pipeline settings and
    the docs tables are generated from them by :mod:`augment.core.options`)."""

    src: str = opt("en", "Source language (ISO 639-1 or 639-3).", required=True)
    tgt: str = opt("yo", "Target language (ISO 639-1 or 639-3).", required=True)
    model: str | None = opt(None, "Hub name or local path of a Marian/NLLB/M2M100 model to fine-tune "
                                  "(default: the pair's default); ignored with --scratch.")
    scratch: bool = opt(False, "Train a new Marian model from scratch (vocabulary from the pairs).")
    vocab_size: int = opt(8000, "--scratch: vocabulary size.")
    d_model: int = opt(256, "--scratch: hidden size.")
    layers: int = opt(3, "--scratch: layers per side.")
    heads: int = opt(4, "--scratch: attention heads.")
    ffn_dim: int = opt(1024, "--scratch: feed-forward size.")
    markers: str | None = opt(None, "JSONL of records with source and target tags (e.g. project-labels output), "
                                    "matched to the pairs by id: those pairs get entity markers on both sides.",
                              metavar="SPANS")
    open_marker: str = opt(mk.DEFAULT_OPEN, "String that opens an entity.")
    close_marker: str = opt(mk.DEFAULT_CLOSE, "String that closes an entity.")
    format: str | None = opt(None, "Pair file format (default: sniffed).", choices=["jsonl", "text", "tsv"])
    epochs: int = opt(3, "Passes over the training pairs.")
    max_steps: int = opt(0, "Stop after this many optimizer steps (0: no limit).")
    batch_size: int = opt(32, "Pairs per step.")
    lr: float = opt(0.0, "Peak learning rate (0: 5e-5 to fine-tune, 1e-3 from scratch).")
    warmup_ratio: float = opt(0.05, "Share of steps spent warming up, then linear decay.")
    weight_decay: float = opt(0.01, "AdamW weight decay.")
    max_length: int = opt(128, "Subwords per side.")
    dev_size: int = opt(200, "Held-out pairs scored at the end (chrF, BLEU, marker survival).")
    save_steps: int = opt(0, "Checkpoint every N steps (0: after every epoch).")
    precision: str = opt("auto", "auto: bf16 autocast where the CPU/GPU has native bf16.",
                         choices=["auto", "fp32", "bf16"])
    num_beams: int = opt(1, "Beams when scoring.")
    device: str = opt("auto", "auto, cpu or cuda.", choices=["auto", "cpu", "cuda"])
    seed: int = opt(0, "Random seed (data order, dropout, held-out split, initialisation).")
    overwrite: bool = opt(False, "Replace a run with other settings in OUT.", cli_only=True)

    def check(self) -> None:
        for name in ("epochs", "batch_size", "max_length", "num_beams", "vocab_size", "d_model", "layers", "heads",
                     "ffn_dim"):
            if getattr(self, name) < 1:
                raise ConfigError(f"--{name.replace('_', '-')} must be at least 1")
        for name in ("max_steps", "save_steps", "dev_size", "lr", "weight_decay"):
            if getattr(self, name) < 0:
                raise ConfigError(f"--{name.replace('_', '-')} must not be negative")
        if not 0 <= self.warmup_ratio < 1:
            raise ConfigError("--warmup-ratio must be in [0, 1)")
        if self.precision not in ("auto", "fp32", "bf16"):
            raise ConfigError("--precision must be auto, fp32 or bf16")
        if self.scratch and self.d_model % self.heads:
            raise ConfigError("--d-model must be a multiple of --heads")


def _device(name: str):
    import torch

    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device cuda given but no CUDA device is available")
    return torch.device(name)


def _fingerprint(pairs_path: str | os.PathLike, o: TrainMTOptions) -> str:
    from augment.core.checkpoint import file_digest, fingerprint
    from augment.translate.models import model_identity

    opts = {k: v for k, v in asdict(o).items() if k not in ("overwrite", "device", "save_steps", "num_beams",
                                                             "dev_size")}
    data = {"pairs": file_digest(pairs_path), "markers": file_digest(o.markers) if o.markers else None}
    model = None if o.scratch else model_identity(o.model) if o.model else o.model
    return fingerprint({"options": opts, "data": data, "model": model, "dev_size": o.dev_size})


def _zero_pad_row(model) -> None:
    import torch

    pad = model.config.pad_token_id
    with torch.no_grad():
        model.get_input_embeddings().weight[pad].zero_()


def _start_model(o: TrainMTOptions, train: list[MTPair], ckpt: Path, resume: bool, work: Path):
    """(model, tokenizer, spec): from the checkpoint, a new scratch model, or the given model."""
    from transformers import AutoModelForSeq2SeqLM

    from augment.core.hub import from_pretrained
    from augment.translate.models import resolve

    if resume:
        where = str(ckpt)
    elif o.scratch:
        from augment.translate.tiny_models import build_tiny_marian

        where = str(build_tiny_marian([p.src for p in train], [p.tgt for p in train], work / "init",
                                      vocab_size=o.vocab_size, d_model=o.d_model, layers=o.layers, heads=o.heads,
                                      ffn_dim=o.ffn_dim, max_length=o.max_length, init_std=0.02, seed=o.seed))
    else:
        where = o.model
    spec, tok = resolve(where, o.src, o.tgt)
    return from_pretrained(AutoModelForSeq2SeqLM, where, "model"), tok, spec




def _hooks(model, tok, on_step: Callable[[int, float], None] | None, show_progress: bool) -> list:
    """What MT training adds to the loop: the zero ``<pad>`` row (CTranslate2 needs it) after every
    step, the caller's ``on_step``, progress, and the per-epoch losses of the summary."""
    from augment.core.training import EpochSummary, Hook, Progress

    class ZeroPadRow(Hook):
        def on_step_end(self, trainer, terms):
            _zero_pad_row(model)

    class OnStep(Hook):
        def on_step_end(self, trainer, terms):
            if on_step is not None:
                on_step(trainer.step, terms["loss"])

    class EpochLosses(Hook):
        def on_epoch_end(self, trainer, record):
            trainer.state.setdefault("epochs", []).append(
                {"epoch": record["epoch"], "step": record["step"], "loss": round(record["loss"], 5)})

    return [ZeroPadRow(), Progress("train-mt epoch", bar=show_progress), OnStep(), EpochLosses(),
            EpochSummary("train-mt epoch")]


def _read_summary(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((path / STATE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def train_mt(pairs_path: str | os.PathLike, out: str | os.PathLike, options: TrainMTOptions | None = None, *,
             on_step: Callable[[int, float], None] | None = None, show_progress: bool = True) -> dict[str, Any]:
    """Train on the pairs of ``pairs_path`` and save the model in ``out``; returns the summary that
    is also written to ``out/train_mt.json`` (losses per epoch, held-out chrF/BLEU, marker survival).

    Rerunning after an interruption continues from the last checkpoint (verified first: a damaged
    one is discarded with a warning and the run starts over); rerunning a finished run returns its
    summary. ``on_step(step, loss)`` is called after every optimizer step. ``show_progress=False``
    draws no bar (a log still gets a progress line every 30 s and one line per epoch).
    """
    from augment.core.training import training_output

    o = options or TrainMTOptions()
    o.check()
    out = Path(out)
    fp = _fingerprint(pairs_path, o)
    with training_output(out):
        done = _read_summary(out)
        if done is not None and done.get("fingerprint") == fp:
            return done
        if os.path.lexists(out):
            if not o.overwrite:
                raise ConfigError(f"{out} holds another run (other data or settings); use --overwrite to replace it")
            if out.is_symlink():  # replaced at the end; a link there would be written through
                out.unlink()
        return _train(pairs_path, out, o, fp, on_step, show_progress)


def _train(pairs_path, out: Path, o: TrainMTOptions, fp: str, on_step, show_progress: bool) -> dict[str, Any]:
    from augment.core.fileio import atomic_path
    from augment.core.hub import quietly
    from augment.core.seed import set_seed
    from augment.core.training import (
        Checkpoint,
        LoopSettings,
        ModelLoss,
        Trainer,
        discard,
        linear_schedule,
        make_optimizer,
        resolve_precision,
        total_steps,
    )
    from augment.mt.batches import EncodedPairs, SentenceBatches
    from augment.mt.score import score_model

    ckpt = Path(str(out) + ".ckpt")

    @quietly  # no "Writing model shards" bar in a log at every checkpoint
    def save_model(trainer, folder: Path) -> None:
        trainer.model.save_pretrained(folder, safe_serialization=True)
        tok.save_pretrained(folder)

    checkpoint = Checkpoint(ckpt, fp, every_steps=o.save_steps, state_file=STATE, save_model=save_model,
                            load_model=None)  # a resumed model is built from the checkpoint folder
    state = checkpoint.load()
    if state is not None and state.get("fingerprint") != fp:
        if not o.overwrite:
            raise ConfigError(f"{ckpt} holds another run (other data or settings); use --overwrite to replace it")
        discard(ckpt)
        state = None
    pairs, stats = build_pairs(pairs_path, format=o.format, markers=o.markers, open_marker=o.open_marker,
                               close_marker=o.close_marker)
    train, dev = split_dev(pairs, o.dev_size, o.seed)
    if not train:
        raise ConfigError("no training pairs left after the held-out split")
    set_seed(o.seed)
    device = _device(o.device)
    precision = resolve_precision(o.precision, device)
    with tempfile.TemporaryDirectory() as work:
        model, tok, spec = _start_model(o, train, ckpt, state is not None, Path(work))
    # parameters that save_pretrained leaves out (Marian's sinusoidal positions) must not train,
    # or the saved model (and a resumed run) would differ from the one in memory
    ignored = set(getattr(model, "_keys_to_ignore_on_save", None) or ())
    for name, p in model.named_parameters():
        if name in ignored:
            p.requires_grad_(False)
    model.to(device)
    plan = SentenceBatches(EncodedPairs(tok, spec, train, o.max_length), o.batch_size, o.seed)
    # every step reseeds from (seed, step): dropout replays on a mid-epoch resume
    settings = LoopSettings(epochs=o.epochs, seed=o.seed, clip=1.0, precision=precision, max_steps=o.max_steps,
                            reseed="step")
    optimizer = make_optimizer(model, o.lr or (1e-3 if o.scratch else 5e-5), o.weight_decay)
    scheduler = linear_schedule(optimizer, total_steps(plan, settings), o.warmup_ratio)
    trainer = Trainer(model, ModelLoss(), optimizer, scheduler, plan, settings, device,
                      hooks=[*_hooks(model, tok, on_step, show_progress), checkpoint])
    if state is not None:
        checkpoint.restore(trainer, state)
    trainer.fit()

    summary: dict[str, Any] = {
        "fingerprint": fp, "options": asdict(o), "precision": precision, "steps": trainer.step,
        "epochs": trainer.state.get("epochs", []), "pairs": {"train": len(train), "dev": len(dev), **asdict(stats)},
        "model": "scratch" if o.scratch else (o.model or "pair default"),
    }
    with atomic_path(out) as tmp:
        tmp.mkdir()
        model.generation_config.max_length = o.max_length
        save_model(trainer, tmp)
        if dev:
            summary["dev"] = score_model(str(tmp), dev, src=o.src, tgt=o.tgt, num_beams=o.num_beams,
                                         device=o.device, open_marker=o.open_marker, close_marker=o.close_marker,
                                         show_progress=show_progress)
        (tmp / STATE).write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    discard(ckpt)
    return summary
