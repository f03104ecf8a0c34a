"""Score projected sentences against the target side's own gold tags (span + type, exact match).

A sentence a filter dropped predicts nothing when ``use_filters`` is true, so filtering trades
recall for precision in the same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from augment.core.errors import DataError
from augment.core.pair import Pair
from augment.core.record import Sentence, Span
from augment.core.tags import tags_to_spans


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "pred": n_pred, "gold": n_gold}


def score_projection(records: Sequence[dict[str, Any]], gold: Sequence[Sentence],
                     use_filters: bool = True) -> dict[str, Any]:
    """Micro P/R/F1 overall and per type; ``records`` are all projected records, in gold order.

    A record's predicted spans are its ``tags``, or ``pred_spans`` (``[start, end, type]``) when given.
    """
    if len(records) != len(gold):
        raise DataError(f"{len(records)} projected records but {len(gold)} gold sentences")
    tp: Counter = Counter()
    n_pred: Counter = Counter()
    n_gold: Counter = Counter()
    for rec, g in zip(records, gold, strict=True):
        if len(rec["tokens"]) != len(g.tokens):
            raise DataError(f"sentence {g.id}: {len(rec['tokens'])} projected tokens but {len(g.tokens)} gold")
        kept = rec.get("projection", {}).get("kept", True)
        spans = ([Span(*x) for x in rec["pred_spans"]] if "pred_spans" in rec else tags_to_spans(rec["tags"]))
        pred = set(spans) if (kept or not use_filters) else set()
        gold_spans = set(g.spans)
        for s in pred:
            n_pred[s.label] += 1
            tp[s.label] += s in gold_spans
        for s in gold_spans:
            n_gold[s.label] += 1
    types = sorted(set(n_pred) | set(n_gold))
    return {"all": _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())),
            "by_type": {t: _prf(tp[t], n_pred[t], n_gold[t]) for t in types}}


def baseline_records(pairs: Sequence[Pair], alignments: Sequence) -> list[dict[str, Any]]:
    """The plain baseline on the same alignments: each source span to min..max of its links, no filters."""
    from augment.project.spans import baseline_spans

    out = []
    for pair, al in zip(pairs, alignments, strict=True):
        res = baseline_spans(pair.source.spans, al)
        # baseline spans may overlap, so they are kept as a span list, not tags
        out.append({"tokens": pair.target.tokens, "projection": {"kept": True},
                    "pred_spans": [[r.tgt[0], r.tgt[1], r.src.label] for r in res if r.tgt is not None]})
    return out


def compare_with_baseline(src_sentences: Sequence[Sentence], tgt_sentences: Sequence[Sentence],
                          alignments: Sequence, filters: dict[str, float | None] | None = None,
                          options: Any = None) -> dict[str, Any]:
    """Project gold source spans onto gold-tagged targets and score: baseline, default, with filters.

    All three use the same ``alignments``; the target's own tags are the gold.
    """
    from augment.project.corpus import parallel_pairs, project_corpus

    pairs = parallel_pairs(src_sentences, tgt_sentences)
    kept, dropped, report = project_corpus(pairs, alignments, strategy="align", filters=filters, options=options)
    order = {p.id: k for k, p in enumerate(pairs)}
    projected = [p.to_dict() for p in sorted(kept + dropped, key=lambda p: order[p.id])]
    return {"baseline": score_projection(baseline_records(pairs, alignments), tgt_sentences),
            "default": score_projection(projected, tgt_sentences, use_filters=False),
            "filtered": score_projection(projected, tgt_sentences, use_filters=True),
            "kept": report["sentences_kept"], "sentences": report["sentences_in"], "report": report}
