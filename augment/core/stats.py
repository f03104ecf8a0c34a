"""Corpus statistics: sentences, tokens, entities per type."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from augment.core.record import Sentence


def corpus_stats(sentences: Iterable[Sentence]) -> dict[str, Any]:
    n_sent = n_tok = n_with = n_joined = n_joined_sent = 0
    tagged = False
    entities: Counter[str] = Counter()
    for s in sentences:
        n_sent += 1
        n_tok += len(s.tokens)
        n_joined += s.tokens_joined
        n_joined_sent += bool(s.tokens_joined)
        if s.tags is not None:
            tagged = True
            spans = s.spans
            entities.update(sp.label for sp in spans)
            n_with += bool(spans)
    return {
        "sentences": n_sent,
        "tokens": n_tok,
        "tagged": tagged,
        "sentences_with_entities": n_with,
        "entities": dict(sorted(entities.items())),
        "entities_total": sum(entities.values()),
        "tokens_joined": n_joined,
        "sentences_joined": n_joined_sent,
    }
