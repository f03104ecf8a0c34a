"""From sentences to model batches: first-subword alignment and length-bucketed batches.

Each word is tokenized on its own (cached per distinct word) and only its FIRST subword carries
the word's label; the other subwords, the special tokens and the padding get ``-100`` (ignored).
With sentencepiece tokenizers (XLM-R, mDeBERTa) a word may split into a bare word marker ``▁`` and
the rest (``(`` -> ``▁`` ``(``); that ``▁`` piece is the same token for every such word, so the
label goes on the next piece, the first one that carries the word.
Batches are built by length (less padding) and keep translation pairs together: every example
with the same ``group`` (a source sentence and its projected translation) lands in one batch, which
the translation-contrastive loss needs.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from ner.labels import IGNORE, LabelMap

log = logging.getLogger(__name__)


@dataclass
class Example:
    """One encoded sentence. ``first[i]`` is the position of word ``i``'s first subword."""

    input_ids: list[int]
    first: list[int]
    labels: list[int] | None = None  # one label id per kept word, None when untagged
    soft: torch.Tensor | None = None  # [len(first), n_labels] teacher probabilities
    group: int = -1  # examples sharing a group >= 0 are translations of each other
    n_words: int = 0  # words in the sentence (more than len(first) when truncated)
    word_end: int = 0  # position after the last kept word's last subword
    word_start: int = -1  # position of the first kept word's first subword (-1: first[0])


@dataclass
class Batch:
    """Padded tensors of a list of examples (all ``[B, T]`` unless noted)."""

    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    labels: torch.Tensor  # label id at first subwords, -100 elsewhere
    first_mask: torch.Tensor  # True at first subwords
    word_mask: torch.Tensor  # True at every subword of a word (not special tokens, not padding)
    group: torch.Tensor  # [B]
    soft: torch.Tensor | None = None  # [B, T, C] at first subwords, zeros elsewhere
    n_tokens: int = 0  # real (non-padding) subword positions, for throughput

    def to(self, device: torch.device | str) -> Batch:
        moved = {k: (v.to(device) if isinstance(v, torch.Tensor) else v) for k, v in self.__dict__.items()}
        return Batch(**moved)


class WordEncoder:
    """Tokenizes sentences word by word with a Hugging Face tokenizer (any model family)."""

    def __init__(self, tokenizer, max_length: int = 128):
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.bos = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
        self.eos = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
        self.unk = tokenizer.unk_token_id
        self.pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        self.marker = tokenizer.get_vocab().get("\u2581")  # the bare sentencepiece word marker, if any
        self._cache: dict[str, list[int]] = {}
        #: sentences of the last :meth:`encode_all` longer than ``max_length``, and their words cut off
        self.cut = {"sentences": 0, "words": 0}

    def _pieces(self, words: Sequence[str]) -> None:
        new = sorted({w for w in words if w not in self._cache})
        if not new:
            return
        ids = self.tokenizer(new, add_special_tokens=False)["input_ids"]
        for word, pieces in zip(new, ids, strict=True):
            self._cache[word] = list(pieces) or ([self.unk] if self.unk is not None else [])

    def encode(self, tokens: Sequence[str]) -> tuple[list[int], list[int], int]:
        """``(input_ids, first, word_end)``; words that do not fit in ``max_length`` are dropped.
        ``first[i]`` skips a leading bare ``▁`` piece when the word has more pieces."""
        self._pieces(tokens)
        ids = [] if self.bos is None else [self.bos]
        budget = self.max_length - (self.eos is not None)
        first: list[int] = []
        for word in tokens:
            pieces = self._cache[word]
            if len(ids) + len(pieces) > budget or not pieces:
                break
            skip = int(self.marker is not None and len(pieces) > 1 and pieces[0] == self.marker)
            first.append(len(ids) + skip)
            ids.extend(pieces)
        word_end = len(ids)
        if self.eos is not None:
            ids.append(self.eos)
        return ids, first, word_end

    def encode_all(self, sentences, label_map: LabelMap | None = None, groups: Sequence[int] | None = None) -> list[Example]:
        """Encode sentences (tags through ``label_map`` when given and present)."""
        self._pieces([w for s in sentences for w in s.tokens])
        out = []
        for i, s in enumerate(sentences):
            ids, first, word_end = self.encode(s.tokens)
            labels = None
            if label_map is not None and s.tags is not None:
                labels = label_map.encode(s.tags[: len(first)], where=s.id)
            out.append(Example(ids, first, labels, group=-1 if groups is None else groups[i],
                               n_words=len(s.tokens), word_end=word_end,
                               word_start=int(self.bos is not None) if first else -1))
        self.cut = cut_off(out)
        if self.cut["sentences"]:
            log.warning("%d sentences are longer than %d subwords (the model's limit or --max-length): their "
                        "last %d words are cut off (tagged O when predicting, left out of training)",
                        self.cut["sentences"], self.max_length, self.cut["words"])
        return out


