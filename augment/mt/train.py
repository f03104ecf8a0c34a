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
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from augment.core.errors import ConfigError
from augment.core.options import device_option, opt
from augment.mt.data import MTPair, split_dev
from augment.mt.sources import gather_pairs
from augment.translate import markers as mk
from augment.translate.options import num_beams_option

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
    dropout: float = opt(0.1, "--scratch: dropout (residual and embeddings; attention dropout 0).")
    markers: str | None = opt(None, "JSONL of records with source and target tags (e.g. project-labels output), "
                                    "matched to the pairs by id: those pairs get entity markers on both sides.",
                              metavar="SPANS")
    tagged_src: list[str] = opt([], "Tagged corpus whose sentence i translates sentence i of the matching "
                                    "--tagged-tgt (e.g. CoNLL-2003 English); repeatable. Both sides get markers "
                                    "from their own tags.", metavar="CORPUS")
    tagged_tgt: list[str] = opt([], "Tagged translation of the matching --tagged-src (e.g. a real MT model's "
                                    "output with projected labels); repeatable.", metavar="CORPUS")
    marker_types: list[str] = opt(["PER", "ORG", "LOC"], "Entity types marked in tagged pairs (a pair is marked "
                                  "when both sides hold as many of each).", split=",", metavar="TYPES")
    exclude: list[str] = opt([], "Protected text (test sets; corpus or pair files): training pairs sharing a "
                                 "sentence or a word 8-gram with it are dropped; repeatable.", metavar="FILE")
    swap: bool = opt(False, "Train the reverse direction: each pair's target side is the source (yo -> en "
                            "from en-yo files; markers stay on both sides).")
    open_marker: str = opt(mk.DEFAULT_OPEN, "String that opens an entity.")
    close_marker: str = opt(mk.DEFAULT_CLOSE, "String that closes an entity.")
    format: str | None = opt(None, "Pair file format (default: sniffed).", choices=["jsonl", "text", "tsv"])
    epochs: int = opt(3, "Passes over the training pairs.")
    max_steps: int = opt(0, "Stop after this many optimizer steps (0: no limit).")
    batch_size: int = opt(32, "Pairs per step (without --batch-tokens).")
    batch_tokens: int = opt(0, "Subwords per step instead of --batch-size pairs: pairs of similar length up to this "
                               "budget (padded, the longer side; e.g. 4000). 0: --batch-size pairs.")
    label_smoothing: float = opt(0.0, "Label smoothing of the cross-entropy (0.1 from scratch is usual).")
    lr: float = opt(0.0, "Peak learning rate (0: 5e-5 to fine-tune, 1e-3 from scratch).")
    schedule: str = opt("linear", "Learning-rate schedule after warmup: linear decay to 0 over the run, or "
                                  "inverse_sqrt (falls with 1/sqrt(step); no fixed length).",
                        choices=["linear", "inverse_sqrt"])
    warmup_ratio: float = opt(0.05, "Share of steps spent warming up.")
    warmup_steps: int = opt(0, "Warmup steps (wins over --warmup-ratio when > 0).")
    weight_decay: float = opt(0.01, "AdamW weight decay.")
    max_length: int = opt(128, "Subwords per side.")
    dev_size: int = opt(200, "Held-out pairs scored at the end (chrF, BLEU, marker survival).")
    eval_steps: int = opt(0, "Every N steps translate the held-out pairs and add a point to the learning curve "
                             "(dev chrF/BLEU, marker survival, CPU minutes; OUT/learning_curve.csv). 0: at the end only.")
    average: int = opt(1, "--eval-steps: average the weights of the last N points at the end (kept when that "
                          "scores better on the held-out pairs than the last weights). 1: no averaging.")
    patience: int = opt(0, "--eval-steps: stop when N points in a row bring no better dev chrF (0: never).")
    save_steps: int = opt(0, "Checkpoint every N steps (0: after every epoch).")
    precision: str = opt("auto", "auto: bf16 autocast where the CPU/GPU has native bf16.",
                         choices=["auto", "fp32", "bf16"])
    num_beams: int = num_beams_option("Beams when scoring.")
    device: str = device_option()
    seed: int = opt(0, "Random seed (data order, dropout, held-out split, initialisation).")
    overwrite: bool = opt(False, "Replace a run with other settings in OUT.", cli_only=True)

    def check(self) -> None:
        for name in ("epochs", "batch_size", "max_length", "num_beams", "vocab_size", "d_model", "layers", "heads",
                     "ffn_dim"):
            if getattr(self, name) < 1:
                raise ConfigError(f"--{name.replace('_', '-')} must be at least 1")
        for name in ("max_steps", "save_steps", "dev_size", "lr", "weight_decay", "batch_tokens", "warmup_steps",
                     "eval_steps", "patience"):
            if getattr(self, name) < 0:
                raise ConfigError(f"--{name.replace('_', '-')} must not be negative")
        if not 0 <= self.warmup_ratio < 1:
            raise ConfigError("--warmup-ratio must be in [0, 1)")
        if not 0 <= self.label_smoothing < 1 or not 0 <= self.dropout < 1:
            raise ConfigError("--label-smoothing and --dropout must be in [0, 1)")
        if self.average < 1:
            raise ConfigError("--average must be at least 1")
        if self.schedule == "inverse_sqrt" and not (self.warmup_steps or self.warmup_ratio):
            raise ConfigError("--schedule inverse_sqrt needs a warmup (--warmup-steps or --warmup-ratio)")
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


