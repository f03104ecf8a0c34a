"""``mlm``: masked-LM pretraining of an encoder on unlabelled text (``ner.mlm.pretrain_mlm``).

Lets a from-scratch tiny encoder learn something about both languages before NER training;
every arm of an experiment then starts from the same pretrained encoder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages.base import Setting, Slot, Stage


class MaskedLM(Stage):
    kind = "mlm"
    help = "Continue training an encoder with the masked-LM objective on the text of the given files."
    inputs = {
        "model": Slot("the encoder directory to start from (e.g. from tiny-encoder)", required=False),
        "texts": Slot("corpus files, plain text or parallel .tsv (both sides)", many=True),
    }
    settings = {
        "model": Setting(str, None, "encoder hub name or path when no model input is given"),
        "max_sentences": Setting(int, None, "read at most this many sentences of each file"),
        "epochs": Setting(int, 1, "passes over the text"),
        "batch_size": Setting(int, 32, "sentences per batch"),
        "max_length": Setting(int, 64, "subwords per sentence"),
        "lr": Setting(float, 5e-4, "peak learning rate"),
        "mask_prob": Setting(float, 0.15, "fraction of masked subwords"),
        "seed": Setting(int, 0, "random seed"),
    }
    outputs = {"model": "model"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        import json

        from augment.core.errors import ConfigError
        from ner.mlm import pretrain_mlm
        from pipelines.stages._text import iter_texts

        model = inputs["model"] if inputs["model"] is not None else settings["model"]
        if model is None:
            raise ConfigError("mlm needs an encoder: a 'model' input or the 'model' setting")
        texts = [t for p in inputs["texts"] for t in iter_texts(p, settings["max_sentences"])]
        pretrain_mlm(str(model), texts, out / "model", epochs=settings["epochs"], batch_size=settings["batch_size"],
                     max_length=settings["max_length"], lr=settings["lr"], mask_prob=settings["mask_prob"],
                     seed=settings["seed"])
        log = json.loads((out / "model" / "mlm_log.json").read_text("utf-8"))
        return {"texts": len(texts), "loss_first": log.get("loss_first"), "loss_last": log.get("loss_last")}


STAGE = MaskedLM
