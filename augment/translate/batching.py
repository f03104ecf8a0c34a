"""Length-sorted batches under a token budget, and the decoding-length rule.

Sorting by length keeps padding small; a budget in *padded* source subwords (batch size x
longest sentence) keeps memory flat whatever the sentence lengths. The plan depends only on the
lengths and the limits, so a resumed run rebuilds exactly the same batches.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: Beam-search width when none is given: greedy (decoding never samples).
NUM_BEAMS = 1
DEFAULT_MAX_BATCH_TOKENS = 4096
DEFAULT_MAX_BATCH_SIZE = 64
#: Decoding-length rule: at most ``LENGTH_RATIO * longest source + LENGTH_EXTRA`` new subwords,
#: and never more than the model's own limit. A real model stops at its end token long before;
#: the cap is what stops a degenerate (or random-init) model that never emits one.
LENGTH_RATIO = 2.0
LENGTH_EXTRA = 10


def max_new_tokens(longest_source: int, model_limit: int | None = None) -> int:
    """The decoding-length cap for a batch whose longest source has ``longest_source`` subwords."""
    n = math.ceil(LENGTH_RATIO * longest_source) + LENGTH_EXTRA
    return max(1, min(n, model_limit)) if model_limit else n


def plan_batches(lengths: Sequence[int], max_batch_tokens: int | None = None,
                 batch_size: int | None = None) -> list[list[int]]:
    """Indices grouped into batches, longest sentences first.

    ``batch_size``: sentences per batch (fixed count). ``max_batch_tokens``: padded-token budget
    (a sentence longer than the budget gets a batch of its own). With neither, the budget is
    :data:`DEFAULT_MAX_BATCH_TOKENS` with at most :data:`DEFAULT_MAX_BATCH_SIZE` sentences.
    """
    if max_batch_tokens is None and batch_size is None:
        max_batch_tokens, batch_size = DEFAULT_MAX_BATCH_TOKENS, DEFAULT_MAX_BATCH_SIZE
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    return pack(order, lengths, max_batch_tokens, batch_size)


def pack(order: Sequence[int], lengths: Sequence[int], max_batch_tokens: int | None = None,
         batch_size: int | None = None) -> list[list[int]]:
    """The indices of ``order``, in that order, cut into consecutive batches: a batch ends before
    it would pass ``batch_size`` sentences or ``max_batch_tokens`` padded tokens (sentences times
    the longest of them). Inference sorts longest first; MT training sorts within shuffled windows."""
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        n = max(1, lengths[i])
        full = batch_size is not None and len(current) >= batch_size
        over = max_batch_tokens is not None and current and max(longest, n) * (len(current) + 1) > max_batch_tokens
        if current and (full or over):
            batches.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, n)
    if current:
        batches.append(current)
    return batches
