"""The translate stage as a unit of sharded work: its batch plan (the sharding hook) and its run.

Each shard gets a contiguous run of the batches an unsharded run decodes (:func:`sentence_batches`,
from the same :func:`augment.translate.plan.plan_translation` the stage uses), so each shard decodes
the very same batches and the merged output is byte-identical to one run, long inputs included.
``augment translate --shards N`` runs :data:`WORK` through the core's shard executor
(:func:`augment.core.shards_file.run_file_sharded`); the pipeline's ``translate`` adapter declares the same
:data:`SHARDING` and runs :func:`translate_files`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from augment.core.shards import Sharding, Work

OUTPUTS = {"translations": "translations.jsonl"}


def plan_file(corpus: str | os.PathLike, model: str | None, *, src: str, tgt: str, method: str,
              open_marker: str = "[", close_marker: str = "]", max_batch_tokens: int | None = None,
              batch_size: int | None = None, limit: int | None = None,
              force_languages: bool = False) -> list[list[int]]:
    """The sentence indices of every batch ``translate_corpus`` decodes for ``corpus`` (read as the
    stages read it) with these options: length-sorted, long inputs split as the stage splits them,
    from the tokenizer alone."""
    from augment.core.io import read_corpus
    from augment.translate.models import resolve
    from augment.translate.plan import SourceCounter, plan_translation
    from augment.translate.stage import source_text

    sentences = read_corpus(corpus, repair=True, to_scheme="iob2")[:limit]
    spec, tok = resolve(model, src, tgt, force_languages=force_languages)
    texts = [source_text(s, method, open_marker, close_marker) for s in sentences]
    return plan_translation(SourceCounter(spec, tok), texts, method, open_marker, close_marker,
                            max_batch_tokens, batch_size).batches


def sentence_batches(inputs: dict[str, Any], settings: dict[str, Any]) -> list[list[int]]:
    """Sharding hook of the translate stage: :func:`plan_file` with its inputs and settings."""
    model = str(inputs["model"]) if inputs.get("model") is not None else settings["model"]
    return plan_file(inputs["corpus"], model, src=settings["src"], tgt=settings["tgt"], method=settings["method"],
                     open_marker=settings["open_marker"], close_marker=settings["close_marker"],
                     max_batch_tokens=settings["max_batch_tokens"], batch_size=settings["batch_size"],
                     limit=settings["limit"], force_languages=settings["force_languages"])


def translate_files(inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
    """One run (or one shard) of the translate stage: ``inputs["corpus"]`` (and an optional
    ``inputs["model"]`` folder) translated into ``out/translations.jsonl``; returns its summary."""
    from augment.core.io import read_corpus
    from augment.core.options import options_from_settings
    from augment.core.shards import key_settings
    from augment.translate.options import TranslateOptions, translate_with
    from augment.translate.stage import summary

    opts = options_from_settings(TranslateOptions, key_settings(settings))
    if inputs.get("model") is not None:
        opts.model = str(inputs["model"])
    sentences = read_corpus(inputs["corpus"], repair=True, to_scheme="iob2")
    records = translate_with(sentences, opts, out_path=out / OUTPUTS["translations"], cache_dir=out.parent / "ct2-cache")
    return {"lang": opts.tgt, "translation": summary(records)}


SHARDING = Sharding({"corpus": "corpus"}, order=sentence_batches)
WORK = Work("translate", f"{__name__}:translate_files", OUTPUTS, SHARDING)
