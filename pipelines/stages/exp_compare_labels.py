"""``compare-labels``: entity P/R/F1 of one labelling of target sentences against another.

How close is the toolkit's projection to a reference projection of the same translations (here
T-Projection's labels)? Both files label the same target tokens; sentences are matched by id. A
projection keeps only some sentences (its filters drop the others), so two scores are given:

- ``kept``: over the sentences both files have (how good the kept labels are), and
- ``all``: over every reference sentence, a dropped one counting as "no entities" (what the
  filters cost in recall),

plus ``sentences`` (reference), ``compared`` (in both), per-type scores and entity counts. The
summary key is ``agreement``, not ``metrics``: this is not a model's score on gold data and is
no row of the results table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages.base import Setting, Slot, Stage


def compare_labels(labels: list, reference: list) -> dict[str, Any]:
    """``{"kept": scores, "all": scores, "sentences", "compared", "entities", "reference_entities"}``."""
    from augment.core.errors import DataError
    from ner.metrics import entity_scores

    by_id = {s.id: s for s in labels}
    ref_tags, kept_tags, all_tags = [], [], []
    for r in reference:
        s = by_id.get(r.id)
        if s is not None and list(s.tokens) != list(r.tokens):
            raise DataError(f"sentence {r.id}: the two files have different tokens")
        if s is not None:
            ref_tags.append(r.tags)
            kept_tags.append(s.tags)
        all_tags.append(s.tags if s is not None else ["O"] * len(r.tokens))
    round_all = lambda d: {k: (round(v, 6) if isinstance(v, float) else round_all(v) if isinstance(v, dict) else v)  # noqa: E731
                           for k, v in d.items()}
    return {"sentences": len(reference), "compared": len(ref_tags),
            "entities": sum(len(s.spans) for s in labels), "reference_entities": sum(len(r.spans) for r in reference),
            "kept": round_all(entity_scores(ref_tags, kept_tags)) if ref_tags else None,
            "all": round_all(entity_scores([r.tags for r in reference], all_tags))}


class CompareLabels(Stage):
    kind = "compare-labels"
    version = "1"
    help = "Entity P/R/F1 of a labelling (e.g. a projection) against a reference labelling of the same sentences."
    inputs = {
        "labels": Slot("the labelling to score, e.g. the project stage's kept sentences"),
        "reference": Slot("the reference labelling of the same target tokens (matched by sentence id)"),
    }
    settings = {"lang": Setting(str, None, "language of the sentences, for the report")}
    outputs = {"agreement": "agreement.json"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        import json

        from augment.core import read_corpus
        from augment.core.fileio import atomic_write

        labels = read_corpus(inputs["labels"], repair=True, to_scheme="iob2")
        reference = read_corpus(inputs["reference"], repair=True, to_scheme="iob2")
        agreement = compare_labels(labels, reference)
        with atomic_write(out / "agreement.json") as fh:
            json.dump(agreement, fh, indent=1, sort_keys=True)
        summary: dict[str, Any] = {"agreement": agreement}
        if settings["lang"]:
            summary["lang"] = settings["lang"]
        return summary


STAGE = CompareLabels