def length_independent(o: TrainMTOptions) -> bool:
    """True when no step of the run depends on how long it is: inverse_sqrt with a fixed number
    of warmup steps (the batch order is a function of seed and epoch, dropout of seed and step), so
    a checkpoint serves a run with other ``max_steps``/``epochs`` (stop early, or train on)."""
    return o.schedule == "inverse_sqrt" and o.warmup_steps > 0


def _fingerprint(pairs_paths: list[str], o: TrainMTOptions, *, length: bool = True) -> str:
    """The run's identity: data digests and the options that change the weights. ``length=False``
    leaves out ``max_steps`` and ``epochs`` (the resume checkpoint's identity when
    :func:`length_independent`)."""
    from augment.core.checkpoint import file_digest, fingerprint
    from augment.translate.models import model_identity

    skip = ("overwrite", "device", "save_steps", "num_beams", "dev_size", "tagged_src", "tagged_tgt", "exclude",
            *(() if length else ("max_steps", "epochs")))
    opts = {k: v for k, v in asdict(o).items() if k not in skip}
    data = {"pairs": [file_digest(p) for p in pairs_paths], "markers": file_digest(o.markers) if o.markers else None,
            **{k: [file_digest(p) for p in getattr(o, k)] for k in ("tagged_src", "tagged_tgt", "exclude")}}
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
                                      ffn_dim=o.ffn_dim, max_length=o.max_length, init_std=0.02, seed=o.seed,
                                      dropout=o.dropout))
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


