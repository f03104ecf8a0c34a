"""``ensemble``: combine several systems' predictions of the same sentences (``ner.ensemble``);
scored against gold data when given, like an evaluate stage (its summary has ``metrics``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import options_from_settings, pipeline_settings
from ner.ensemble import EnsembleOptions
from pipelines.stages.base import Slot, Stage


class Ensemble(Stage):
    kind = "ensemble"
    help = "Entity voting or probability averaging over two or more prediction files."
    inputs = {
        "predictions": Slot("prediction files of the same sentences (predict / translate_test outputs)", many=True),
        "gold": Slot("gold labelled version of the sentences, for scoring", required=False),
    }
    settings = pipeline_settings(EnsembleOptions)
    outputs = {"predictions": "predictions.jsonl"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import read_corpus, write_corpus
        from ner.ensemble import ensemble_files, prediction_summary

        options = options_from_settings(EnsembleOptions, settings)
        _, combined = ensemble_files([str(p) for p in inputs["predictions"]], options)
        write_corpus(combined, out / "predictions.jsonl", "jsonl")
        gold = read_corpus(inputs["gold"], repair=True, to_scheme="iob2") if inputs.get("gold") else combined
        return prediction_summary(gold, combined, out, options.lang, scored=inputs.get("gold") is not None)


STAGE = Ensemble
