"""The options of ``augment translate`` and the pipeline ``translate`` stage, declared once.

Both build a :class:`TranslateOptions` and call :func:`translate_with`, which passes it to
:func:`augment.translate.stage.translate_corpus`. Reading the input (format, tag scheme, repair)
is not translation and stays with each caller.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from augment.core.options import device_option, force_option, opt
from augment.core.record import Sentence
from augment.translate.backends import DTYPES, PARTS
from augment.translate.batching import NUM_BEAMS
from augment.translate.markers import METHODS

BACKENDS = PARTS.names()


def backend_option(help: str = "Translation backend.") -> Any:
    """The translation backend option: one of the backends found in ``augment/translate/backends/``."""
    return opt("transformers", help, choices=list(BACKENDS))


def num_beams_option(help: str = "1 = greedy; more = beam search.") -> Any:
    """The beam-search width option (:data:`NUM_BEAMS`: greedy by default; never sampling)."""
    return opt(NUM_BEAMS, help)



@dataclass
class TranslateOptions:
    """What ``translate_corpus`` needs besides the sentences and where to write."""

    src: str = opt("en", "Source language: ISO 639-1 or 639-3 code (en, eng).", required=True)
    tgt: str | None = opt(None, "Target language: ISO 639-1 or 639-3 code (yo, yor); in a pipeline usually ${tgt}.",
                          required=True)
    model: str | None = opt(None, "Hub name or local path of a Marian or NLLB model. Default: an OPUS-MT pair "
                                  "model where one is known, else facebook/nllb-200-distilled-600M "
                                  "(see docs/translate.md).")
    backend: str = backend_option("ctranslate2 is faster on CPU (pip install 'xner[fast]'); the model is "
                                  "converted once into a cache directory.")
    method: str = opt("markers", "markers: wrap entities in markers and read them back as target tags; "
                                 "plain: translation only (for alignment-based projection).", choices=METHODS)
    open_marker: str = opt("[", "String that opens an entity.")
    close_marker: str = opt("]", "String that closes an entity.")
    batch_size: int | None = opt(None, "Sentences per batch (instead of a token budget).")
    max_batch_tokens: int | None = opt(None, "Padded source subwords per batch (default 4096, at most 64 sentences).")
    num_beams: int = num_beams_option()
    device: str = device_option()
    dtype: str = opt("auto", "auto: fp32 on CPU and bf16/fp16 on CUDA (transformers); int8 on CPU and fp16 on "
                             "CUDA (ctranslate2). int8 needs ctranslate2.", choices=list(DTYPES))
    cache_dir: str | None = opt(None, "Where converted CTranslate2 models are kept (default $XNER_CACHE/ct2 or "
                                      "~/.cache/xner/ct2).", cli_only=True)
    seed: int = opt(0, "Random seed.")
    limit: int | None = opt(None, "Translate only the first N sentences.")
    force: bool = force_option()
    force_languages: bool = opt(False, "Use the model even when the languages it declares (tokenizer, config, "
                                       "name) contradict --src/--tgt.")


def translate_with(sentences: Iterable[Sentence], options: TranslateOptions, *, out_path: str | os.PathLike | None,
                   cache_dir: str | os.PathLike | None = None) -> list[dict[str, Any]]:
    """:func:`augment.translate.stage.translate_corpus` with ``options`` (``cache_dir``, when
    given, replaces ``options.cache_dir``)."""
    from augment.core.errors import ConfigError
    from augment.translate.stage import translate_corpus

    if not options.tgt:
        raise ConfigError("translate needs a target language (--tgt, or the setting 'tgt: ${tgt}')")
    return translate_corpus(
        sentences, src=options.src, tgt=options.tgt, model=options.model, backend=options.backend,
        method=options.method, open_marker=options.open_marker, close_marker=options.close_marker,
        num_beams=options.num_beams, batch_size=options.batch_size, max_batch_tokens=options.max_batch_tokens,
        device=options.device, dtype=options.dtype, seed=options.seed, limit=options.limit, out_path=out_path,
        cache_dir=cache_dir if cache_dir is not None else options.cache_dir, force_languages=options.force_languages,
        fresh=options.force)
