"""``translate``: label-preserving machine translation (``augment.translate.translate_corpus``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.shards import shardable
from pipelines.stages.base import Setting, Slot, Stage


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
    settings = {
        "src": Setting(str, "en", "source language code"),
        "tgt": Setting(str, None, "target language code (usually ${tgt})"),
        "model": Setting(str, None, "hub name or path (default: the pair's default model)"),
        "backend": Setting(str, "transformers", "transformers or ctranslate2", ("transformers", "ctranslate2")),
        "method": Setting(str, "markers", "markers or plain", ("markers", "plain")),
        "num_beams": Setting(int, 1, "beam size (1 = greedy)"),
        "batch_size": Setting(int, None, "sentences per batch"),
        "max_batch_tokens": Setting(int, None, "subword tokens per batch (instead of batch_size)"),
        "device": Setting(str, "auto", "auto, cpu or cuda"),
        "dtype": Setting(str, "auto", "auto, fp32, fp16, bf16 or int8"),
        "open_marker": Setting(str, "[", "marker opening an entity"),
        "close_marker": Setting(str, "]", "marker closing an entity"),
        "limit": Setting(int, None, "translate at most this many sentences"),
        "seed": Setting(int, 0, "random seed"),
    }
    outputs = {"translations": "translations.jsonl"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import read_corpus
        from augment.core.errors import ConfigError
        from augment.translate import summary, translate_corpus

        if not settings["tgt"]:
            raise ConfigError("translate needs the setting 'tgt' (e.g. tgt: ${tgt})")
        model = str(inputs["model"]) if inputs["model"] is not None else settings["model"]
        sentences = read_corpus(inputs["corpus"], repair=True, to_scheme="iob2")
        records = translate_corpus(
            sentences, src=settings["src"], tgt=settings["tgt"], model=model, backend=settings["backend"],
            method=settings["method"], open_marker=settings["open_marker"], close_marker=settings["close_marker"],
            num_beams=settings["num_beams"], batch_size=settings["batch_size"],
            max_batch_tokens=settings["max_batch_tokens"], device=settings["device"], dtype=settings["dtype"],
            seed=settings["seed"], limit=settings["limit"], out_path=out / "translations.jsonl",
            cache_dir=out.parent / "ct2-cache")
        return {"lang": settings["tgt"], "translation": summary(records)}


STAGE = Translate
