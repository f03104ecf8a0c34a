"""The CTranslate2 backend: a transformers model converted once, then int8 decoding on CPU.

The first use of a model converts it (``TransformersConverter``) into a cache directory keyed by
the model's identity (hub name, or a local directory's file names, sizes and times) and the
CTranslate2 version: ``--cache-dir``, else ``$XNER_CACHE/ct2``, else ``~/.cache/xner/ct2``. The
conversion keeps float32 weights; the compute type is chosen at load time (int8 on CPU and
float16 on CUDA by default). CTranslate2 assumes the ``<pad>`` embedding row is zero, as in every
released Marian/NLLB model (the tiny builders keep it so).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from augment.core.checkpoint import fingerprint
from augment.core.errors import ConfigError, MissingExtraError, ModelError
from augment.core.fileio import atomic_path
from augment.core.hub import local_copy, quietly
from augment.translate.batching import NUM_BEAMS, max_new_tokens
from augment.translate.models import ModelSpec, model_identity
from augment.translate.plan import SourceCounter

_COMPUTE = {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16", "int8": "int8"}


def _import():
    try:
        import ctranslate2
    except ImportError:
        raise MissingExtraError("ctranslate2", "fast") from None
    return ctranslate2


def _torch_threads() -> int:
    try:
        import torch
    except ImportError:  # pragma: no cover
        return 0
    return torch.get_num_threads()


def cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """Where converted models live (see the module docstring)."""
    if cache_dir is not None:
        return Path(cache_dir)
    if os.environ.get("XNER_CACHE"):
        return Path(os.environ["XNER_CACHE"]) / "ct2"
    return Path.home() / ".cache" / "xner" / "ct2"


@quietly
def converted_model(model: str, cache_dir: str | os.PathLike | None = None) -> Path:
    """The CTranslate2 directory for ``model``, converting it on first use (atomically)."""
    ct2 = _import()
    key = fingerprint({"model": model_identity(model), "ctranslate2": ct2.__version__})[:16]
    out = cache_root(cache_dir) / key
    if (out / "model.bin").is_file():
        return out
    try:
        with atomic_path(out) as tmp:
            _converter_class(ct2)(local_copy(model)).convert(str(tmp), force=True)
    except (OSError, ValueError, NotImplementedError) as err:
        raise ModelError(f"cannot convert '{model}' to CTranslate2: {str(err).splitlines()[0]}") from None
    return out


class _LanguageTokensView:
    """A tokenizer seen with its M2M100 ``__xx__`` language tokens listed as additional special
    tokens, where CTranslate2's M2M100 loader looks for them (transformers 5 no longer lists them
    there, and the conversion then fails on a vocabulary size mismatch)."""

    def __init__(self, tokenizer, tokens: list[str]):
        self._tok = tokenizer
        self.special_tokens_map = {**tokenizer.special_tokens_map, "additional_special_tokens": tokens}

    def __getattr__(self, name: str):
        return getattr(self._tok, name)


def _converter_class(ct2):
    """``TransformersConverter``, with M2M100 language tokens made visible to it."""

    class Converter(ct2.converters.TransformersConverter):
        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            tok = super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs)
            codes = list(getattr(tok, "lang_token_to_id", None) or ())
            if codes and not tok.special_tokens_map.get("additional_special_tokens"):
                return _LanguageTokensView(tok, codes)
            return tok

    return Converter


class CTranslate2Backend(SourceCounter):
    name = "ctranslate2"

    def __init__(self, spec: ModelSpec, tokenizer, *, device: str = "auto", dtype: str = "auto",
                 cache_dir: str | None = None):
        ct2 = _import()
        SourceCounter.__init__(self, spec, tokenizer)
        if device == "auto":
            device = "cuda" if ct2.get_cuda_device_count() > 0 else "cpu"
        elif device == "cuda" and ct2.get_cuda_device_count() == 0:
            raise ConfigError("--device cuda given but CTranslate2 sees no CUDA device")
        if dtype == "auto":
            compute = "int8" if device == "cpu" else "float16"
        else:
            compute = _COMPUTE[dtype]
            if device == "cuda" and compute == "int8":
                compute = "int8_float16"
        self.device, self.compute_type = device, compute
        self.path = converted_model(spec.model, cache_dir)
        try:
            # same CPU thread count as torch, so both backends are compared on equal terms
            threads = _torch_threads() if device == "cpu" else 0
            self.translator = ct2.Translator(str(self.path), device=device, compute_type=compute,
                                             intra_threads=threads)
        except (RuntimeError, ValueError) as err:
            raise ModelError(f"cannot load the CTranslate2 model {self.path}: {str(err).splitlines()[0]}") from None
        limit = getattr(tokenizer, "model_max_length", None)
        limits = [limit if isinstance(limit, int) and limit < 100_000 else None,
                  spec.max_positions - 1 if spec.max_positions else None]
        self.limit = min((x for x in limits if x), default=None)

    def _source_tokens(self, texts: list[str]) -> list[list[str]]:
        cut = self.max_source_tokens is not None
        ids = self.tok([self.spec.prefix + t for t in texts], truncation=cut,
                       max_length=self.max_source_tokens if cut else None)["input_ids"]
        return [self.tok.convert_ids_to_tokens(x) for x in ids]

    def translate(self, texts: list[str], *, num_beams: int = NUM_BEAMS) -> list[str]:
        if not texts:
            return []
        source = self._source_tokens(texts)
        prefix = [[self.spec.forced_bos]] * len(source) if self.spec.forced_bos else None
        results = self.translator.translate_batch(
            source, target_prefix=prefix, beam_size=num_beams,
            max_decoding_length=max_new_tokens(max(map(len, source)), self.limit))
        out = []
        for r in results:
            hyp = r.hypotheses[0][1:] if prefix else r.hypotheses[0]
            ids = self.tok.convert_tokens_to_ids(hyp)
            out.append(self.tok.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False))
        return out

    def info(self) -> dict[str, Any]:
        return {**self.spec.info(), "backend": self.name, "device": self.device, "dtype": self.compute_type}


BACKEND = CTranslate2Backend
