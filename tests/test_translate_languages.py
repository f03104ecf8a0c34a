"""Language codes map to each model family; default model per pair; one-line errors."""

from __future__ import annotations

import pytest

from augment.core.errors import ConfigError
from augment.translate import languages as L


def test_iso1_iso3_and_nllb_codes_name_one_language():
    assert L.lookup("yo") == L.lookup("yor") == L.lookup("YOR_Latn")
    assert L.lookup("sw").nllb == "swh_Latn" and L.lookup("pcm").iso1 is None


def test_unknown_code_says_which_codes_work():
    with pytest.raises(ConfigError) as err:
        L.lookup("xx")
    assert "unknown language code 'xx'" in str(err.value) and "yor_Latn" in str(err.value)
    assert "\n" not in str(err.value)
    with pytest.raises(ConfigError, match="'az' names several NLLB-200 varieties; give one of azj_Latn, azb_Arab"):
        L.lookup("az")


def test_languages_every_nllb200_code_is_accepted():
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    assert len(L.NLLB_CODES) == 202 and set(L.NLLB_CODES) == set(FAIRSEQ_LANGUAGE_CODES)
    for code in FAIRSEQ_LANGUAGE_CODES:
        assert L.lookup(code).nllb == code
        assert L.nllb_code(code, list(FAIRSEQ_LANGUAGE_CODES)) == code
    # ISO 639-1 and 639-3 codes map where they name one variety
    assert L.nllb_code("hi") == "hin_Deva" and L.nllb_code("fa") == "pes_Arab" and L.nllb_code("uzb") == "uzn_Latn"
    assert L.nllb_code("zh") == "zho_Hans" and L.nllb_code("ace") == "ace_Latn" and L.nllb_code("kik") == "kik_Latn"
    assert L.default_model("en", "hi") == L.NLLB_DEFAULT


def test_default_model_prefers_marian_pairs_then_nllb():
    assert L.default_model("en", "yo") == "Helsinki-NLP/opus-mt-en-yo"
    assert L.default_model("eng", "hau") == "Helsinki-NLP/opus-mt-en-ha"
    assert L.default_model("en", "fon") == L.NLLB_DEFAULT
    assert L.default_model("yo", "ha") == L.NLLB_DEFAULT
    with pytest.raises(ConfigError, match="does not cover Ghomala"):
        L.default_model("en", "bbj")
    with pytest.raises(ConfigError, match="same"):
        L.default_model("yo", "yor")


def test_nllb_and_marian_codes_checked_against_the_model():
    assert L.nllb_code("yo") == "yor_Latn"
    assert L.nllb_code("sw", ["swa_Latn", "eng_Latn"]) == "swa_Latn"
    with pytest.raises(ConfigError, match="it knows: eng_Latn, yor_Latn"):
        L.nllb_code("ha", ["eng_Latn", "yor_Latn"])
    assert L.marian_target_token("yo", [">>yor<<", ">>hau<<"]) == ">>yor<<"
    assert L.marian_target_token("ha", [">>ha<<"]) == ">>ha<<"
    with pytest.raises(ConfigError, match="cannot translate into Igbo"):
        L.marian_target_token("ig", [">>yor<<"])
    assert L.marian_name_pair("Helsinki-NLP/opus-mt-en-yo") == ("en", "yo")
    assert L.marian_name_pair("facebook/nllb-200-distilled-600M") is None
