"""Length-sorted batching under a token budget, and the decoding-length rule."""

from __future__ import annotations

import random

from augment.translate.batching import max_new_tokens, plan_batches


def test_batches_cover_every_sentence_once_longest_first_within_budget():
    rng = random.Random(0)
    lengths = [rng.randint(1, 120) for _ in range(500)]
    batches = plan_batches(lengths, max_batch_tokens=1000)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(500))
    assert [lengths[i] for i in flat] == sorted(lengths, reverse=True)
    for b in batches:
        assert len(b) == 1 or max(lengths[i] for i in b) * len(b) <= 1000
    assert plan_batches(lengths, max_batch_tokens=1000) == batches  # same plan on a rerun


def test_batch_size_and_oversized_sentences():
    assert [len(b) for b in plan_batches([5] * 10, batch_size=4)] == [4, 4, 2]
    assert plan_batches([50, 3, 3], max_batch_tokens=10) == [[0], [1, 2]]
    default = plan_batches([10] * 200)
    assert max(len(b) for b in default) == 64


def test_max_new_tokens_rule():
    assert max_new_tokens(10) == 30
    assert max_new_tokens(10, model_limit=24) == 24
    assert max_new_tokens(0) == 10
