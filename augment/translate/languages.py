"""Language codes and default models: the one table that maps ISO 639-1/639-3 to each MT family.

A user gives ``yo`` or ``yor``; NLLB wants ``yor_Latn`` (forced as the first target token),
Marian pair models are named ``Helsinki-NLP/opus-mt-{src}-{tgt}`` with their own (mostly 639-1)
codes, and multi-target Marian models want a ``>>yor<<`` token in front of the source. The
default model per pair is a Marian pair model where one is listed in :data:`MARIAN_PAIRS`, else
:data:`NLLB_DEFAULT`. docs/translate.md shows the same table.
"""

from __future__ import annotations

from typing import NamedTuple

from augment.core.errors import ConfigError


class Language(NamedTuple):
    iso1: str | None  #: ISO 639-1 (two letters), None when the language has none
    iso3: str  #: ISO 639-3
    nllb: str | None  #: NLLB-200 code (None: not covered by NLLB-200)
    name: str


LANGUAGES: tuple[Language, ...] = (
    Language("en", "eng", "eng_Latn", "English"),
    Language("fr", "fra", "fra_Latn", "French"),
    Language("de", "deu", "deu_Latn", "German"),
    Language("es", "spa", "spa_Latn", "Spanish"),
    Language("it", "ita", "ita_Latn", "Italian"),
    Language("pt", "por", "por_Latn", "Portuguese"),
    Language("nl", "nld", "nld_Latn", "Dutch"),
    Language("ar", "ara", "arb_Arab", "Arabic"),
    Language("af", "afr", "afr_Latn", "Afrikaans"),
    Language("ak", "aka", "aka_Latn", "Akan"),
    Language("am", "amh", "amh_Ethi", "Amharic"),
    Language("bm", "bam", "bam_Latn", "Bambara"),
    Language(None, "bbj", None, "Ghomala"),
    Language("ee", "ewe", "ewe_Latn", "Ewe"),
    Language(None, "fon", "fon_Latn", "Fon"),
    Language("ha", "hau", "hau_Latn", "Hausa"),
    Language("ig", "ibo", "ibo_Latn", "Igbo"),
    Language("ki", "kik", "kik_Latn", "Kikuyu"),
    Language("rw", "kin", "kin_Latn", "Kinyarwanda"),
    Language("ln", "lin", "lin_Latn", "Lingala"),
    Language("lg", "lug", "lug_Latn", "Luganda"),
    Language(None, "luo", "luo_Latn", "Dholuo"),
    Language("mg", "mlg", "plt_Latn", "Malagasy"),
    Language(None, "mos", "mos_Latn", "Mossi"),
    Language("ny", "nya", "nya_Latn", "Chichewa"),
    Language(None, "nso", "nso_Latn", "Northern Sotho"),
    Language("om", "orm", "gaz_Latn", "Oromo"),
    Language(None, "pcm", None, "Nigerian Pidgin"),
    Language("sn", "sna", "sna_Latn", "Shona"),
    Language("so", "som", "som_Latn", "Somali"),
    Language("st", "sot", "sot_Latn", "Southern Sotho"),
    Language("ss", "ssw", "ssw_Latn", "Swati"),
    Language("sw", "swa", "swh_Latn", "Swahili"),
    Language("ti", "tir", "tir_Ethi", "Tigrinya"),
    Language("tn", "tsn", "tsn_Latn", "Setswana"),
    Language("ts", "tso", "tso_Latn", "Tsonga"),
    Language("tw", "twi", "twi_Latn", "Twi"),
    Language("wo", "wol", "wol_Latn", "Wolof"),
    Language("xh", "xho", "xho_Latn", "Xhosa"),
    Language("yo", "yor", "yor_Latn", "Yoruba"),
    Language("zu", "zul", "zul_Latn", "Zulu"),
)

_BY_CODE: dict[str, Language] = {}
for _lang in LANGUAGES:
    for _code in (_lang.iso1, _lang.iso3, _lang.nllb):
        if _code:
            _BY_CODE[_code.lower()] = _lang

