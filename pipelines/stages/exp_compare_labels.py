"""``compare-labels``: entity P/R/F1 of one labelling of target sentences against another
(``augment compare``'s scores, :mod:`augment.compare`).

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


def compare_labels(labels: list, reference: list, labels_path: str = "A", reference_path: str = "B",
                   types: list[str] | None = None) -> dict[str, Any]:
    """``augment compare``'s result over the sentences both files have (``kept``) and over every
    reference sentence with the missing ones as "no entities" (``all``), plus entity counts."""
    from dataclasses import replace

    from augment.compare import compare_sentences

    kept = compare_sentences(labels, reference, labels_path, reference_path, types)
    by_id = {s.id: s for s in labels}
    every = [by_id.get(r.id) or replace(r, tags=["O"] * len(r.tokens)) for r in reference]
    everything = compare_sentences(every, reference, labels_path, reference_path, types)
    return {"sentences": len(reference), "compared": kept["compared"], "skipped": kept["skipped"],
            "entities": sum(len(s.spans) for s in labels), "reference_entities": sum(len(r.spans) for r in reference),
            "kept": kept["scores"], "all": everything["scores"]}


class CompareLabels(Stage):
    kind = "compare-labels"
    version = "1"
    help = "Entity P/R/F1 of a labelling (e.g. a projection) against a reference labelling of the same sentences."
    inputs = {
        "labels": Slot("the labelling to score, e.g. the project stage's kept sentences"),
        "reference": Slot("the reference labelling of the same target tokens (matched by sentence id)"),
    }
    settings = {"types": Setting(list, None, "score only these entity types (others ignored on both sides)"),
                "lang": Setting(str, None, "language of the sentences, for the report")}
    outputs = {"agreement": "agreement.json"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        import json

        from augment.core import read_corpus
        from augment.core.fileio import atomic_write

        labels = read_corpus(inputs["labels"], repair=True, to_scheme="iob2")
        reference = read_corpus(inputs["reference"], repair=True, to_scheme="iob2")
        agreement = compare_labels(labels, reference, Path(inputs["labels"]).name, Path(inputs["reference"]).name,
                                   settings["types"])
        with atomic_write(out / "agreement.json") as fh:
            json.dump(agreement, fh, indent=1, sort_keys=True)
        summary: dict[str, Any] = {"agreement": agreement}
        if settings["lang"]:
            summary["lang"] = settings["lang"]
        return summary


STAGE = CompareLabels
