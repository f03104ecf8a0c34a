"""Teacher soft labels: per-word (first-subword) probabilities over the label set, cached on disk.

Computed once per teacher, batched by length under ``inference_mode``, in chunks of sentences;
each finished chunk is written atomically to ``DIR/chunk-NNNNN.safetensors`` (``probs`` = the
words' probabilities stacked, ``lengths`` = words per sentence), so a killed run keeps the
finished chunks and a rerun computes only the rest. ``DIR/meta.json`` holds a fingerprint of the
teacher and the text; a different teacher or text starts the cache over.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import torch

from augment.core import Sentence
from augment.core.checkpoint import file_digest, fingerprint
from augment.core.fileio import atomic_path, atomic_write
from ner.data import WordEncoder
from ner.model import load_model
from ner.predict import _max_length, model_outputs


def teacher_digest(model_dir: str | os.PathLike) -> str:
    """Hash of a model directory's weights and label map (not its logs)."""
    path = Path(model_dir)
    names = ("model.safetensors", "ner_head.safetensors", "labels.json")
    return fingerprint([file_digest(path / n) if (path / n).exists() else None for n in names])


def teacher_soft_labels(model_dir: str | os.PathLike, sentences: Sequence[Sentence], cache_dir: str | os.PathLike,
                        *, batch_size: int = 32, chunk: int = 512, max_length: int = 512,
                        device: torch.device | str = "cpu", text_digest: str = "") -> list[torch.Tensor]:
    """Per sentence, a ``[n_kept_words, C]`` float tensor of the teacher's probabilities.

    ``n_kept_words`` is smaller than the sentence when the teacher's ``max_length`` cuts it."""
    from safetensors.torch import load_file, save_file

    cache = Path(cache_dir)
    key = fingerprint({"teacher": teacher_digest(model_dir), "text": text_digest, "n": len(sentences),
                       "max_length": max_length, "chunk": chunk})
    meta = cache / "meta.json"
    if not (meta.is_file() and json.loads(meta.read_text("utf-8")).get("fingerprint") == key):
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True)
        with atomic_write(meta) as fh:
            json.dump({"fingerprint": key, "teacher": str(model_dir)}, fh)
    model = tokenizer = encoder = None
    out: list[torch.Tensor] = []
    for start in range(0, len(sentences), chunk):
        path = cache / f"chunk-{start // chunk:05d}.safetensors"
        if not path.is_file():
            if model is None:
                model, tokenizer, _ = load_model(model_dir, device)
                encoder = WordEncoder(tokenizer, _max_length(model, max_length))
            examples = encoder.encode_all(sentences[start : start + chunk])
            probs = model_outputs(model, examples, batch_size, device, probs=True, pad_id=encoder.pad,
                                  desc=f"soft labels {Path(model_dir).name}")
            lengths = torch.tensor([len(p) for p in probs], dtype=torch.long)
            with atomic_path(path) as tmp:
                save_file({"probs": torch.cat(probs).float().contiguous(), "lengths": lengths}, str(tmp))
        data = load_file(str(path))
        out += list(torch.split(data["probs"], data["lengths"].tolist()))
    return out
