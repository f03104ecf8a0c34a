"""``evaluate``: entity P/R/F1 of a model on gold data (``ner.evaluate.evaluate_model``).

Its summary (``metrics``) is what the results table reads: one row per evaluate run, labelled
by the stage's ``label`` (the arm), the grid's ``tgt`` and ``seed``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages.base import Setting, Slot, Stage


class Evaluate(Stage):
    kind = "evaluate"
    help = "Score a trained model on a labelled file (overall and per type, seqeval-identical)."
    inputs = {
        "model": Slot("a trained NER model directory (train or distill stage)"),
        "data": Slot("gold labelled data"),
    }
    settings = {
        "types": Setting(list, None, "score only these entity types, e.g. [PER, ORG, LOC]"),
        "map": Setting(dict, None, "rename types on both sides first; a type mapped to O is dropped"),
        "lang": Setting(str, None, "language of the data, for the results table (default: grid tgt)"),
        "batch_size": Setting(int, 32, "sentences per batch"),
        "device": Setting(str, "auto", "auto, cpu or cuda"),
        "limit": Setting(int, None, "score only the first N sentences (smoke runs)"),
    }
    outputs = {"metrics": "metrics.json"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        import json

        from augment.core import read_corpus
        from augment.core.fileio import atomic_write
        from ner.evaluate import evaluate_model

        sentences = read_corpus(inputs["data"], repair=True, to_scheme="iob2")[: settings["limit"]]
        mapping = {k: (None if v in (None, "O") else v) for k, v in (settings["map"] or {}).items()}
        scores = evaluate_model(inputs["model"], sentences, types=settings["types"], mapping=mapping or None,
                                batch_size=settings["batch_size"], device=settings["device"], where=inputs["data"])
        with atomic_write(out / "metrics.json") as fh:
            json.dump(scores, fh, indent=1, sort_keys=True)
        summary: dict[str, Any] = {"metrics": scores, "sentences": len(sentences)}
        if settings["lang"]:
            summary["lang"] = settings["lang"]
        return summary


STAGE = Evaluate
