"""``evaluate``: entity P/R/F1 of a model on gold data (``ner.evaluate.evaluate_model``).

Its summary (``metrics``) is what the results table reads: one row per evaluate run, labelled
by the stage's ``label`` (the arm), the grid's ``tgt`` and ``seed``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import options_from_settings, pipeline_settings
from ner.options import EvaluateOptions
from pipelines.stages.base import Slot, Stage


class Evaluate(Stage):
    kind = "evaluate"
    help = "Score a trained model on a labelled file (overall and per type, seqeval-identical)."
    inputs = {
        "model": Slot("a trained NER model directory (train or distill stage)"),
        "data": Slot("gold labelled data"),
    }
    settings = pipeline_settings(EvaluateOptions)
    outputs = {"metrics": "metrics.json"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        import json

        from augment.core import read_corpus
        from augment.core.fileio import atomic_write
        from ner.evaluate import evaluate_model

        opts = options_from_settings(EvaluateOptions, settings)
        sentences = read_corpus(inputs["data"], repair=True, to_scheme="iob2")[: opts.limit]
        scores = evaluate_model(inputs["model"], sentences, **opts.library_kwargs(), where=inputs["data"])
        with atomic_write(out / "metrics.json") as fh:
            json.dump(scores, fh, indent=1, sort_keys=True)
        summary: dict[str, Any] = {"metrics": scores, "sentences": len(sentences)}
        if opts.lang:
            summary["lang"] = opts.lang
        return summary


STAGE = Evaluate
