"""``train``: NER training with the ConCNER losses (``ner.train.train_model``).

One arm of an experiment is one ``train`` stage: source data only (zero-shot), projected data
only, or source + projected pairs with the contrastive weights; a weight of 0 turns a loss off.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages._training import loop_settings
from pipelines.stages.base import Setting, Slot, Stage


class Train(Stage):
    kind = "train"
    help = "Train a token classifier on labelled data and/or projected translation pairs."
    inputs = {
        "train": Slot("labelled corpora (source language, or gold target data)", required=False, many=True),
        "augmented": Slot("projection JSONL files (target sentence + its source)", required=False, many=True),
        "dev": Slot("a labelled dev file scored each epoch (best epoch kept)", required=False),
        "model": Slot("an encoder directory (e.g. from tiny-encoder); else the 'model' setting", required=False),
    }
    settings = {
        "model": Setting(str, "bert-base-multilingual-cased", "encoder hub name or path"),
        "lambda_label": Setting(float, 0.5, "weight of the label-contrastive loss (0 = off)"),
        "lambda_translation": Setting(float, 0.5, "weight of the translation-contrastive loss (0 = off)"),
        "temperature": Setting(float, 0.1, "temperature of both contrastive losses"),
        "o_keep": Setting(float, 0.2, "fraction of O tokens kept in the label-contrastive loss (as `ner train --o-keep`)"),
        "projection_dim": Setting(int, 128, "contrastive projection head size (0 = none)"),
        **loop_settings("freeze embeddings + this many bottom layers",
                        "repair invalid IOB sequences in the inputs"),
    }
    outputs = {"model": "model"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        import json

        from ner.train import SUMMARY_FILE, TrainConfig, train_model

        s = dict(settings)
        model = str(inputs["model"]) if inputs["model"] is not None else s.pop("model")
        s.pop("model", None)
        config = TrainConfig(train=[str(p) for p in inputs["train"]], augmented=[str(p) for p in inputs["augmented"]],
                             dev=None if inputs["dev"] is None else str(inputs["dev"]), out=str(out / "model"),
                             model=model, **s)
        train_model(config)
        summary = json.loads((out / "model" / SUMMARY_FILE).read_text("utf-8"))
        return {"best_epoch": summary.get("best_epoch"), "best_dev_f1": summary.get("best_dev_f1"),
                "seed": settings["seed"]}


STAGE = Train
