"""``translate_test``: tag target sentences by translating them into the model's language
(``ner.translate_test.translate_test``); scored against the data's gold tags when it has them.

Shardable when the aligner is SimAlign (each pair aligned on its own); eflomal learns from the
whole corpus, so an eflomal run is never cut. Shards follow the translation's batch plan (each
sentence is translated in the batch an unsharded run puts it in) and do the per-sentence half
(``tag_translations``); the projection back, whose Dice clean-up counts links over the whole
corpus, runs once on the merged records (``project_back``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from align.api import learns_from_whole_corpus
from augment.core.options import options_from_settings, pipeline_settings
from ner.translate_test import TranslateTestOptions
from pipelines.shards import key_settings, shardable
from pipelines.stages.base import Slot, Stage


def _batches(inputs: dict[str, Any], settings: dict[str, Any]) -> list[list[int]]:
    """Sharding hook: the batches the src -> tgt translation decodes (the translate stage's own plan,
    plain translation with its default token budget)."""
    from augment.translate.sharding import plan_file

    mt = str(inputs["mt_model"]) if inputs.get("mt_model") is not None else settings["mt"]
    return plan_file(inputs["data"], mt, src=settings["src"], tgt=settings["tgt"], method="plain",
                     limit=settings["limit"])


def _project_merged(out: Path, settings: dict[str, Any], summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Sharding hook: the shards translated, tagged and aligned their sentences; the projection
    back (Dice scores over the whole corpus) and the score run once on the merged records."""
    from augment.core import read_corpus, write_corpus
    from ner.ensemble import prediction_summary
    from ner.translate_test import project_back

    found = read_corpus(out / "predictions.jsonl")
    tagged = project_back(found)
    write_corpus(tagged, out / "predictions.jsonl", "jsonl")
    return prediction_summary(found, tagged, out, settings["src"])


@shardable(data="corpus", order=_batches, whole=True, finish=_project_merged,
           when=lambda s: not learns_from_whole_corpus(s["aligner"]))
class TranslateTest(Stage):
    kind = "translate_test"
    help = "Translate target sentences into the NER model's language, tag them, project the tags back."
    inputs = {
        "model": Slot("a trained NER model directory in the tgt language"),
        "data": Slot("target-language sentences (gold tags, if any, are used only for scoring)"),
        "extra_parallel": Slot("eflomal: more src/tgt parallel text to align with", required=False, many=True),
        "mt_model": Slot("a src -> tgt translation model directory (e.g. from train_mt); else the 'mt' setting",
                         required=False),
    }
    settings = pipeline_settings(TranslateTestOptions)
    outputs = {"predictions": "predictions.jsonl", "translations": "translations.jsonl"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import read_corpus, write_corpus
        from ner.ensemble import prediction_summary
        from ner.translate_test import project_back, tag_translations

        settings = key_settings(settings)
        shard = settings.pop("_whole_inputs", None) is not None
        extra = [str(p) for p in inputs.get("extra_parallel") or ()]
        options = options_from_settings(TranslateTestOptions, settings, extra_parallel=extra)
        if inputs.get("mt_model") is not None:  # e.g. a train_mt stage's output
            options.mt = str(inputs["mt_model"])
        sentences = read_corpus(inputs["data"], repair=True, to_scheme="iob2")[: options.limit]
        found = tag_translations(inputs["model"], sentences, options, work_path=out / "translations.jsonl")
        if shard:  # the projection needs the whole corpus: _project_merged does it after the merge
            write_corpus(found, out / "predictions.jsonl", "jsonl")
            return {}
        tagged = project_back(found)
        write_corpus(tagged, out / "predictions.jsonl", "jsonl")
        return prediction_summary(sentences, tagged, out, options.src)


STAGE = TranslateTest
