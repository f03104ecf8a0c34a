"""Tiny models load by path; transformers and CTranslate2 agree; conversion is cached; missing extra."""

from __future__ import annotations

import sys

import pytest

from augment.core.errors import ConfigError, MissingExtraError, ModelError
from augment.translate.backends import load_backend
from augment.translate.models import resolve

pytestmark = pytest.mark.usefixtures("torch_one_thread")


def test_tiny_models_load_by_path_with_real_vocabularies(tiny_marian, tiny_nllb, menyo_lines):
    from transformers import AutoModelForSeq2SeqLM

    en, yo = menyo_lines
    spec, tok = resolve(str(tiny_marian), "en", "yo")
    assert (spec.family, spec.prefix, spec.forced_bos) == ("marian", "", None)
    pieces = tok.tokenize(yo[5])
    assert len(pieces) > 3 and pieces.count("<unk>") < len(pieces) / 4
    spec, tok = resolve(str(tiny_nllb), "eng", "yor")
    assert (spec.family, spec.src_code, spec.forced_bos) == ("nllb", "eng_Latn", "yor_Latn")
    ids = tok(en[3]).input_ids
    assert ids[0] == tok.convert_tokens_to_ids("eng_Latn") != tok.unk_token_id and ids[-1] == tok.eos_token_id
    for path in (tiny_marian, tiny_nllb):
        model = AutoModelForSeq2SeqLM.from_pretrained(path)
        pad = model.config.pad_token_id
        assert float(model.get_input_embeddings().weight[pad].abs().sum()) == 0.0  # CTranslate2 needs it


def test_multi_target_marian_needs_a_known_target_token(tiny_marian_multi):
    spec, tok = resolve(str(tiny_marian_multi), "en", "yo")
    assert spec.prefix == ">>yor<< " and spec.tgt_code == "yor"
    assert tok.tokenize(spec.prefix + "Hello")[0] == ">>yor<<"
    with pytest.raises(ConfigError, match="cannot translate into Igbo.*>>hau<<, >>yor<<"):
        resolve(str(tiny_marian_multi), "en", "ig")


def test_nllb_model_rejects_a_language_it_lacks(tiny_nllb):
    with pytest.raises(ConfigError, match="cannot translate Swahili.*eng_Latn, hau_Latn, yor_Latn"):
        resolve(str(tiny_nllb), "en", "sw")


def test_missing_model_path_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="no-such-model.: no such model directory"):
        resolve(str(tmp_path / "no-such-model"), "en", "yo")
    with pytest.raises(ModelError, match="cannot load model 'Helsinki-NLP/opus-mt-en-yo'"):
        resolve(None, "en", "yo")  # the default hub model, offline


@pytest.mark.parametrize("fixture", ["tiny_marian", "tiny_nllb"])
def test_ctranslate2_float32_matches_transformers(request, fixture, menyo_lines, ct2_cache):
    path = request.getfixturevalue(fixture)
    spec, tok = resolve(str(path), "en", "yo")
    sentences = menyo_lines[0][100:112]
    hf = load_backend("transformers", spec, tok).translate(sentences)
    ct = load_backend("ctranslate2", spec, tok, dtype="fp32", cache_dir=str(ct2_cache)).translate(sentences)
    assert hf == ct
    assert len(set(hf)) > 1 and all(hf)
    int8 = load_backend("ctranslate2", spec, tok, cache_dir=str(ct2_cache))
    assert int8.info()["dtype"] == "int8" and len(int8.translate(sentences)) == len(sentences)


def test_ctranslate2_conversion_is_cached_by_model_identity(tiny_marian, tiny_nllb, ct2_cache, monkeypatch):
    from augment.translate.backends.ctranslate2 import cache_root, converted_model

    first = converted_model(str(tiny_marian), ct2_cache)
    stamp = (first / "model.bin").stat().st_mtime_ns
    assert converted_model(str(tiny_marian), ct2_cache) == first
    assert (first / "model.bin").stat().st_mtime_ns == stamp
    assert converted_model(str(tiny_nllb), ct2_cache) != first
    monkeypatch.setenv("XNER_CACHE", str(ct2_cache / "env"))
    assert cache_root() == ct2_cache / "env" / "ct2"


def test_missing_ctranslate2_is_one_line_missing_extra(tiny_marian, monkeypatch):
    monkeypatch.setitem(sys.modules, "ctranslate2", None)
    spec, tok = resolve(str(tiny_marian), "en", "yo")
    with pytest.raises(MissingExtraError) as err:
        load_backend("ctranslate2", spec, tok)
    assert str(err.value) == ("this needs the optional package 'ctranslate2'; install it with: "
                              "pip install 'xner[fast]'")


def test_bad_backend_dtype_device(tiny_marian):
    spec, tok = resolve(str(tiny_marian), "en", "yo")
    with pytest.raises(ConfigError, match="unknown backend 'fairseq'"):
        load_backend("fairseq", spec, tok)
    with pytest.raises(ConfigError, match="int8 needs --backend ctranslate2"):
        load_backend("transformers", spec, tok, dtype="int8")
