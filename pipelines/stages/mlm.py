"""``mlm``: masked-LM pretraining of an encoder on unlabelled text (``ner.mlm.pretrain_mlm``).

Lets a from-scratch tiny encoder learn something about both languages before NER training;
every arm of an experiment then starts from the same pretrained encoder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import options_from_settings, pipeline_settings
from ner.options import MlmOptions
from pipelines.stages._text import EXCLUDE_HELP
from pipelines.stages.base import Slot, Stage


class MaskedLM(Stage):
    kind = "mlm"
    help = "Continue training an encoder with the masked-LM objective on the text of the given files."
    inputs = {
        "model": Slot("the encoder directory to start from (e.g. from tiny-encoder)", required=False),
        "texts": Slot("corpus files, plain text or parallel .tsv (both sides)", many=True),
        "exclude": Slot(EXCLUDE_HELP, required=False, many=True),
    }
    settings = pipeline_settings(MlmOptions)
    outputs = {"model": "model"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        import json

        from augment.core.errors import ConfigError
        from ner.mlm import pretrain_mlm
        from pipelines.stages._text import read_texts

        opts = options_from_settings(MlmOptions, settings)
        model = inputs["model"] if inputs["model"] is not None else opts.model
        if model is None:
            raise ConfigError("mlm needs an encoder: a 'model' input or the 'model' setting")
        texts, decontaminated = read_texts(inputs["texts"], opts.max_sentences, inputs.get("exclude"))
        pretrain_mlm(str(model), texts, out / "model", **opts.library_kwargs())
        log = json.loads((out / "model" / "mlm_log.json").read_text("utf-8"))
        return {"texts": len(texts), "loss_first": log.get("loss_first"), "loss_last": log.get("loss_last"),
                **decontaminated}


STAGE = MaskedLM
