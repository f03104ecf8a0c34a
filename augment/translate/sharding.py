"""How the translate stage is cut into shards: its batch plan (the sharding hook).

Each shard gets a contiguous run of the batches an unsharded run decodes (:func:`sentence_batches`,
from the same :func:`augment.translate.plan.plan_translation` the stage uses), so each shard decodes
the very same batches and the merged output is byte-identical to one run, long inputs included.
"""

from __future__ import annotations

from typing import Any


def sentence_batches(inputs: dict[str, Any], settings: dict[str, Any]) -> list[list[int]]:
    """The sentence indices of every batch ``translate_corpus`` decodes for this corpus and these
    settings (length-sorted; long inputs split as the stage splits them), from the tokenizer alone."""
    from augment.core import read_corpus
    from augment.translate.models import resolve
    from augment.translate.plan import SourceCounter, plan_translation
    from augment.translate.stage import source_text

    model = str(inputs["model"]) if inputs.get("model") is not None else settings["model"]
    sentences = read_corpus(inputs["corpus"], repair=True, to_scheme="iob2")[: settings["limit"]]
    spec, tok = resolve(model, settings["src"], settings["tgt"], force_languages=settings.get("force_languages", False))
    texts = [source_text(s, settings["method"], settings["open_marker"], settings["close_marker"]) for s in sentences]
    return plan_translation(SourceCounter(spec, tok), texts, settings["method"], settings["open_marker"],
                            settings["close_marker"], settings["max_batch_tokens"], settings["batch_size"]).batches
