"""SimAlign (Jalili Sabet et al. 2020), batched: similarity of contextual subword embeddings.

Same semantics as the ``simalign`` package with ``token_type="bpe"``: the embeddings of layer
``layer`` (hidden state index, 0 = embeddings) for each subword, similarity ``(cos + 1) / 2``,
a matching on the subword similarity matrix, and a word pair linked when any of their subwords
are. Matchings:

- ``argmax``: links that are the best in their row and in their column (mutual best);
- ``itermax``: argmax, then up to one more round of mutual best among tokens still unaligned on
  one side (the package's ``iter_max``, ``alpha = 0.9``, two rounds);
- ``mwmf``: maximum-weight matching (each subword at most once) on the similarity matrix.

Unlike the package, sentences are embedded in length-sorted batches (each sentence once, under
``torch.inference_mode``, fp16 on GPU when present), the encoder layers above ``layer`` are never
run, and matching works on whole matrices.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from augment.core.alignment import Alignment
from augment.core.errors import ConfigError, ModelError
from augment.core.hub import from_pretrained, preflight

log = logging.getLogger(__name__)

MATCHINGS = ("argmax", "itermax", "mwmf")
DEFAULT_MODEL = "bert-base-multilingual-cased"


def mutual_argmax(sim: np.ndarray) -> np.ndarray:
    """Boolean matrix of entries that are the maximum of both their row and their column."""
    m, n = sim.shape
    out = np.zeros((m, n), dtype=bool)
    if m == 0 or n == 0:
        return out
    fwd = sim.argmax(axis=1)
    bwd = sim.argmax(axis=0)
    rows = np.arange(m)
    mutual = bwd[fwd] == rows
    out[rows[mutual], fwd[mutual]] = True
    return out


def itermax(sim: np.ndarray, max_count: int = 2, alpha: float = 0.9) -> np.ndarray:
    """The package's ``iter_max``: argmax links, then mutual best among partly unaligned pairs."""
    m, n = sim.shape
    inter = mutual_argmax(sim).astype(float)
    if min(m, n) <= 2:
        return inter > 0
    count = 1
    while count < max_count:
        mask_x = np.repeat(1.0 - inter.sum(1, keepdims=True).clip(0.0, 1.0), n, axis=1)
        mask_y = np.repeat(1.0 - inter.sum(0, keepdims=True).clip(0.0, 1.0), m, axis=0)
        mask = (alpha * mask_x + alpha * mask_y).clip(0.0, 1.0)
        mask_zeros = 1.0 - (1.0 - mask_x) * (1.0 - mask_y)
        if mask_x.sum() < 1.0 or mask_y.sum() < 1.0:
            mask *= 0.0
            mask_zeros *= 0.0
        new_sim = sim * mask
        fwd = np.eye(n)[new_sim.argmax(axis=1)] * mask_zeros
        bac = np.eye(m)[new_sim.argmax(axis=0)].T * mask_zeros
        new_inter = fwd * bac
        if np.array_equal(inter + new_inter, inter):
            break
        inter = inter + new_inter
        count += 1
    return inter > 0


def max_weight_matching(sim: np.ndarray) -> np.ndarray:
    """Maximum-weight matching of a complete bipartite graph with non-negative weights.

    All weights are ≥ 0, so a maximum-cardinality maximum-weight matching (the package's
    networkx call) is an optimal assignment of ``min(m, n)`` pairs.
    """
    from scipy.optimize import linear_sum_assignment

    out = np.zeros(sim.shape, dtype=bool)
    if sim.size:
        rows, cols = linear_sum_assignment(sim, maximize=True)
        out[rows, cols] = True
    return out


MATCHERS = {"argmax": mutual_argmax, "itermax": itermax, "mwmf": max_weight_matching}


def encoder_max_length(config: Any, tokenizer: Any = None) -> int | None:
    """Subwords (special tokens included) an encoder takes: its positions, less RoBERTa's padding
    offset, and no more than the tokenizer's own limit when it sets a sane one."""
    limits = []
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        offset = 2 if getattr(config, "model_type", "") in ("roberta", "xlm-roberta", "camembert") else 0
        limits.append(positions - offset)
    tok_limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(tok_limit, int) and 0 < tok_limit < 1_000_000:
        limits.append(tok_limit)
    return min(limits) if limits else None


