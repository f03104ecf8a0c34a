"""The translation batch plan: what each sentence is sent to the model as, and in which batches.

One function, :func:`plan_translation`, used by the stage (:func:`augment.translate.stage.translate_corpus`)
and by the sharding hook (:func:`sentence_batches`), so a sharded run decodes exactly the batches of
an unsharded one, long inputs included: a batch that holds other sentences pads them differently,
which gives other floats. The plan needs only the tokenizer (:class:`SourceCounter`), never the weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from augment.translate.batching import plan_batches
from augment.translate.long_inputs import split_long


class TokenCounter(Protocol):
    """What planning needs from a backend: its subword count and its source limit (or None)."""

    def count_tokens(self, texts: list[str]) -> list[int]: ...


class SourceCounter:
    """Source subwords as every backend counts them (the model's prefix + text, untruncated), and
    the model's source limit: from the resolved model and its tokenizer alone."""

    def __init__(self, spec: Any, tokenizer: Any):
        self.spec, self.tok = spec, tokenizer
        self.max_source_tokens = spec.max_source

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source subwords per text, untruncated (the plan splits what exceeds the limit)."""
        ids = self.tok([self.spec.prefix + t for t in texts], truncation=False)["input_ids"]
        return [len(x) for x in ids]


@dataclass
class TranslationPlan:
    """``pieces[i]``: what sentence ``i`` is sent as (one piece, or several for a long one);
    ``long_how[i]``: ``""``, ``"split"`` or ``"truncated"``; ``batches``: sentence indices per
    batch, in decoding order (a sentence's pieces always decode in its batch)."""

    pieces: list[list[str]]
    long_how: list[str]
    batches: list[list[int]]

    def units(self) -> list[tuple[int, int]]:
        """Every (sentence, piece) sent to the model, in sentence order."""
        return [(i, k) for i, p in enumerate(self.pieces) for k in range(len(p))]

    def unit_batches(self) -> list[list[int]]:
        """:attr:`batches` as positions in :meth:`units` (each sentence's pieces side by side)."""
        first: dict[int, int] = {}
        for u, (i, _) in enumerate(self.units()):
            first.setdefault(i, u)
        return [[first[i] + k for i in batch for k in range(len(self.pieces[i]))] for batch in self.batches]


def plan_translation(counter: TokenCounter, inputs: Sequence[tuple[str, list[str]]], method: str,
                     open_marker: str, close_marker: str, max_batch_tokens: int | None,
                     batch_size: int | None) -> TranslationPlan:
    """The plan for ``inputs`` (text sent to the model, issues known before translating; see
    :func:`augment.translate.stage.source_text`).

    Only inputs over the counter's ``max_source_tokens`` are split (:mod:`augment.translate.long_inputs`);
    a split sentence weighs in the length-sorted batching as its pieces side by side."""
    limit = getattr(counter, "max_source_tokens", None)
    texts = [text for text, _ in inputs]
    pieces, how = [[t] for t in texts], [""] * len(texts)
    if limit:
        for i, ((text, issues), n) in enumerate(zip(inputs, counter.count_tokens(texts))):
            if n > limit:
                markers = (open_marker, close_marker) if method == "markers" and not issues else None
                pieces[i], how[i] = split_long(text, limit, counter.count_tokens, markers)
    plan = TranslationPlan(pieces, how, [])
    units = plan.units()
    lengths = [0] * len(texts)
    for (i, _), n in zip(units, counter.count_tokens([pieces[i][k] for i, k in units])):
        lengths[i] = max(lengths[i], n)
    plan.batches = plan_batches([n * len(p) for n, p in zip(lengths, pieces)], max_batch_tokens, batch_size)
    return plan
