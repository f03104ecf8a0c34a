"""Load a translation model's tokenizer and work out how to drive it for a language pair.

Families: ``marian`` (OPUS-MT pair models, and multi-target ones that want a ``>>yor<<`` token in
front of the source) and ``nllb`` (NLLB-200 / M2M100 with ``yor_Latn``-style codes: the source
code set on the tokenizer, the target code forced as the first generated token), and ``m2m100``
(M2M100 with ``__yo__``-style codes, driven the same way). Everything a
backend needs is in a :class:`ModelSpec`; backends never look at language codes themselves.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from augment.core.errors import ConfigError, ModelError
from augment.core.hub import from_pretrained, model_location
from augment.translate import languages

_NLLB_CODE = re.compile(r"[a-z]{3}_[A-Z][a-z]{3}")


@dataclass
class ModelSpec:
    """How to translate ``src`` -> ``tgt`` with one model."""

    model: str  #: hub name or local path, as given
    family: str  #: "marian", "nllb" or "m2m100"
    src_code: str  #: code as the model knows it (NLLB code, or the ISO code for Marian)
    tgt_code: str
    prefix: str = ""  #: text put in front of every source sentence (multi-target Marian)
    forced_bos: str | None = None  #: first target token (NLLB, M2M100)
    max_positions: int | None = None  #: the model's position limit (source and target sides)
    max_source: int | None = None  #: source subwords a sentence may have (positions, tokenizer limit)

    def info(self) -> dict[str, Any]:
        # a local model by its folder name: an absolute path would make equal outputs differ by
        # where they were made (the weights are fingerprinted separately, by model_identity)
        model = Path(self.model).name if Path(self.model).is_dir() else self.model
        return {"model": model, "family": self.family, "src_code": self.src_code, "tgt_code": self.tgt_code}


def model_identity(model: str) -> dict[str, Any]:
    """What names one model's weights: a hub name, or a local directory's files, sizes and times."""
    loc = model_location(model)
    p = Path(loc)
    if not p.is_dir():
        return {"hub": loc}
    files = sorted((str(f.relative_to(p)), f.stat().st_size, f.stat().st_mtime_ns)
                   for f in p.rglob("*") if f.is_file())
    return {"path": loc, "files": files}


def load_tokenizer(model: str):
    """The model's tokenizer via ``AutoTokenizer.from_pretrained`` (hub name or local path)."""
    from transformers import AutoConfig, AutoTokenizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MarianTokenizer asks for sacremoses; not needed here
        config = from_pretrained(AutoConfig, model, "model")
        tok = from_pretrained(AutoTokenizer, model, "model")
    return config, tok


_NAME_PAIR = re.compile(r"(?:^|[-_.])([a-z]{2,3})[-_]([a-z]{2,3})$")


def declared_languages(name: str, config, tok) -> tuple[str | None, str | None, str] | None:
    """``(src, tgt, where)`` a model says it translates, or None when it says nothing.

    Read from, in order: the tokenizer's ``source_lang``/``target_lang`` (Marian), the config's
    ``src_lang``/``tgt_lang``, ``source_lang``/``target_lang`` or ``langs`` (FSMT), and the model's
    name or directory name (``opus-mt-en-yo``, ``my-marian-en-yo``). A side the source does not
    name with a known language code (``mul``, ``roa``) is None."""
    def known(code: Any) -> str | None:
        return code if isinstance(code, str) and languages.lookup_or_none(code) else None

    found: list[tuple[Any, Any, str]] = [
        (getattr(tok, "source_lang", None), getattr(tok, "target_lang", None), "its tokenizer"),
        (getattr(config, "src_lang", None), getattr(config, "tgt_lang", None), "its config"),
        (getattr(config, "source_lang", None), getattr(config, "target_lang", None), "its config"),
    ]
    langs = getattr(config, "langs", None)
    if isinstance(langs, (list, tuple)) and len(langs) == 2:
        found.append((langs[0], langs[1], "its config"))
    pair = languages.marian_name_pair(name)
    base = Path(str(name).rstrip("/")).name.lower()
    m = _NAME_PAIR.search(base)
    if pair is None and m:
        pair = (m.group(1), m.group(2))
    if pair is not None:
        found.append((pair[0], pair[1], "its name"))
    for a, b, where in found:
        a, b = known(a), known(b)
        if a or b:
            return a, b, where
    return None


