"""``translate``: label-preserving machine translation (``augment.translate.translate_corpus``).

The run and its sharding are the translate stage's own (:mod:`augment.translate.sharding`), the
very ones ``augment translate [--shards N]`` uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import pipeline_settings
from augment.translate.options import TranslateOptions
from augment.translate.sharding import OUTPUTS, SHARDING, translate_files
from pipelines.shards import shardable
from pipelines.stages.base import Slot, Stage


@shardable(spec=SHARDING)
class Translate(Stage):
    kind = "translate"
    help = "Translate a labelled corpus (markers carry the entities across, or plain translation)."
    inputs = {
        "corpus": Slot("the source sentences (any readable corpus file)"),
        "model": Slot("a translation model directory (e.g. from tiny-marian); else the 'model' setting",
                      required=False),
    }
    settings = pipeline_settings(TranslateOptions)
    outputs = dict(OUTPUTS)
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        return translate_files(inputs, settings, out)


STAGE = Translate
