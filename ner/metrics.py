"""Entity-level precision / recall / F1, the same numbers as seqeval's default mode (conlleval).

An entity counts as correct when its type, start and end all match a gold entity. Entities are
decoded with :func:`augment.core.tags.tags_to_spans` (lenient, like conlleval: an ``I-X`` that
does not continue an ``X`` entity opens one). ``types`` / ``mapping`` restrict or rename entity
types on BOTH sides before scoring (e.g. ignore DATE when the model was trained without it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from augment.core.record import Span
from augment.core.tags import tags_to_spans


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


def _prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def entity_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]],
                  types: Iterable[str] | None = None,
                  mapping: Mapping[str, str | None] | None = None) -> dict:
    """``{"precision", "recall", "f1", "support", "per_type": {type: {...}}}`` over all sentences."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold but {len(pred)} predicted sentences")
    types = None if types is None else list(types)
    gold_set, pred_set = set(), set()
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        if len(g) != len(p):
            raise ValueError(f"sentence {i}: {len(g)} gold tags but {len(p)} predicted")
        gold_set.update((i, *s) for s in restrict_spans(tags_to_spans(g), types, mapping))
        pred_set.update((i, *s) for s in restrict_spans(tags_to_spans(p), types, mapping))
    correct = gold_set & pred_set
    n_gold, n_pred, n_ok = (Counter(x[3] for x in s) for s in (gold_set, pred_set, correct))
    per_type = {}
    for label in sorted(set(n_gold) | set(n_pred)):
        per_type[label] = {**_prf(n_ok[label], n_pred[label], n_gold[label]), "support": n_gold[label]}
    return {**_prf(len(correct), len(pred_set), len(gold_set)), "support": len(gold_set), "per_type": per_type}


def format_table(scores: dict) -> str:
    """A seqeval-style text table."""
    rows = [(t, s) for t, s in scores["per_type"].items()] + [("overall", scores)]
    width = max(8, *(len(t) for t, _ in rows))
    lines = [f"{'':<{width}}  precision     recall         f1    support"]
    for name, s in rows:
        if name == "overall":
            lines.append("")
        lines.append(f"{name:<{width}}  {s['precision']:9.4f}  {s['recall']:9.4f}  {s['f1']:9.4f}  {s['support']:9d}")
    return "\n".join(lines)