class SimAligner:
    """Batched SimAlign with a Hugging Face encoder given by name or local path."""

    name = "simalign"
    #: ``align.api.AlignOptions`` fields it takes (constructor keyword -> field; records name the first).
    SETTINGS = {"matching": "matching", "model": "model", "layer": "layer", "batch_size": "batch_size",
                "device": "device"}
    WHOLE_CORPUS = False  #: aligns each pair on its own (resumable in batches, shardable)

    def __init__(self, model: str = DEFAULT_MODEL, matching: str = "itermax", layer: int = 8,
                 batch_size: int = 32, device: str | None = None, distortion: float = 0.0,
                 seed: int | None = None):
        if matching not in MATCHERS:
            raise ConfigError(f"unknown matching {matching!r}; choose from {', '.join(MATCHINGS)}")
        self.model_name = model
        self.matching = matching
        self.layer = layer
        self.batch_size = batch_size
        self.distortion = distortion
        self.seed = seed
        self._device = None if device == "auto" else device  # auto: cuda when there is one
        self._model = None
        self._tokenizer = None
        self._max_length: int | None = None
        #: sentences of the last :meth:`align` call longer than the encoder's positions, and their
        #: words beyond it (which get no links)
        self.cut = {"sentences": 0, "words": 0}

    def info(self) -> dict[str, Any]:
        return {"method": "simalign", "model": self.model_name, "matching": self.matching, "layer": self.layer}

    def _load(self) -> None:
        if self._model is not None:
            return
        preflight(self.model_name, "encoder")  # before the heavy imports
        import torch
        from transformers import AutoModel, AutoTokenizer

        self._tokenizer = from_pretrained(AutoTokenizer, self.model_name, "encoder")
        self._model = from_pretrained(AutoModel, self.model_name, "encoder")
        if not getattr(self._tokenizer, "is_fast", False):
            raise ModelError(f"encoder {self.model_name!r} has no fast tokenizer (needed for word ids)")
        n_layers = self._model.config.num_hidden_layers
        if not 0 <= self.layer <= n_layers:
            raise ConfigError(f"--layer {self.layer} out of range: {self.model_name!r} has {n_layers} layers")
        encoder = getattr(self._model, "encoder", None)
        if isinstance(getattr(encoder, "layer", None), torch.nn.ModuleList) and self.layer < len(encoder.layer):
            # layers above the one we read are never needed: drop them (mBERT layer 8 of 12: 1/3 less work)
            encoder.layer = encoder.layer[: self.layer]
            self._model.config.num_hidden_layers = self.layer
        self._max_length = encoder_max_length(self._model.config, self._tokenizer)
        device = self._device or ("cuda" if torch.cuda.is_available() else "cpu")
        self._model.to(device).eval()
        if device.startswith("cuda"):
            self._model.half()
        self._device = device

    def embed(self, sentences: Sequence[Sequence[str]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per sentence: unit-normalised subword vectors and their word index (length-sorted batches)."""
        import torch

        self._load()
        order = sorted(range(len(sentences)), key=lambda k: len(sentences[k]))
        out: list[tuple[np.ndarray, np.ndarray]] = [None] * len(sentences)  # type: ignore[list-item]
        self.cut = {"sentences": 0, "words": 0}
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                idx = order[b:b + self.batch_size]
                batch = [list(sentences[k]) or [""] for k in idx]
                # cut at the encoder's positions: words beyond get no vectors, hence no links
                enc = self._tokenizer(batch, is_split_into_words=True, padding=True,
                                      truncation=self._max_length is not None, max_length=self._max_length,
                                      return_tensors="pt")
                hidden = self._model(**enc.to(self._device), output_hidden_states=True).hidden_states[self.layer]
                hidden = torch.nn.functional.normalize(hidden.float(), dim=-1).cpu().numpy()
                for row, k in enumerate(idx):
                    wids = enc.word_ids(row)
                    keep = [p for p, w in enumerate(wids) if w is not None]
                    words = np.array([wids[p] for p in keep], dtype=np.int64)
                    if not sentences[k]:
                        keep, words = [], np.zeros(0, dtype=np.int64)
                    lost = len(sentences[k]) - (int(words.max()) + 1 if len(words) else 0)
                    if sentences[k] and lost > 0:
                        self.cut["sentences"] += 1
                        self.cut["words"] += lost
                    out[k] = (hidden[row, keep], words)
        return out

    def align(self, pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[Alignment]:
        from augment.core.progress import progress

        src = self.embed([p[0] for p in pairs])
        src_cut = self.cut
        tgt = self.embed([p[1] for p in pairs])
        self.cut = {k: src_cut[k] + self.cut[k] for k in src_cut}
        if self.cut["sentences"]:
            log.warning("simalign: %d sentences are longer than the encoder's %d positions; their last %d "
                        "words get no links", self.cut["sentences"], self._max_length, self.cut["words"])
        matcher = MATCHERS[self.matching]
        result = []
        for (s_vec, s_w), (t_vec, t_w), (s, t) in progress(zip(src, tgt, pairs, strict=True), total=len(pairs),
                                                          desc="simalign", unit="pair"):
            sim = (s_vec @ t_vec.T + 1.0) / 2.0
            if self.distortion and min(sim.shape) >= 2:
                px = np.arange(sim.shape[1])[None, :] / (sim.shape[1] - 1)
                py = np.arange(sim.shape[0])[:, None] / (sim.shape[0] - 1)
                sim = sim * (1.0 - (px - py) ** 2 * self.distortion)
            rows, cols = np.nonzero(matcher(sim))
            links = set(zip(s_w[rows].tolist(), t_w[cols].tolist(), strict=True))
            result.append(Alignment(tuple(links), len(s), len(t)))
        return result


ALIGNER = SimAligner
