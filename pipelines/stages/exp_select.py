"""``select-entities``: keep the sentences of a tagged corpus that hold entities, plus a sample of the rest.

Projected parallel text is dominated by sentences without any entity (on MENYO-20k about 70%
of the kept sentences: proverbs, scripture, talks), far more than in NER data (about 45% of
MasakhaNER yor train). A model trained on it learns to predict ``O`` and loses recall. This stage
keeps every sentence with at least ``min_entities`` entities and a seeded random ``keep_empty``
fraction of the others. Extra JSONL keys (e.g. a projection's ``src``) are kept, so the output
still feeds ``train``'s ``augmented`` input as translation pairs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages.base import Setting, Slot, Stage


def select_entity_sentences(sentences: list, min_entities: int = 1, keep_empty: float = 0.0,
                            seed: int = 0) -> list:
    """Sentences with >= ``min_entities`` entities, plus a ``keep_empty`` fraction of the others
    (chosen by a random draw per sentence from ``seed``, so the choice does not depend on order)."""
    import random

    rng = random.Random(seed)
    out = []
    for s in sentences:
        draw = rng.random()  # one draw per sentence keeps the sample stable when min_entities changes
        if s.tags is not None and len(s.spans) >= min_entities:
            out.append(s)
        elif draw < keep_empty:
            out.append(s)
    return out


class SelectEntities(Stage):
    kind = "select-entities"
    version = "1"
    help = "Keep sentences with entities (and a seeded sample of the others) from a tagged corpus."
    inputs = {"corpus": Slot("a tagged corpus, e.g. the project stage's projected.jsonl")}
    settings = {
        "min_entities": Setting(int, 1, "keep sentences with at least this many entities"),
        "keep_empty": Setting(float, 0.0, "fraction of the other sentences kept (random, seeded)"),
        "seed": Setting(int, 0, "seed of the sample of the other sentences"),
    }
    outputs = {"corpus": "selected.jsonl"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import read_corpus, write_corpus
        from augment.core.errors import ConfigError

        if not 0.0 <= settings["keep_empty"] <= 1.0:
            raise ConfigError("select-entities: keep_empty must be between 0 and 1")
        sentences = read_corpus(inputs["corpus"], repair=True, to_scheme="iob2")
        kept = select_entity_sentences(sentences, settings["min_entities"], settings["keep_empty"], settings["seed"])
        write_corpus(kept, out / "selected.jsonl", "jsonl")
        return {"sentences_in": len(sentences), "sentences_kept": len(kept),
                "with_entities": sum(1 for s in kept if s.tags is not None and s.spans)}


STAGE = SelectEntities
