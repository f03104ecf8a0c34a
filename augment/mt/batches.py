"""Batches of MT training pairs: the pairs' token ids, padding, and which pairs go together.

:class:`SentenceBatches` and :class:`TokenBatches` are the batch planners of ``train_mt`` (a
:class:`~augment.core.training.loop.BatchPlan`): a fixed number of pairs per batch, or as many
as a token budget holds; similar lengths together, the order a function of the seed and the epoch.
"""

from __future__ import annotations

import random
from typing import Any

from augment.mt.data import MTPair
from augment.translate.batching import pack


class EncodedPairs:
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


class SentenceBatches:
    """``batch_size`` pairs a batch: shuffle (seeded by seed and epoch), sort by source length
    within windows of 50 batches, cut, shuffle the batches."""

    def __init__(self, encoded: EncodedPairs, batch_size: int, seed: int, window: int = 50):
        self.encoded, self.batch_size, self.seed, self.window = encoded, batch_size, seed, window
        self.lengths = [len(s) for s in encoded.src]

    def batches(self, epoch: int) -> list[list[int]]:
        rng = random.Random(self.seed * 1_000_003 + epoch)
        order = list(range(len(self.lengths)))
        rng.shuffle(order)
        window = self.batch_size * self.window
        batches = []
        for w in range(0, len(order), window):
            chunk = sorted(order[w:w + window], key=lambda i: self.lengths[i])
            batches += [chunk[i:i + self.batch_size] for i in range(0, len(chunk), self.batch_size)]
        rng.shuffle(batches)
        return batches

    def collate(self, indices: list[int], device) -> dict[str, Any]:
        return self.encoded.collate(indices, device)

    def tokens(self, batch: dict[str, Any]) -> int:
        return int(batch["attention_mask"].sum())


class TokenBatches(SentenceBatches):
    """Batches of similar-length pairs up to a token budget: shuffle (seeded by seed and epoch),
    sort by length within windows of ``window * 64`` pairs, cut a batch when its padded size
    (pairs times the longest side of any of its pairs) would pass ``max_tokens``, shuffle the
    batches. Short sentences make big batches and long ones small ones, so every step carries
    about the same number of tokens (small-data NMT practice: a few thousand tokens a step)."""

    def __init__(self, encoded: EncodedPairs, max_tokens: int, seed: int, window: int = 50):
        super().__init__(encoded, 64, seed, window)
        self.max_tokens = max_tokens
        self.lengths = [max(len(s), len(t)) for s, t in zip(encoded.src, encoded.tgt)]

    def batches(self, epoch: int) -> list[list[int]]:
        rng = random.Random(self.seed * 1_000_003 + epoch)
        order = list(range(len(self.lengths)))
        rng.shuffle(order)
        window = 64 * self.window
        batches: list[list[int]] = []
        for w in range(0, len(order), window):
            batches += pack(sorted(order[w:w + window], key=lambda i: self.lengths[i]), self.lengths, self.max_tokens)
        rng.shuffle(batches)
        return batches