def cut_off(examples: Sequence[Example]) -> dict[str, int]:
    """How many examples lost words to ``max_length``, and how many words they lost."""
    lost = [e.n_words - len(e.first) for e in examples if e.n_words > len(e.first)]
    return {"sentences": len(lost), "words": sum(lost)}


def collate(examples: Sequence[Example], pad_id: int = 0) -> Batch:
    """Pad a list of examples into one :class:`Batch`."""
    n, width = len(examples), max(len(e.input_ids) for e in examples)
    input_ids = torch.full((n, width), pad_id, dtype=torch.long)
    attention = torch.zeros((n, width), dtype=torch.long)
    labels = torch.full((n, width), IGNORE, dtype=torch.long)
    first_mask = torch.zeros((n, width), dtype=torch.bool)
    word_mask = torch.zeros((n, width), dtype=torch.bool)
    has_soft = any(e.soft is not None for e in examples)
    soft = None
    if has_soft:
        n_labels = next(e.soft.shape[1] for e in examples if e.soft is not None)
        soft = torch.zeros((n, width, n_labels), dtype=torch.float32)
    for i, e in enumerate(examples):
        length = len(e.input_ids)
        input_ids[i, :length] = torch.tensor(e.input_ids)
        attention[i, :length] = 1
        pos = torch.tensor(e.first, dtype=torch.long)
        first_mask[i, pos] = True
        if e.first:
            word_mask[i, e.word_start if e.word_start >= 0 else e.first[0] : e.word_end] = True
        if e.labels is not None:
            labels[i, pos] = torch.tensor(e.labels, dtype=torch.long)
        if e.soft is not None and len(e.first):
            k = min(len(e.first), len(e.soft))  # a teacher may have kept fewer words
            soft[i, pos[:k]] = e.soft[:k].float()
    return Batch(input_ids, attention, labels, first_mask, word_mask,
                 torch.tensor([e.group for e in examples], dtype=torch.long), soft,
                 n_tokens=int(attention.sum()))


def length_batches(examples: Sequence[Example], batch_size: int, seed: int | None = None,
                   epoch: int = 0, pool: int = 50) -> list[list[int]]:
    """Batches of example indices, similar lengths together, translation groups never split.

    With ``seed`` the order is shuffled (deterministically from ``seed`` and ``epoch``): units are
    shuffled, cut into pools of ``pool`` batches, sorted by length inside a pool, cut into
    batches, and the batches shuffled. Without a seed the batches are sorted by length
    (evaluation). A batch may exceed ``batch_size`` by one group when a group straddles it.
    """
    groups: dict[int, list[int]] = defaultdict(list)
    units: list[list[int]] = []
    for i, e in enumerate(examples):
        if e.group >= 0:
            if e.group not in groups:
                units.append(groups[e.group])
            groups[e.group].append(i)
        else:
            units.append([i])

    def length(unit: list[int]) -> int:
        return max(len(examples[i].input_ids) for i in unit)

    rng = random.Random(f"{seed}:{epoch}") if seed is not None else None
    if rng is not None:
        rng.shuffle(units)
        step = max(1, pool * batch_size)
        chunks = [units[i : i + step] for i in range(0, len(units), step)]
    else:
        chunks = [units]
    batches: list[list[int]] = []
    for chunk in chunks:
        chunk = sorted(chunk, key=length)
        current: list[int] = []
        for unit in chunk:
            current.extend(unit)
            if len(current) >= batch_size:
                batches.append(current)
                current = []
        if current:
            batches.append(current)
    if rng is not None:
        rng.shuffle(batches)
    return batches


class ExampleBatches:
    """The batch planner of NER training and distillation (a
    :class:`~augment.core.training.loop.BatchPlan`): :func:`length_batches` of ``batch_size``
    sentences, shuffled by seed and epoch, padded with ``pad_id``."""

    def __init__(self, examples: Sequence[Example], batch_size: int, seed: int, pad_id: int = 0):
        self.examples, self.batch_size, self.seed, self.pad_id = examples, batch_size, seed, pad_id

    def batches(self, epoch: int) -> list[list[int]]:
        return length_batches(self.examples, self.batch_size, seed=self.seed, epoch=epoch)

    def collate(self, indices: list[int], device: torch.device | str) -> Batch:
        return collate([self.examples[j] for j in indices], self.pad_id).to(device)

    def tokens(self, batch: Batch) -> int:
        return batch.n_tokens
