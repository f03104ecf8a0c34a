"""``translate``: label-preserving machine translation (``augment.translate.translate_corpus``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import options_from_settings, pipeline_settings
from augment.translate.options import TranslateOptions
from pipelines.shards import key_settings, shardable
from pipelines.stages.base import Slot, Stage


def _batches(inputs: dict[str, Any], settings: dict[str, Any]) -> list[list[int]]:
    """Sharding hook: the batches ``translate_corpus`` decodes (length-sorted; a sentence in another
    batch gets other padding, hence other floats), from the tokenizer alone, as the backends count."""
    from augment.core import read_corpus
    from augment.translate.batching import plan_batches
    from augment.translate.models import resolve
    from augment.translate.stage import source_text

    model = str(inputs["model"]) if inputs["model"] is not None else settings["model"]
    sentences = read_corpus(inputs["corpus"], repair=True, to_scheme="iob2")[: settings["limit"]]
    spec, tok = resolve(model, settings["src"], settings["tgt"])
    texts = [spec.prefix + source_text(s, settings["method"], settings["open_marker"], settings["close_marker"])[0]
             for s in sentences]
    lengths = [len(ids) for ids in tok(texts, truncation=True)["input_ids"]]
    return plan_batches(lengths, settings["max_batch_tokens"], settings["batch_size"])


@shardable(corpus="corpus", order=_batches)
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
