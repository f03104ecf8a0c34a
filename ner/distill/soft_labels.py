"""Teacher soft labels: per-word (first-subword) probabilities over the label set, cached on disk.

Computed once per teacher, batched by length under ``inference_mode``, in chunks of sentences;
each finished chunk is written atomically to ``DIR/chunk-NNNNN.safetensors`` (``probs`` = the
words' probabilities stacked, ``lengths`` = words per sentence), so a killed run keeps the
finished chunks and a rerun computes only the rest. ``DIR/meta.json`` is sealed resume state
(:func:`augment.core.training.seal`): a fingerprint of the teacher and the text (a different
teacher or text, or an edited meta, starts the cache over) and the SHA-256 of every finished
chunk. A chunk that fails that check on reuse (damaged, random bytes, wrong shape) is discarded
with a one-line warning and computed again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import torch

from augment.core import Sentence
from augment.core.checkpoint import file_digest, fingerprint
from augment.core.fileio import atomic_path, atomic_write
from augment.core.training import discard, read_sealed, seal
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
    from safetensors.torch import save_file

    cache = Path(cache_dir)
    key = fingerprint({"teacher": teacher_digest(model_dir), "text": text_digest, "n": len(sentences),
                       "max_length": max_length, "chunk": chunk})
    meta_path = cache / "meta.json"
    meta = read_sealed(meta_path)
    if meta is None or meta.get("fingerprint") != key or not isinstance(meta.get("files"), dict):
        discard(cache)
        cache.mkdir(parents=True)
        meta = {"fingerprint": key, "teacher": Path(model_dir).name, "files": {}}
        _write_meta(meta_path, meta)
    model = tokenizer = encoder = None
    out: list[torch.Tensor] = []
    for start in range(0, len(sentences), chunk):
        path = cache / f"chunk-{start // chunk:05d}.safetensors"
        data = _load_chunk(path, min(chunk, len(sentences) - start), meta["files"].get(path.name))
        if data is None:
            if model is None:
                model, tokenizer, _ = load_model(model_dir, device)
                encoder = WordEncoder(tokenizer, _max_length(model, max_length))
            examples = encoder.encode_all(sentences[start : start + chunk])
            probs = model_outputs(model, examples, batch_size, device, probs=True, pad_id=encoder.pad,
                                  desc=f"soft labels {Path(model_dir).name}")
            lengths = torch.tensor([len(p) for p in probs], dtype=torch.long)
            data = {"probs": torch.cat(probs).float().contiguous(), "lengths": lengths}
            with atomic_path(path) as tmp:
                save_file(data, str(tmp))
            meta["files"][path.name] = file_digest(path)
            _write_meta(meta_path, meta)
        out += list(torch.split(data["probs"], data["lengths"].tolist()))
    return out


def _write_meta(path: Path, meta: dict) -> None:
    with atomic_write(path) as fh:
        json.dump(seal(meta), fh)


def _load_chunk(path: Path, n_sentences: int, digest: str | None) -> dict[str, torch.Tensor] | None:
    """A finished chunk if it passes its check (the digest meta.json recorded when it was written;
    it loads; one length per sentence; lengths sum to the rows), else None: it is computed again,
    after a one-line warning when the chunk was recorded as finished (not merely cut off by a kill)."""
    from safetensors.torch import load_file

    from augment.core.state import warn

    if digest is None or not path.is_file() or path.is_symlink():
        discard(path)
        return None
    try:
        ok = file_digest(path) == digest
        data = load_file(str(path)) if ok else {}
        probs, lengths = data.get("probs"), data.get("lengths")
        ok = ok and (lengths.dim() == 1 and len(lengths) == n_sentences and probs.dim() == 2
                     and int(lengths.sum()) == probs.shape[0] and bool(torch.isfinite(probs).all()))
    except Exception:  # noqa: BLE001 - a damaged file raises whatever its reader raises
        ok = False
    if ok:
        return data
    warn(f"{path}: soft-label chunk fails its check (damaged); discarded, it is computed again")
    path.unlink(missing_ok=True)
    return None
