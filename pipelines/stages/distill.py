"""``distill``: teacher-student distillation on unlabelled target text (``ner.distill.distill``).

One teacher (ConCNER's last step) or several (Wu et al. 2020 multi-source: ``weights: uniform``,
``similarity`` or explicit ``"0.5,0.3,0.2"``); each is one line of config.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages._training import loop_settings
from pipelines.stages.base import Setting, Slot, Stage


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
    settings = {
        "student": Setting(str, None, "student encoder hub name or path when no student input is given"),
        "weights": Setting(str, "uniform", "uniform, similarity, or explicit weights 'w1,w2,...'"),
        "similarity_temperature": Setting(float, 1.0, "temperature of the language-similarity softmax"),
        "loss": Setting(str, "mse", "mse (Wu et al.) or kl", ("mse", "kl")),
        "temperature": Setting(float, 1.0, "KL temperature"),
        "hard_label_weight": Setting(float, 0.0, "weight of cross-entropy on the teachers' argmax labels"),
        **loop_settings("freeze embeddings + this many bottom layers (Wu et al.: 3)",
                        "repair invalid IOB sequences in the dev file"),
    }
    outputs = {"model": "model"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        import json

        from ner.distill import DistillConfig, distill
        from ner.distill.run import WEIGHTS_FILE

        s = dict(settings)
        student = str(inputs["student"]) if inputs["student"] is not None else s["student"]
        s.pop("student")
        config = DistillConfig(teachers=[str(t) for t in inputs["teachers"]], unlabeled=str(inputs["unlabeled"]),
                               out=str(out / "model"), student=student,
                               source_text=[str(p) for p in inputs["source_text"]],
                               dev=None if inputs["dev"] is None else str(inputs["dev"]), **s)
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
