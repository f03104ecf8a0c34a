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

#: Every NLLB-200 / FLORES-200 code (202): ``code [iso1] name``; ``*`` marks the script used when a
#: language with several is named by its ISO 639-3 code alone. The ISO 639-1 code is given only
#: where it names this variety unambiguously (``ar`` -> Modern Standard Arabic, ``fa`` -> Western
#: Persian, but no ``az``, ``ku``, ``no``: two NLLB varieties each).
FLORES200 = """
ace_Arab - Acehnese (Arabic script)
ace_Latn * Acehnese (Latin script)
acm_Arab - Mesopotamian Arabic
acq_Arab - Ta'izzi-Adeni Arabic
aeb_Arab - Tunisian Arabic
afr_Latn af Afrikaans
ajp_Arab - South Levantine Arabic
aka_Latn ak Akan
amh_Ethi am Amharic
apc_Arab - North Levantine Arabic
arb_Arab ar Modern Standard Arabic
ars_Arab - Najdi Arabic
ary_Arab - Moroccan Arabic
arz_Arab - Egyptian Arabic
asm_Beng as Assamese
ast_Latn - Asturian
awa_Deva - Awadhi
ayr_Latn ay Central Aymara
azb_Arab - South Azerbaijani
azj_Latn - North Azerbaijani
bak_Cyrl ba Bashkir
bam_Latn bm Bambara
ban_Latn - Balinese
bel_Cyrl be Belarusian
bem_Latn - Bemba
ben_Beng bn Bengali
bho_Deva - Bhojpuri
bjn_Arab - Banjar (Arabic script)
bjn_Latn * Banjar (Latin script)
bod_Tibt bo Standard Tibetan
bos_Latn bs Bosnian
bug_Latn - Buginese
bul_Cyrl bg Bulgarian
cat_Latn ca Catalan
ceb_Latn - Cebuano
ces_Latn cs Czech
cjk_Latn - Chokwe
ckb_Arab - Central Kurdish
crh_Latn - Crimean Tatar
cym_Latn cy Welsh
dan_Latn da Danish
deu_Latn de German
dik_Latn - Southwestern Dinka
dyu_Latn - Dyula
dzo_Tibt dz Dzongkha
ell_Grek el Greek
eng_Latn en English
epo_Latn eo Esperanto
est_Latn et Estonian
eus_Latn eu Basque
ewe_Latn ee Ewe
fao_Latn fo Faroese
pes_Arab fa Western Persian
fij_Latn fj Fijian
fin_Latn fi Finnish
fon_Latn - Fon
fra_Latn fr French
fur_Latn - Friulian
fuv_Latn - Nigerian Fulfulde
gla_Latn gd Scottish Gaelic
gle_Latn ga Irish
glg_Latn gl Galician
grn_Latn gn Guarani
guj_Gujr gu Gujarati
hat_Latn ht Haitian Creole
hau_Latn ha Hausa
heb_Hebr he Hebrew
hin_Deva hi Hindi
hne_Deva - Chhattisgarhi
hrv_Latn hr Croatian
hun_Latn hu Hungarian
hye_Armn hy Armenian
ibo_Latn ig Igbo
ilo_Latn - Ilocano
ind_Latn id Indonesian
isl_Latn is Icelandic
ita_Latn it Italian
jav_Latn jv Javanese
jpn_Jpan ja Japanese
kab_Latn - Kabyle
kac_Latn - Jingpho
kam_Latn - Kamba
kan_Knda kn Kannada
kas_Arab * Kashmiri (Arabic script)
kas_Deva - Kashmiri (Devanagari script)
kat_Geor ka Georgian
knc_Arab - Central Kanuri (Arabic script)
knc_Latn * Central Kanuri (Latin script)
kaz_Cyrl kk Kazakh
kbp_Latn - Kabiye
kea_Latn - Kabuverdianu
khm_Khmr km Khmer
kik_Latn ki Kikuyu
kin_Latn rw Kinyarwanda
kir_Cyrl ky Kyrgyz
kmb_Latn - Kimbundu
kon_Latn kg Kikongo
kor_Hang ko Korean
kmr_Latn - Northern Kurdish
lao_Laoo lo Lao
lvs_Latn lv Standard Latvian
lij_Latn - Ligurian
lim_Latn li Limburgish
lin_Latn ln Lingala
lit_Latn lt Lithuanian
lmo_Latn - Lombard
ltg_Latn - Latgalian
ltz_Latn lb Luxembourgish
lua_Latn - Luba-Kasai
lug_Latn lg Luganda
luo_Latn - Dholuo
lus_Latn - Mizo
mag_Deva - Magahi
mai_Deva - Maithili
mal_Mlym ml Malayalam
mar_Deva mr Marathi
min_Latn - Minangkabau
mkd_Cyrl mk Macedonian
plt_Latn mg Malagasy
mlt_Latn mt Maltese
mni_Beng - Meitei (Bengali script)
khk_Cyrl mn Halh Mongolian
mos_Latn - Mossi
mri_Latn mi Maori
zsm_Latn ms Standard Malay
mya_Mymr my Burmese
nld_Latn nl Dutch
nno_Latn nn Norwegian Nynorsk
nob_Latn nb Norwegian Bokmal
npi_Deva ne Nepali
nso_Latn - Northern Sotho
nus_Latn - Nuer
nya_Latn ny Chichewa
oci_Latn oc Occitan
gaz_Latn om Oromo
ory_Orya or Odia
pag_Latn - Pangasinan
pan_Guru pa Eastern Panjabi
pap_Latn - Papiamento
pol_Latn pl Polish
por_Latn pt Portuguese
prs_Arab - Dari
pbt_Arab ps Southern Pashto
quy_Latn qu Ayacucho Quechua
ron_Latn ro Romanian
run_Latn rn Kirundi
rus_Cyrl ru Russian
sag_Latn sg Sango
san_Deva sa Sanskrit
sat_Beng - Santali
scn_Latn - Sicilian
shn_Mymr - Shan
sin_Sinh si Sinhala
slk_Latn sk Slovak
slv_Latn sl Slovenian
smo_Latn sm Samoan
sna_Latn sn Shona
snd_Arab sd Sindhi
som_Latn so Somali
sot_Latn st Southern Sotho
spa_Latn es Spanish
als_Latn sq Tosk Albanian
srd_Latn sc Sardinian
srp_Cyrl sr Serbian
ssw_Latn ss Swati
sun_Latn su Sundanese
swe_Latn sv Swedish
swh_Latn sw Swahili
szl_Latn - Silesian
tam_Taml ta Tamil
tat_Cyrl tt Tatar
tel_Telu te Telugu
tgk_Cyrl tg Tajik
tgl_Latn tl Tagalog
tha_Thai th Thai
tir_Ethi ti Tigrinya
taq_Latn * Tamasheq (Latin script)
taq_Tfng - Tamasheq (Tifinagh script)
tpi_Latn - Tok Pisin
tsn_Latn tn Setswana
tso_Latn ts Tsonga
tuk_Latn tk Turkmen
tum_Latn - Tumbuka
tur_Latn tr Turkish
twi_Latn tw Twi
tzm_Tfng - Central Atlas Tamazight
uig_Arab ug Uyghur
ukr_Cyrl uk Ukrainian
umb_Latn - Umbundu
urd_Arab ur Urdu
uzn_Latn uz Northern Uzbek
vec_Latn - Venetian
vie_Latn vi Vietnamese
war_Latn - Waray
wol_Latn wo Wolof
xho_Latn xh Xhosa
ydd_Hebr yi Eastern Yiddish
yor_Latn yo Yoruba
yue_Hant - Yue Chinese
zho_Hans zh * Chinese (Simplified)
zho_Hant - Chinese (Traditional)
zul_Latn zu Zulu
"""

