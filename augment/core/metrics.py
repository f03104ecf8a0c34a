"""Entity-level precision / recall / F1: seqeval's default mode (conlleval), computed by seqeval.

An entity counts as correct when its type, start and end all match a gold entity. Entities are
decoded by seqeval's ``get_entities`` (lenient, like conlleval: an ``I-X`` that does not continue
an ``X`` entity opens one) and scored by its ``precision_recall_fscore_support``, so the numbers
are seqeval's by construction. ``types`` / ``mapping`` restrict or rename entity types on BOTH
sides before scoring (e.g. ignore DATE when the model was trained without it): the decoded
entities are restricted and re-encoded in IOB2, which seqeval decodes back to exactly them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence

from augment.core.errors import printable
from augment.core.record import Span
from augment.core.tags import spans_to_tags


def restrict_spans(spans: Iterable[Span], types: Iterable[str] | None = None,
                   mapping: Mapping[str, str | None] | None = None) -> list[Span]:
    """Rename labels through ``mapping`` (``None`` or ``"O"`` drops), then keep only ``types``."""
    keep = None if types is None else set(types)
    out = []
    for span in spans:
        label = span.label
        if mapping and label in mapping:
            label = mapping[label]
            if label is None or label == "O":
                continue
        if keep is not None and label not in keep:
            continue
        out.append(Span(span.start, span.end, label))
    return out


def seqeval_spans(tags: Sequence[str]) -> list[Span]:
    """seqeval's entities of one sentence as half-open spans (seqeval's ends are inclusive)."""
    from seqeval.metrics.sequence_labeling import get_entities

    return [Span(start, end + 1, label) for label, start, end in get_entities(list(tags))]


def _restricted(tags: Sequence[str], types, mapping) -> list[str]:
    return spans_to_tags(restrict_spans(seqeval_spans(tags), types, mapping), len(tags), "iob2")


def _prf(p: float, r: float, f: float, support: int) -> dict:
    return {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(support)}


def entity_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]],
                  types: Iterable[str] | None = None,
                  mapping: Mapping[str, str | None] | None = None) -> dict:
    """``{"precision", "recall", "f1", "support", "per_type": {type: {...}}}`` over all sentences."""
    from seqeval.metrics.sequence_labeling import precision_recall_fscore_support

    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold but {len(pred)} predicted sentences")
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        if len(g) != len(p):
            raise ValueError(f"sentence {i}: {len(g)} gold tags but {len(p)} predicted")
    if types is not None or mapping:
        types = None if types is None else list(types)
        gold = [_restricted(g, types, mapping) for g in gold]
        pred = [_restricted(p, types, mapping) for p in pred]
    gold, pred = [list(g) for g in gold], [list(p) for p in pred]
    labels = sorted({s.label for tags in gold + pred for s in seqeval_spans(tags)})
    if not labels:  # seqeval warns and divides nothing by nothing; there is nothing to score
        return {**_prf(0.0, 0.0, 0.0, 0), "per_type": {}}
    with warnings.catch_warnings():  # numpy's 0/0 where one side has no entity: zero_division says 0
        warnings.simplefilter("ignore", RuntimeWarning)
        per = precision_recall_fscore_support(gold, pred, average=None, zero_division=0)
        micro = precision_recall_fscore_support(gold, pred, average="micro", zero_division=0)
    per_type = {label: _prf(*(col[i] for col in per)) for i, label in enumerate(labels)}
    return {**_prf(*micro[:3], sum(s["support"] for s in per_type.values())), "per_type": per_type}


def format_table(scores: dict) -> str:
    """A seqeval-style text table."""
    rows = [(printable(t), s) for t, s in scores["per_type"].items()] + [("overall", scores)]  # types from data
    width = max(8, *(len(t) for t, _ in rows))
    lines = [f"{'':<{width}}  precision     recall         f1    support"]
    for name, s in rows:
        if name == "overall":
            lines.append("")
        lines.append(f"{name:<{width}}  {s['precision']:9.4f}  {s['recall']:9.4f}  {s['f1']:9.4f}  {s['support']:9d}")
    return "\n".join(lines)
