"""``translate``: label-preserving machine translation (``augment.translate.translate_corpus``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import options_from_settings, pipeline_settings
from augment.translate.options import TranslateOptions
from augment.translate.sharding import sentence_batches
from pipelines.shards import key_settings, shardable
from pipelines.stages.base import Slot, Stage


@shardable(corpus="corpus", order=sentence_batches)
class Translate(Stage):
    kind = "translate"
    help = "Translate a labelled corpus (markers carry the entities across, or plain translation)."
    inputs = {
        "corpus": Slot("the source sentences (any readable corpus file)"),
        "model": Slot("a translation model directory (e.g. from tiny-marian); else the 'model' setting",
                      required=False),
    }
    settings = pipeline_settings(TranslateOptions)
    outputs = {"translations": "translations.jsonl"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import read_corpus
        from augment.translate import summary
        from augment.translate.options import translate_with

        opts = options_from_settings(TranslateOptions, key_settings(settings))
        if inputs["model"] is not None:
            opts.model = str(inputs["model"])
        sentences = read_corpus(inputs["corpus"], repair=True, to_scheme="iob2")
        records = translate_with(sentences, opts, out_path=out / "translations.jsonl", cache_dir=out.parent / "ct2-cache")
        return {"lang": opts.tgt, "translation": summary(records)}


STAGE = Translate
