"""``distill``: teacher-student distillation on unlabelled target text (``ner.distill.distill``).

One teacher (ConCNER's last step) or several (Wu et al. 2020 multi-source: ``weights: uniform``,
``similarity`` or explicit ``"0.5,0.3,0.2"``); each is one line of config.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import options_from_settings, pipeline_settings
from ner.options import DistillConfig
from pipelines.stages.base import Slot, Stage


class Distill(Stage):
    kind = "distill"
    help = "Distil one or more trained teachers into a student on unlabelled target-language text."
    inputs = {
        "teachers": Slot("trained NER model directories (train stages), all with the same label set", many=True),
        "unlabeled": Slot("target-language text: plain text or any corpus (tags ignored)"),
        "student": Slot("the encoder the student starts from; default: the first teacher's", required=False),
        "dev": Slot("a labelled dev file scored each epoch (best epoch kept)", required=False),
        "source_text": Slot("per teacher, text of its source language (similarity weights; default: "
                            "each teacher's first training file)", required=False, many=True),
    }
    settings = pipeline_settings(DistillConfig)
    outputs = {"model": "model"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        import json

        from ner.distill import distill
        from ner.distill.run import WEIGHTS_FILE

        s = dict(settings)
        if inputs["student"] is not None:
            s["student"] = str(inputs["student"])
        config = options_from_settings(DistillConfig, s, teachers=[str(t) for t in inputs["teachers"]],
                                       unlabeled=str(inputs["unlabeled"]), out=str(out / "model"),
                                       source_text=[str(p) for p in inputs["source_text"]],
                                       dev=None if inputs["dev"] is None else str(inputs["dev"]))
        distill(config)
        summary: dict[str, Any] = {"teachers": len(config.teachers), "seed": settings["seed"]}
        weights = out / "model" / WEIGHTS_FILE
        if weights.is_file():
            summary["teacher_weights"] = json.loads(weights.read_text("utf-8")).get("weights")
        done = out / "model" / "summary.json"
        if done.is_file():
            summary["best_dev_f1"] = json.loads(done.read_text("utf-8")).get("best_dev_f1")
        return summary


STAGE = Distill
