"""``evaluate_model``: tag gold sentences with a model and score them like seqeval / conlleval."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

from augment.core import Sentence
from augment.core.errors import ConfigError, DataError
from augment.core.metrics import entity_scores
from augment.core.tags import check_types_present, label_types
from ner.labels import LabelMap, check_types
from ner.predict import predict


def parse_types(value: str | None) -> list[str] | None:
    """``"PER,ORG,LOC"`` -> ``["PER", "ORG", "LOC"]`` (None stays None)."""
    if not value:
        return None
    types = [t.strip() for t in value.split(",") if t.strip()]
    if not types:
        raise ConfigError("--types needs a comma-separated list of entity types, e.g. PER,ORG,LOC")
    return types


def parse_mapping(items: Iterable[str]) -> dict[str, str | None]:
    """``["GPE=LOC", "MISC=O"]`` -> ``{"GPE": "LOC", "MISC": None}``."""
    out: dict[str, str | None] = {}
    for item in items:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise ConfigError(f"--map-type '{item}' is not OLD=NEW (NEW may be O to drop the type)")
        out[old.strip()] = None if new.strip() == "O" else new.strip()
    return out


def evaluate_model(model_dir: str | os.PathLike, sentences: Sequence[Sentence], *,
                   types: Sequence[str] | None = None, mapping: Mapping[str, str | None] | None = None,
                   batch_size: int = 32, device: str = "auto", where: str | os.PathLike | None = None) -> dict:
    """Entity P/R/F1 overall and per type (``{"precision", "recall", "f1", "support", "per_type"}``).

    ``types`` / ``mapping`` restrict or rename types on both sides; the gold data may not contain
    (after them) a type the model cannot predict, and ``types`` may not name a type that neither
    the data nor the model has (a typo would silently score nothing)."""
    untagged = [s.id for s in sentences if s.tags is None]
    if untagged:
        raise DataError(f"sentence {untagged[0]} has no tags; evaluation needs gold tags", path=where)
    label_map = LabelMap.load(model_dir)
    gold_types = label_types(t for s in sentences for t in s.tags)
    if mapping:
        gold_types = {mapping.get(t, t) for t in gold_types} - {None}
    if types is not None:
        check_types_present(types, gold_types, where=where, also=label_map.types)
        gold_types &= set(types)
    check_types(gold_types, label_map, where)
    predicted = predict(model_dir, sentences, batch_size=batch_size, device=device)
    return entity_scores([s.tags for s in sentences], [s.tags for s in predicted], types=types, mapping=mapping)
