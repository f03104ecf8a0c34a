"""``translate_test``: tag target sentences by translating them into the model's language
(``ner.translate_test.translate_test``); scored against the data's gold tags when it has them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages.base import Setting, Slot, Stage


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
    settings = {
        "src": Setting(str, None, "language of the data (required; usually ${tgt})"),
        "tgt": Setting(str, "en", "language of the NER model"),
        "mt": Setting(str, None, "src -> tgt translation model, hub name or path (default: the pair's)"),
        "backend": Setting(str, "transformers", "translation backend", ("transformers", "ctranslate2")),
        "num_beams": Setting(int, 1, "beams when translating"),
        "projection": Setting(str, "align", "align, or markers through a back-translation", ("align", "markers")),
        "back_mt": Setting(str, None, "projection markers: the tgt -> src model"),
        "aligner": Setting(str, "eflomal", "word aligner that carries the tags back", ("eflomal", "simalign")),
        "align_model": Setting(str, None, "simalign: encoder name or path"),
        "align_layer": Setting(int, 8, "simalign: encoder layer"),
        "batch_size": Setting(int, 32, "sentences per NER batch"),
        "device": Setting(str, "auto", "auto, cpu or cuda"),
        "seed": Setting(int, 0, "random seed"),
        "limit": Setting(int, None, "tag only the first N sentences"),
    }
    outputs = {"predictions": "predictions.jsonl", "translations": "translations.jsonl"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import read_corpus, write_corpus
        from ner.ensemble import prediction_summary
        from ner.translate_test import TranslateTestOptions, translate_test

        if not settings["src"]:
            from augment.core.errors import ConfigError

            raise ConfigError("translate_test: set 'src' (the language of the data)")
        sentences = read_corpus(inputs["data"], repair=True, to_scheme="iob2")[: settings["limit"]]
        options = TranslateTestOptions(
            src=settings["src"], tgt=settings["tgt"],
            mt=str(inputs["mt_model"]) if inputs.get("mt_model") is not None else settings["mt"], backend=settings["backend"],
            num_beams=settings["num_beams"], projection=settings["projection"], back_mt=settings["back_mt"],
            aligner=settings["aligner"], align_model=settings["align_model"],
            align_layer=settings["align_layer"], extra_parallel=tuple(str(p) for p in inputs.get("extra_parallel") or ()),
            batch_size=settings["batch_size"], device=settings["device"], seed=settings["seed"])
        tagged = translate_test(inputs["model"], sentences, options, work_path=out / "translations.jsonl")
        write_corpus(tagged, out / "predictions.jsonl", "jsonl")
        return prediction_summary(sentences, tagged, out, settings["src"])


STAGE = TranslateTest
