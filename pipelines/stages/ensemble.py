"""``ensemble``: combine several systems' predictions of the same sentences (``ner.ensemble``);
scored against gold data when given, like an evaluate stage (its summary has ``metrics``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages.base import Setting, Slot, Stage


class Ensemble(Stage):
    kind = "ensemble"
    help = "Entity voting or probability averaging over two or more prediction files."
    inputs = {
        "predictions": Slot("prediction files of the same sentences (predict / translate_test outputs)", many=True),
        "gold": Slot("gold labelled version of the sentences, for scoring", required=False),
    }
    settings = {
        "method": Setting(str, "vote", "vote or probs (needs predictions saved with probabilities)",
                          ("vote", "probs")),
        "threshold": Setting(float, 0.5, "vote: share of the votes an entity needs"),
        "weights": Setting(list, None, "one weight per prediction file (default: equal)"),
        "lang": Setting(str, None, "language of the data, for the results table"),
    }
    outputs = {"predictions": "predictions.jsonl"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import read_corpus, write_corpus
        from ner.ensemble import ensemble, prediction_summary

        paths = [str(p) for p in inputs["predictions"]]
        systems = [read_corpus(p, repair=True, to_scheme="iob2") for p in paths]
        combined = ensemble(systems, method=settings["method"], threshold=settings["threshold"],
                            weights=settings["weights"], names=paths)
        write_corpus(combined, out / "predictions.jsonl", "jsonl")
        gold = read_corpus(inputs["gold"], repair=True, to_scheme="iob2") if inputs.get("gold") else combined
        return prediction_summary(gold, combined, out, settings["lang"], scored=inputs.get("gold") is not None)


STAGE = Ensemble
