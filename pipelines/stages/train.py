"""``train``: NER training with the ConCNER losses (``ner.train.train_model``).

One arm of an experiment is one ``train`` stage: source data only (zero-shot), projected data
only, or source + projected pairs with the contrastive weights; a weight of 0 turns a loss off.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import options_from_settings, pipeline_settings
from ner.options import TrainConfig
from pipelines.stages.base import Slot, Stage


class Train(Stage):
    kind = "train"
    help = "Train a token classifier on labelled data and/or projected translation pairs."
    inputs = {
        "train": Slot("labelled corpora (source language, or gold target data)", required=False, many=True),
        "augmented": Slot("projection JSONL files (target sentence + its source)", required=False, many=True),
        "dev": Slot("a labelled dev file scored each epoch (best epoch kept)", required=False),
        "model": Slot("an encoder directory (e.g. from tiny-encoder); else the 'model' setting", required=False),
    }
    settings = pipeline_settings(TrainConfig)
    outputs = {"model": "model"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        import json

        from ner.train import SUMMARY_FILE, train_model

        s = dict(settings)
        if inputs["model"] is not None:
            s["model"] = str(inputs["model"])
        config = options_from_settings(TrainConfig, s, train=[str(p) for p in inputs["train"]],
                                       augmented=[str(p) for p in inputs["augmented"]],
                                       dev=None if inputs["dev"] is None else str(inputs["dev"]),
                                       out=str(out / "model"))
        train_model(config)
        summary = json.loads((out / "model" / SUMMARY_FILE).read_text("utf-8"))
        return {"best_epoch": summary.get("best_epoch"), "best_dev_f1": summary.get("best_dev_f1"),
                "seed": settings["seed"]}


STAGE = Train