def train_mt(pairs_path: str | os.PathLike | Sequence[str | os.PathLike], out: str | os.PathLike,
             options: TrainMTOptions | None = None, *,
             on_step: Callable[[int, float], None] | None = None, show_progress: bool = True) -> dict[str, Any]:
    """Train on the pairs of ``pairs_path`` (one file or several; may be empty with tagged pairs)
    and save the model in ``out``; returns the summary that
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
    paths = [str(pairs_path)] if isinstance(pairs_path, (str, os.PathLike)) else [str(p) for p in pairs_path]
    fp = _fingerprint(paths, o)
    with training_output(out):
        done = _read_summary(out)
        if done is not None and done.get("fingerprint") == fp:
            return done
        if os.path.lexists(out):
            if not o.overwrite:
                raise ConfigError(f"{out} holds another run (other data or settings); use --overwrite to replace it")
            if out.is_symlink():  # replaced at the end; a link there would be written through
                out.unlink()
        return _train(paths, out, o, fp, on_step, show_progress)


def _train(paths: list[str], out: Path, o: TrainMTOptions, fp: str, on_step, show_progress: bool) -> dict[str, Any]:
    from augment.core.fileio import atomic_path
    from augment.core.hub import quietly
    from augment.core.seed import set_seed
    from augment.core.state import warn
    from augment.core.training import (
        Checkpoint,
        LoopSettings,
        ModelLoss,
        Trainer,
        discard,
        make_optimizer,
        resolve_precision,
        total_steps,
    )
    from augment.mt.batches import EncodedPairs, SentenceBatches, TokenBatches
    from augment.mt.curve import CURVE_FILE, DevCurve, write_curve
    from augment.mt.objective import SmoothedLoss, make_schedule
    from augment.mt.score import score_model

    ckpt = Path(str(out) + ".ckpt")
    curve: DevCurve | None = None

    @quietly  # no "Writing model shards" bar in a log at every checkpoint
    def save_model(trainer, folder: Path) -> None:
        trainer.model.save_pretrained(folder, safe_serialization=True)
        tok.save_pretrained(folder)
        if curve is not None:
            curve.save_snapshots(folder)

    # the checkpoint's identity leaves out the run's length when no step depends on it
    run_fp = _fingerprint(paths, o, length=False) if length_independent(o) else fp
    checkpoint = Checkpoint(ckpt, run_fp, every_steps=o.save_steps, state_file=STATE, save_model=save_model,
                            load_model=None)  # a resumed model is built from the checkpoint folder
    state = checkpoint.load()
    if state is not None and state.get("fingerprint") != run_fp:
        if not o.overwrite:
            raise ConfigError(f"{ckpt} holds another run (other data or settings); use --overwrite to replace it")
        discard(ckpt)
        state = None
    if state is not None and ((o.max_steps and state["step"] > o.max_steps) or state["epoch"] > o.epochs):
        warn(f"{ckpt}: the checkpoint is past this run's end (step {state['step']}, epoch {state['epoch']}); "
             "training starts over")
        discard(ckpt)
        state = None
    pairs, stats = gather_pairs(paths, format=o.format, markers=o.markers, tagged_src=o.tagged_src,
                                tagged_tgt=o.tagged_tgt, marker_types=o.marker_types, exclude=o.exclude,
                                swap=o.swap, open_marker=o.open_marker, close_marker=o.close_marker)
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
    encoded = EncodedPairs(tok, spec, train, o.max_length)
    plan = (TokenBatches(encoded, o.batch_tokens, o.seed) if o.batch_tokens
            else SentenceBatches(encoded, o.batch_size, o.seed))
    # every step reseeds from (seed, step): dropout replays on a mid-epoch resume
    settings = LoopSettings(epochs=o.epochs, seed=o.seed, clip=1.0, precision=precision, max_steps=o.max_steps,
                            reseed="step")
    optimizer = make_optimizer(model, o.lr or (1e-3 if o.scratch else 5e-5), o.weight_decay)
    scheduler = make_schedule(o.schedule, optimizer, total_steps(plan, settings), o.warmup_ratio, o.warmup_steps)
    hooks = _hooks(model, tok, on_step, show_progress)
    if o.eval_steps and dev:
        curve = DevCurve(tok, spec, dev, every=o.eval_steps, keep=o.average, patience=o.patience,
                         precision=precision, max_length=o.max_length, open_marker=o.open_marker,
                         close_marker=o.close_marker)
        hooks.append(curve)
    objective = SmoothedLoss(o.label_smoothing) if o.label_smoothing else ModelLoss()
    trainer = Trainer(model, objective, optimizer, scheduler, plan, settings, device, hooks=[*hooks, checkpoint])
    if state is not None:
        checkpoint.restore(trainer, state)
        if curve is not None and (ckpt / "snapshots").is_dir():
            curve.load_snapshots(ckpt)
    trainer.fit()
    final = curve.finish(trainer) if curve is not None else None

    summary: dict[str, Any] = {
        "fingerprint": fp, "options": asdict(o), "precision": precision, "steps": trainer.step,
        "epochs": trainer.state.get("epochs", []), "pairs": {"train": len(train), "dev": len(dev), **stats},
        "model": "scratch" if o.scratch else (o.model or "pair default"),
    }
    if curve is not None:
        points = trainer.state["curve"]["points"]
        summary.update(curve=points, final_weights=final, cpu_minutes=round(trainer.state["curve"]["cpu_seconds"] / 60, 2),
                       wall_minutes=round(trainer.state["curve"]["wall_seconds"] / 60, 2))
    with atomic_path(out) as tmp:
        tmp.mkdir()
        model.generation_config.max_length = o.max_length
        curve = None  # the model folder gets no snapshots
        save_model(trainer, tmp)
        if "curve" in summary:
            write_curve(summary["curve"], tmp / CURVE_FILE)
        if dev:
            summary["dev"] = score_model(str(tmp), dev, src=o.src, tgt=o.tgt, num_beams=o.num_beams,
                                         device=o.device, open_marker=o.open_marker, close_marker=o.close_marker,
                                         show_progress=show_progress)
        (tmp / STATE).write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    discard(ckpt)
    return summary
