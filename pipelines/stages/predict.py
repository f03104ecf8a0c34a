"""``predict``: tag sentences with a trained model (``ner.predict.predict``), e.g. silver labels
for the English side of a parallel corpus before projecting them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.shards import shardable
from pipelines.stages.base import Setting, Slot, Stage


@shardable(data="corpus")
class Predict(Stage):
    kind = "predict"
    help = "Tag any readable file (plain text too) with a trained NER model; writes JSONL."
    inputs = {
        "model": Slot("a trained NER model directory"),
        "data": Slot("sentences to tag (gold tags, if any, are replaced)"),
    }
    settings = {
        "batch_size": Setting(int, 32, "sentences per batch"),
        "device": Setting(str, "auto", "auto, cpu or cuda"),
        "limit": Setting(int, None, "tag only the first N sentences"),
    }
    outputs = {"predictions": "predictions.jsonl"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import read_corpus, write_corpus
        from ner.predict import predict

        sentences = read_corpus(inputs["data"], repair=True, to_scheme="iob2")[: settings["limit"]]
        tagged = predict(inputs["model"], sentences, batch_size=settings["batch_size"], device=settings["device"])
        write_corpus(tagged, out / "predictions.jsonl", "jsonl")
        entities = sum(len(s.spans) for s in tagged)
        return {"sentences": len(tagged), "entities": entities}


STAGE = Predict
