"""``predict``: tag sentences with a trained model (``ner.predict.predict``), e.g. silver labels
for the English side of a parallel corpus before projecting them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import options_from_settings, pipeline_settings
from ner.options import PredictOptions
from pipelines.shards import key_settings, shardable
from pipelines.stages.base import Slot, Stage


def _batches(inputs: dict[str, Any], settings: dict[str, Any]) -> list[list[int]]:
    """Sharding hook: the length-sorted batches ``ner.predict.predict`` runs (a sentence in another
    batch gets other padding, hence other floats)."""
    from augment.core import read_corpus
    from ner.data import WordEncoder, length_batches
    from ner.model import load_model
    from ner.predict import _max_length

    sentences = read_corpus(inputs["data"], repair=True, to_scheme="iob2")[: settings["limit"]]
    model, tokenizer, _ = load_model(inputs["model"], "cpu")
    examples = WordEncoder(tokenizer, _max_length(model, settings["max_length"])).encode_all(sentences)
    return length_batches(examples, settings["batch_size"])


@shardable(data="corpus", order=_batches)
class Predict(Stage):
    kind = "predict"
    help = "Tag any readable file (plain text too) with a trained NER model; writes JSONL."
    inputs = {
        "model": Slot("a trained NER model directory"),
        "data": Slot("sentences to tag (gold tags, if any, are replaced)"),
    }
    settings = pipeline_settings(PredictOptions)
    outputs = {"predictions": "predictions.jsonl"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import read_corpus, write_corpus
        from ner.predict import predict

        opts = options_from_settings(PredictOptions, key_settings(settings))
        sentences = read_corpus(inputs["data"], repair=True, to_scheme="iob2")[: opts.limit]
        tagged = predict(inputs["model"], sentences, **opts.library_kwargs())
        write_corpus(tagged, out / "predictions.jsonl", "jsonl")
        entities = sum(len(s.spans) for s in tagged)
        return {"sentences": len(tagged), "entities": entities}


STAGE = Predict