def check_languages(name: str, config, tok, src: str, tgt: str, *, multi_target: bool = False) -> None:
    """A :class:`ConfigError` when what the model declares contradicts ``src -> tgt``."""
    declared = declared_languages(name, config, tok)
    if declared is None:
        return
    a, b, where = declared
    if multi_target:
        b = None  # the >>xxx<< token chooses the target; checked against the model's tokens
    if (a and not languages.same_language(a, src)) or (b and not languages.same_language(b, tgt)):
        raise ConfigError(f"model '{name}' translates {a or '?'} -> {b or '?'} (from {where}), not "
                          f"{src} -> {tgt}; check --src/--tgt, or pass --force-languages to use it anyway")


def resolve(model: str | None, src: str, tgt: str, *, force_languages: bool = False) -> tuple[ModelSpec, Any]:
    """Pick the model (default per pair), load its tokenizer and check it can do ``src -> tgt``.

    A model whose declared languages (:func:`declared_languages`) contradict ``src -> tgt`` is an
    error unless ``force_languages``."""
    if languages.lookup(src) == languages.lookup(tgt):
        raise ConfigError(f"source and target language are the same ('{src}', '{tgt}')")
    name = model or languages.default_model(src, tgt)
    config, tok = load_tokenizer(name)
    kind = getattr(config, "model_type", "")
    if kind == "marian":
        if not force_languages:
            multi = bool(getattr(tok, "supported_language_codes", None))
            check_languages(name, config, tok, src, tgt, multi_target=multi)
        return _with_limits(_marian_spec(name, src, tgt, tok), config, tok), tok
    codes = [t for t in getattr(tok, "all_special_tokens", []) if _NLLB_CODE.fullmatch(t)]
    if kind == "m2m_100" and codes:
        if not force_languages:
            check_languages(name, config, tok, src, tgt)
        src_code = languages.nllb_code(src, codes)
        tgt_code = languages.nllb_code(tgt, codes)
        tok.src_lang = src_code
        return _with_limits(ModelSpec(name, "nllb", src_code, tgt_code, forced_bos=tgt_code), config, tok), tok
    m2m_codes = getattr(tok, "lang_code_to_token", None)
    if kind == "m2m_100" and m2m_codes:
        if not force_languages:
            check_languages(name, config, tok, src, tgt)
        src_code, tgt_code = (languages.m2m100_code(c, list(m2m_codes)) for c in (src, tgt))
        tok.src_lang = src_code
        spec = ModelSpec(name, "m2m100", src_code, tgt_code, forced_bos=m2m_codes[tgt_code])
        return _with_limits(spec, config, tok), tok
    raise ModelError(f"model '{name}' ({kind or 'unknown type'}) is not a supported translation model; "
                     "supported: Marian (OPUS-MT), NLLB (M2M100 with xxx_Xxxx language codes) and "
                     "M2M100 (__xx__ language codes)")


def _with_limits(spec: ModelSpec, config, tok) -> ModelSpec:
    """``spec`` with the model's position limit and the source length it accepts."""
    positions = getattr(config, "max_position_embeddings", None)
    spec.max_positions = positions if isinstance(positions, int) and positions > 0 else None
    tok_limit = getattr(tok, "model_max_length", None)
    limits = [x for x in (spec.max_positions, tok_limit) if isinstance(x, int) and 0 < x < 1_000_000]
    spec.max_source = min(limits) if limits else None
    return spec


def _marian_spec(name: str, src: str, tgt: str, tok) -> ModelSpec:
    targets = list(getattr(tok, "supported_language_codes", []) or [])
    s, t = languages.lookup(src), languages.lookup(tgt)
    if targets:
        token = languages.marian_target_token(tgt, targets)
        return ModelSpec(name, "marian", s.iso1 or s.iso3, token[2:-2], prefix=token + " ")
    return ModelSpec(name, "marian", s.iso1 or s.iso3, t.iso1 or t.iso3)