#: Helsinki-NLP OPUS-MT pair models used as the default for these (src, tgt) ISO 639-1/3 pairs.
MARIAN_PAIRS: dict[tuple[str, str], str] = {
    (s, t): f"Helsinki-NLP/opus-mt-{s}-{t}"
    for s, t in [
        ("en", "de"), ("en", "fr"), ("en", "es"), ("en", "it"), ("en", "nl"), ("en", "ar"),
        ("de", "en"), ("fr", "en"), ("es", "en"), ("it", "en"), ("nl", "en"), ("ar", "en"),
        ("en", "yo"), ("yo", "en"), ("en", "ha"), ("ha", "en"), ("en", "ig"), ("ig", "en"),
        ("en", "sw"), ("en", "lg"), ("lg", "en"), ("en", "rw"), ("rw", "en"), ("en", "ee"),
        ("ee", "en"), ("en", "tw"), ("tw", "en"), ("en", "xh"), ("xh", "en"), ("en", "sn"),
        ("en", "ny"), ("ny", "en"), ("en", "tn"), ("tn", "en"), ("en", "af"), ("af", "en"),
        ("en", "am"), ("en", "ln"), ("ln", "en"), ("en", "mg"), ("mg", "en"), ("en", "ts"),
        ("ts", "en"), ("en", "st"), ("st", "en"), ("en", "nso"), ("nso", "en"),
    ]
}

#: The fallback for every pair without a Marian pair model.
NLLB_DEFAULT = "facebook/nllb-200-distilled-600M"


def lookup(code: str) -> Language:
    """The language for an ISO 639-1, 639-3 or NLLB code (case-insensitive)."""
    lang = _BY_CODE.get(str(code).strip().lower()) if code else None
    if lang is None:
        known = ", ".join(sorted({c for x in LANGUAGES for c in (x.iso1, x.iso3) if c}))
        raise ConfigError(f"unknown language code '{code}'; known codes: {known}")
    return lang


def default_model(src: str, tgt: str) -> str:
    """A Marian pair model when one is listed for (src, tgt), else NLLB-200 (600M distilled)."""
    s, t = lookup(src), lookup(tgt)
    if s == t:
        raise ConfigError(f"source and target language are the same ({s.name})")
    for a in {s.iso1, s.iso3} - {None}:
        for b in {t.iso1, t.iso3} - {None}:
            if (a, b) in MARIAN_PAIRS:
                return MARIAN_PAIRS[(a, b)]
    missing = [x.name for x in (s, t) if x.nllb is None]
    if missing:
        raise ConfigError(f"no default model for {s.name} -> {t.name}: NLLB-200 does not cover "
                          f"{', '.join(missing)}; pass --model")
    return NLLB_DEFAULT


def nllb_code(code: str, supported: list[str] | None = None) -> str:
    """The NLLB code of ``code``, checked against the model's ``supported`` codes when given."""
    lang = lookup(code)
    candidates = [c for c in (lang.nllb,) if c]
    if supported is not None:
        # a model may use another script/variety code for the same language (swh_Latn vs swa_Latn)
        candidates += sorted(c for c in supported if c.split("_")[0] == lang.iso3)
        found = [c for c in candidates if c in supported]
        if not found:
            raise ConfigError(f"this model cannot translate {lang.name} ('{code}'); it knows: "
                              f"{', '.join(sorted(supported)) or 'no language codes'}")
        return found[0]
    if not candidates:
        raise ConfigError(f"NLLB-200 does not cover {lang.name} ('{code}')")
    return candidates[0]


def m2m100_code(code: str, supported: list[str]) -> str:
    """The M2M100 code of ``code`` (the model's ``__xx__`` tokens without underscores: mostly
    ISO 639-1, ISO 639-3 where a language has no two-letter code)."""
    lang = lookup(code)
    for c in (lang.iso1, lang.iso3):
        if c and c in supported:
            return c
    raise ConfigError(f"this model cannot translate {lang.name} ('{code}'); it knows: {', '.join(sorted(supported))}")


def marian_target_token(code: str, supported: list[str]) -> str:
    """The ``>>xxx<<`` token a multi-target Marian model wants for ``code``."""
    lang = lookup(code)
    for c in (lang.iso3, lang.iso1, lang.nllb):
        if c and f">>{c}<<" in supported:
            return f">>{c}<<"
    raise ConfigError(f"this multi-target model cannot translate into {lang.name} ('{code}'); "
                      f"it knows: {', '.join(sorted(supported))}")


def marian_name_pair(model: str) -> tuple[str, str] | None:
    """(src, tgt) from a name like ``Helsinki-NLP/opus-mt-en-yo`` (None if it does not follow it)."""
    base = model.rstrip("/").rsplit("/", 1)[-1]
    if not base.startswith("opus-mt-"):
        return None
    parts = base[len("opus-mt-"):].split("-")
    return (parts[0], parts[1]) if len(parts) == 2 else None


def same_language(a: str, b: str) -> bool:
    """Whether two codes (any of 639-1, 639-3, NLLB, or a Marian group name) name one language."""
    la, lb = _BY_CODE.get(a.lower()), _BY_CODE.get(b.lower())
    return la is not None and la == lb


def lookup_or_none(code: str) -> Language | None:
    """Like :func:`lookup`, but None for an unknown code."""
    return _BY_CODE.get(str(code).strip().lower()) if code else None
