"""``predict``: tag sentences with a trained model (``ner.predict.predict``), e.g. silver labels
for the English side of a parallel corpus before projecting them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.shards import shardable
from pipelines.stages.base import Setting, Slot, Stage


def _batches(inputs: dict[str, Any], settings: dict[str, Any]) -> list[list[int]]:
    """Sharding hook: the length-sorted batches ``ner.predict.predict`` runs (a sentence in another
    batch gets other padding, hence other floats)."""
    from augment.core import read_corpus
    from ner.data import WordEncoder, length_batches
    from ner.model import load_model
    from ner.predict import _max_length

    sentences = read_corpus(inputs["data"], repair=True, to_scheme="iob2")[: settings["limit"]]
    model, tokenizer, _ = load_model(inputs["model"], "cpu")
    examples = WordEncoder(tokenizer, _max_length(model, 512)).encode_all(sentences)
    return length_batches(examples, settings["batch_size"])


@shardable(data="corpus", order=_batches)
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
