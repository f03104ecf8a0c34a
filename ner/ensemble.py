"""Combine several systems' tags of the same sentences (e.g. translate-train and translate-test).

Two ways, both ending in valid IOB2:

- ``vote``: entity-level voting. Every system proposes its entities (start, end, type); an entity
  is kept when its share of the (weighted) votes reaches ``threshold``. Kept entities that overlap
  are resolved greedily: more votes first, then the longer span, then the earlier one.
- ``probs``: per-word probability averaging, for systems that saved their label distributions
  (``ner predict --save-probs`` writes ``probs`` and ``labels`` into each JSONL record); the
  argmax of the weighted mean is decoded leniently (an ``I-X`` after ``O`` opens an entity).

The systems must hold the same sentences with the same tokens, in the same order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from augment.core.errors import ConfigError, DataError
from augment.core.options import opt
from augment.core.record import Sentence, Span
from augment.core.tags import spans_to_tags, tags_to_spans

METHODS = ("vote", "probs")


@dataclass
class EnsembleOptions:
    """Options of ``ner ensemble`` and the ``ensemble`` pipeline stage, declared once
    (:mod:`augment.core.options` generates the click options, the stage settings and the docs)."""

    method: str = opt("vote", "vote: entity-level voting; probs: average the saved word probabilities "
                              "(`ner predict --save-probs`).", choices=METHODS,
                      pipeline_help="vote or probs (needs predictions saved with probabilities)")
    threshold: float = opt(0.5, "vote: share of the (weighted) votes an entity needs to be kept.")
    weights: list[str] | None = opt(None, "One weight per PRED (default: equal).", split=",", metavar="W1,W2,...",
                                    pipeline_help="one weight per prediction file (default: equal)")
    gold: str | None = opt(None, "A gold file of the same sentences: print each system's and the ensemble's "
                                 "entity F1.", cli_only=True)
    lang: str | None = opt(None, "language of the data, for the results table", pipeline_only=True)

    def numeric_weights(self) -> list[float] | None:
        """``weights`` as numbers (the command line gives strings); a ConfigError when one is not."""
        if self.weights is None:
            return None
        try:
            return [float(w) for w in self.weights]
        except (TypeError, ValueError):
            shown = ",".join(map(str, self.weights))
            raise ConfigError(f"--weights: expected numbers separated by commas, got '{shown}'") from None


def ensemble_files(paths: Sequence[str], options: EnsembleOptions) -> tuple[list[list[Sentence]], list[Sentence]]:
    """Read the prediction files ``paths`` and combine them with ``options``: (systems, combined)."""
    from augment.core import read_corpus

    weights = options.numeric_weights()
    systems = [read_corpus(p, repair=True, to_scheme="iob2") for p in paths]
    combined = ensemble(systems, method=options.method, threshold=options.threshold, weights=weights,
                        names=list(paths))
    return systems, combined


def check_aligned(systems: Sequence[Sequence[Sentence]], names: Sequence[str]) -> None:
    """Every system has the same sentences (count and tokens) as the first; else a DataError
    naming the file and the sentence's line."""
    if len(systems) < 2:
        raise ConfigError("an ensemble needs at least two systems")
    first = systems[0]
    for sys_, name in zip(systems[1:], names[1:], strict=True):
        if len(sys_) != len(first):
            raise DataError(f"{len(sys_)} sentences, but {names[0]} has {len(first)}", path=name)
        for a, b in zip(first, sys_, strict=True):
            if a.tokens != b.tokens:
                raise DataError(f"sentence {b.id}: tokens differ from {names[0]}'s sentence {a.id}",
                                path=name, line=b.line)
            if b.tags is None:
                raise DataError(f"sentence {b.id} has no tags", path=name, line=b.line)
    for s in first:
        if s.tags is None:
            raise DataError(f"sentence {s.id} has no tags", path=names[0], line=s.line)


def vote_spans(proposals: Sequence[Sequence[Span]], weights: Sequence[float], threshold: float) -> list[Span]:
    """The entities of one sentence that reach ``threshold`` of the total weight, overlaps resolved."""
    total = sum(weights)
    votes: dict[tuple[int, int, str], float] = defaultdict(float)
    for spans, w in zip(proposals, weights, strict=True):
        for s in set((s.start, s.end, s.label) for s in spans):
            votes[s] += w
    ranked = sorted((k for k, v in votes.items() if v / total >= threshold - 1e-9),
                    key=lambda k: (-votes[k], -(k[1] - k[0]), k[0], k[2]))
    kept: list[tuple[int, int, str]] = []
    for start, end, label in ranked:
        if all(end <= a or start >= b for a, b, _ in kept):
            kept.append((start, end, label))
    return [Span(a, b, label) for a, b, label in sorted(kept)]