#: ISO 639-3 macrolanguage codes whose one NLLB-200 variety is the usual meaning of the code.
MACRO_ISO3 = {"ara": "arb_Arab", "swa": "swh_Latn", "mlg": "plt_Latn", "orm": "gaz_Latn", "fas": "pes_Arab",
              "msa": "zsm_Latn", "lav": "lvs_Latn", "uzb": "uzn_Latn", "nep": "npi_Deva", "sqi": "als_Latn",
              "mon": "khk_Cyrl", "pus": "pbt_Arab", "que": "quy_Latn", "aym": "ayr_Latn", "yid": "ydd_Hebr",
              "zho": "zho_Hans"}


def _flores() -> list[Language]:
    """Languages for the NLLB-200 codes :data:`LANGUAGES` does not already name."""
    curated = {x.nllb for x in LANGUAGES if x.nllb}
    extra = []
    for line in FLORES200.strip().splitlines():
        code, iso1, name = line.split(" ", 2)
        star = name.startswith("* ")
        if iso1 == "*":
            iso1, star = "-", True
        name = name[2:] if name.startswith("* ") else name
        if code not in curated:
            lang = Language(None if iso1 == "-" else iso1, code[:3], code, name)
            extra.append((not star, lang))
    # a language with several scripts: the starred one first, so its ISO 639-3 code names it
    return [lang for _, lang in sorted(extra, key=lambda e: e[0])]


ALL_LANGUAGES: tuple[Language, ...] = LANGUAGES + tuple(_flores())

_BY_CODE: dict[str, Language] = {}
for _lang in ALL_LANGUAGES:
    for _code in (_lang.nllb, _lang.iso3, _lang.iso1):
        if _code and _code.lower() not in _BY_CODE:
            _BY_CODE[_code.lower()] = _lang
for _macro, _nllb in MACRO_ISO3.items():
    _BY_CODE.setdefault(_macro, _BY_CODE[_nllb.lower()])
#: Codes that name several NLLB-200 varieties: the user must choose one.
AMBIGUOUS = {"az": "azj_Latn, azb_Arab", "aze": "azj_Latn, azb_Arab", "ku": "kmr_Latn, ckb_Arab",
             "kur": "kmr_Latn, ckb_Arab", "no": "nob_Latn, nno_Latn", "nor": "nob_Latn, nno_Latn",
             "kr": "knc_Latn, knc_Arab", "kau": "knc_Latn, knc_Arab"}
NLLB_CODES: tuple[str, ...] = tuple(line.split(" ", 1)[0] for line in FLORES200.strip().splitlines())

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
    if lang is None and str(code).strip().lower() in AMBIGUOUS:
        raise ConfigError(f"language code '{code}' names several NLLB-200 varieties; give one of "
                          f"{AMBIGUOUS[str(code).strip().lower()]}")
    if lang is None:
        raise ConfigError(f"unknown language code '{code}'; give an ISO 639-1 (yo), ISO 639-3 (yor) or "
                          f"NLLB-200 (yor_Latn) code; docs/translate.md lists all {len(ALL_LANGUAGES)}")
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
