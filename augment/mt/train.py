"""``train_mt``: fine-tune (or train from scratch) a Marian / NLLB / M2M100 model on parallel text.

A short loop of our own rather than ``Seq2SeqTrainer``: resuming must give bit-identical weights
(every step reseeds from ``seed`` and the step number, the batch order is a function of ``seed``
and the epoch, and the checkpoint holds weights, optimizer and schedule), checkpoints must be
safetensors written atomically, and the model must stay loadable by CTranslate2 (its ``<pad>``
embedding row is kept at zero after every step). Files: ``OUT`` (a ``save_pretrained`` model
directory with ``train_mt.json``: options, data counts, losses, held-out scores) written once at
the end; ``OUT.ckpt/`` (the resume checkpoint) beside it while training runs.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from augment.core.errors import ConfigError
from augment.core.options import opt
from augment.mt.data import MTPair, split_dev
from augment.mt.sources import gather_pairs
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


def _fingerprint(pairs_paths: list[str], o: TrainMTOptions) -> str:
    from augment.core.checkpoint import file_digest, fingerprint
    from augment.translate.models import model_identity

    opts = {k: v for k, v in asdict(o).items() if k not in ("overwrite", "device", "save_steps", "num_beams",
                                                             "dev_size")}
    data = {"pairs": [file_digest(p) for p in pairs_paths], "markers": file_digest(o.markers) if o.markers else None,
            **{k: [file_digest(p) for p in getattr(o, k)] for k in ("tagged_src", "tagged_tgt", "exclude")}}
    model = None if o.scratch else model_identity(o.model) if o.model else o.model
    return fingerprint({"options": opts, "data": data, "model": model, "dev_size": o.dev_size})


def _zero_pad_row(model) -> None:
    import torch

    pad = model.config.pad_token_id
    with torch.no_grad():
        model.get_input_embeddings().weight[pad].zero_()


def _batches(lengths: list[int], batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    """Seeded batches of similar length: shuffle, sort within windows of 50 batches, shuffle batches."""
    import random

    rng = random.Random(seed * 1_000_003 + epoch)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch_size * 50
    batches = []
    for w in range(0, len(order), window):
        chunk = sorted(order[w:w + window], key=lambda i: lengths[i])
        batches += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


class _Encoded:
    """Token ids of both sides of every training pair, and the collate that pads a batch."""

    def __init__(self, tok, spec, pairs: list[MTPair], max_length: int):
        if spec.family == "nllb":
            tok.src_lang, tok.tgt_lang = spec.src_code, spec.tgt_code
        self.src = tok([spec.prefix + p.src for p in pairs], truncation=True, max_length=max_length)["input_ids"]
        self.tgt = tok(text_target=[p.tgt for p in pairs], truncation=True, max_length=max_length)["input_ids"]
        self.pad = tok.pad_token_id

    def collate(self, idx: list[int], device) -> dict[str, Any]:
        import torch

        def pad(rows: list[list[int]], value: int) -> torch.Tensor:
            width = max(len(r) for r in rows)
            return torch.tensor([r + [value] * (width - len(r)) for r in rows], dtype=torch.long)

        src = pad([self.src[i] for i in idx], self.pad)
        return {"input_ids": src.to(device), "attention_mask": (src != self.pad).long().to(device),
                "labels": pad([self.tgt[i] for i in idx], -100).to(device)}


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


def _save_checkpoint(ckpt: Path, model, tok, optimizer, scheduler, state: dict[str, Any]) -> None:
    import torch

    from augment.core.fileio import atomic_path

    with atomic_path(ckpt) as tmp:
        tmp.mkdir()
        model.save_pretrained(tmp, safe_serialization=True)
        tok.save_pretrained(tmp)
        torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, tmp / "optimizer.pt")
        (tmp / STATE).write_text(json.dumps(state, indent=1), encoding="utf-8")


def _read_state(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads((path / STATE).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def train_mt(pairs_path: str | os.PathLike | Sequence[str | os.PathLike], out: str | os.PathLike,
             options: TrainMTOptions | None = None, *,
             on_step: Callable[[int, float], None] | None = None, show_progress: bool = True) -> dict[str, Any]:
    """Train on the pairs of ``pairs_path`` (one file or several; may be empty with tagged pairs)
    and save the model in ``out``; returns the summary that
    is also written to ``out/train_mt.json`` (losses per epoch, held-out chrF/BLEU, marker survival).

    Rerunning after an interruption continues from the last checkpoint; rerunning a finished run
    returns its summary. ``on_step(step, loss)`` is called after every optimizer step.
    """
    import torch

    from augment.core.fileio import atomic_path
    from augment.core.progress import progress
    from augment.core.seed import set_seed
    from augment.mt.score import score_model
    from ner.precision import autocast, resolve_precision
    from ner.trainer import linear_schedule, make_optimizer

    o = options or TrainMTOptions()
    o.check()
    out, ckpt = Path(out), Path(str(out) + ".ckpt")
    paths = [str(pairs_path)] if isinstance(pairs_path, (str, os.PathLike)) else [str(p) for p in pairs_path]
    fp = _fingerprint(paths, o)
    done = _read_state(out)
    if done is not None and done.get("fingerprint") == fp:
        return done
    for where, state in ((out, done), (ckpt, _read_state(ckpt))):
        if where.exists() and not o.overwrite and (state is None or state.get("fingerprint") != fp):
            raise ConfigError(f"{where} holds another run (other data or settings); use --overwrite to replace it")
    if o.overwrite and ckpt.exists() and (_read_state(ckpt) or {}).get("fingerprint") != fp:
        shutil.rmtree(ckpt)

    pairs, stats = gather_pairs(paths, format=o.format, markers=o.markers, tagged_src=o.tagged_src,
                                tagged_tgt=o.tagged_tgt, marker_types=o.marker_types, exclude=o.exclude,
                                swap=o.swap, open_marker=o.open_marker, close_marker=o.close_marker)
    train, dev = split_dev(pairs, o.dev_size, o.seed)
    if not train:
        raise ConfigError("no training pairs left after the held-out split")
    set_seed(o.seed)
    device = _device(o.device)
    precision = resolve_precision(o.precision, device)
    state = _read_state(ckpt)
    resume = state is not None and state.get("fingerprint") == fp
    with tempfile.TemporaryDirectory() as work:
        model, tok, spec = _start_model(o, train, ckpt, resume, Path(work))
    # parameters that save_pretrained leaves out (Marian's sinusoidal positions) must not train,
    # or the saved model (and a resumed run) would differ from the one in memory
    ignored = set(getattr(model, "_keys_to_ignore_on_save", None) or ())
    for name, p in model.named_parameters():
        if name in ignored:
            p.requires_grad_(False)
    model.to(device)
    enc = _Encoded(tok, spec, train, o.max_length)
    n_batches = len(_batches([len(s) for s in enc.src], o.batch_size, o.seed, 1))
    total = n_batches * o.epochs if not o.max_steps else min(o.max_steps, n_batches * o.epochs)
    lr = o.lr or (1e-3 if o.scratch else 5e-5)
    optimizer = make_optimizer(model, lr, o.weight_decay)
    scheduler = linear_schedule(optimizer, total, o.warmup_ratio)
    if resume:
        saved = torch.load(ckpt / "optimizer.pt", weights_only=True, map_location=device)
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
    else:
        state = {"fingerprint": fp, "step": 0, "epoch": 0, "batch": 0, "sum": 0.0, "epochs": []}
    assert state is not None
    lengths = [len(s) for s in enc.src]
    params = [p for p in model.parameters() if p.requires_grad]

    def checkpoint() -> None:
        _save_checkpoint(ckpt, model, tok, optimizer, scheduler, state)

    stop = False
    while state["epoch"] < o.epochs and not stop:
        epoch = state["epoch"] + 1
        batches = _batches(lengths, o.batch_size, o.seed, epoch)
        model.train()
        bar = progress(total=len(batches), desc=f"train-mt epoch {epoch}/{o.epochs}", unit="batch",
                       initial=state["batch"]) if show_progress else None
        for b in range(state["batch"], len(batches)):
            torch.manual_seed(o.seed * 1_000_003 + state["step"])  # dropout replays on resume
            batch = enc.collate(batches[b], device)
            with autocast(device, precision):
                loss = model(**batch).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            _zero_pad_row(model)
            value = float(loss.detach())
            state["step"] += 1
            state["batch"] = b + 1
            state["sum"] += value
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{state['sum'] / state['batch']:.4f}")
            if on_step is not None:
                on_step(state["step"], value)
            if o.max_steps and state["step"] >= o.max_steps:
                stop = True
                break
            if o.save_steps and state["step"] % o.save_steps == 0 and b + 1 < len(batches):
                checkpoint()
        if bar is not None:
            bar.close()
        state["epochs"].append({"epoch": epoch, "step": state["step"], "loss": round(state["sum"] / max(state["batch"], 1), 5)})
        state.update(epoch=epoch, batch=0, sum=0.0)
        checkpoint()

    summary: dict[str, Any] = {
        "fingerprint": fp, "options": asdict(o), "precision": precision, "steps": state["step"],
        "epochs": state["epochs"], "pairs": {"train": len(train), "dev": len(dev), **stats},
        "model": "scratch" if o.scratch else (o.model or "pair default"),
    }
    with atomic_path(out) as tmp:
        tmp.mkdir()
        model.generation_config.max_length = o.max_length
        model.save_pretrained(tmp, safe_serialization=True)
        tok.save_pretrained(tmp)
        if dev:
            summary["dev"] = score_model(str(tmp), dev, src=o.src, tgt=o.tgt, num_beams=o.num_beams,
                                         device=o.device, open_marker=o.open_marker, close_marker=o.close_marker,
                                         show_progress=show_progress)
        (tmp / STATE).write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(ckpt, ignore_errors=True)
    return summary