def average_tags(distributions: Sequence[tuple[Sequence[str], Sequence[Sequence[float]]]],
                 weights: Sequence[float], n_words: int) -> list[str]:
    """IOB2 tags from the weighted mean of per-word label distributions (``(labels, probs)``
    per system; the systems' label sets may differ: a missing label has probability 0)."""
    labels = sorted({lab for labs, _ in distributions for lab in labs})
    total = sum(weights)
    mean = [[0.0] * len(labels) for _ in range(n_words)]
    index = {lab: i for i, lab in enumerate(labels)}
    for (labs, probs), w in zip(distributions, weights, strict=True):
        for word, row in enumerate(probs[:n_words]):
            for lab, p in zip(labs, row, strict=True):
                mean[word][index[lab]] += w * p / total
    raw = [labels[max(range(len(labels)), key=lambda i, m=m: m[i])] if any(m) else "O" for m in mean]
    return spans_to_tags(tags_to_spans(raw), n_words, "iob2")


def _distribution(s: Sentence, name: str) -> tuple[list[str], list[list[float]]]:
    labels, probs = s.meta.get("labels"), s.meta.get("probs")
    if not isinstance(labels, list) or not isinstance(probs, list):
        raise DataError(f"sentence {s.id} has no saved probabilities (tag it with `ner predict --save-probs` "
                        "and a JSONL output, or use --method vote)", path=name, line=s.line)
    if len(probs) > len(s.tokens) or any(len(row) != len(labels) for row in probs):
        raise DataError(f"sentence {s.id}: 'probs' must hold one row of {len(labels)} per word", path=name,
                        line=s.line)
    return labels, probs


def ensemble(systems: Sequence[Sequence[Sentence]], *, method: str = "vote", threshold: float = 0.5,
             weights: Sequence[float] | None = None, names: Sequence[str] | None = None) -> list[Sentence]:
    """Sentences of the first system with the combined tags (saved probabilities are dropped)."""
    names = list(names) if names is not None else [f"system {i + 1}" for i in range(len(systems))]
    check_aligned(systems, names)
    if method not in METHODS:
        raise ConfigError(f"unknown method '{method}'; known: {', '.join(METHODS)}")
    if not 0 < threshold <= 1:
        raise ConfigError("--threshold must be in (0, 1]")
    weights = [1.0] * len(systems) if weights is None else [float(w) for w in weights]
    if len(weights) != len(systems) or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ConfigError(f"give one non-negative weight per system ({len(systems)}), not all zero")
    out = []
    for k, base in enumerate(systems[0]):
        if method == "vote":
            spans = vote_spans([tags_to_spans(sys_[k].tags) for sys_ in systems], weights, threshold)
            tags = spans_to_tags(spans, len(base.tokens), "iob2")
        else:
            dists = [_distribution(sys_[k], name) for sys_, name in zip(systems, names, strict=True)]
            tags = average_tags(dists, weights, len(base.tokens))
        meta = {key: v for key, v in base.meta.items() if key not in ("probs", "labels")}
        out.append(replace(base, tags=tags, meta=meta))
    return out


def score_against(gold: Sequence[Sentence], pred: Sequence[Sentence], gold_name: str = "gold") -> dict:
    """Entity P/R/F1 of ``pred`` against ``gold`` (same sentences and tokens), seqeval numbers."""
    from augment.core.metrics import entity_scores

    if len(gold) != len(pred):
        raise DataError(f"{len(gold)} gold sentences but {len(pred)} predicted", path=gold_name)
    for g, p in zip(gold, pred, strict=True):
        if g.tokens != p.tokens:
            raise DataError(f"sentence {g.id}: tokens differ from the prediction's", path=gold_name, line=g.line)
        if g.tags is None:
            raise DataError(f"sentence {g.id} has no gold tags", path=gold_name, line=g.line)
    return entity_scores([g.tags for g in gold], [p.tags or ["O"] * len(p.tokens) for p in pred])


def prediction_summary(gold: Sequence[Sentence], pred: Sequence[Sentence], out, lang: str | None,
                       scored: bool | None = None) -> dict:
    """A pipeline stage's summary of a prediction file: counts, and ``metrics`` (written to
    ``out/metrics.json`` too) when ``gold`` has tags (``scored``: force or skip scoring)."""
    import json

    from augment.core.fileio import atomic_write

    summary: dict = {"sentences": len(pred), "entities": sum(len(s.spans) for s in pred)}
    if scored is None:
        scored = all(s.tags is not None for s in gold) and any(s.spans for s in gold)
    if scored:
        summary["metrics"] = score_against(gold, pred)
        with atomic_write(out / "metrics.json") as fh:
            json.dump(summary["metrics"], fh, indent=1, sort_keys=True)
    if lang:
        summary["lang"] = lang
    return summary
