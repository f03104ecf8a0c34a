"""The NLLB-200 and M2M100 stand-ins: real tokenizer layouts (language codes, forced BOS), and
``augment translate`` on each with both backends (CTranslate2 conversion included)."""

from __future__ import annotations

import json

import pytest

from augment.core import read_corpus
from augment.translate.backends import load_backend
from augment.translate.models import resolve

pytestmark = pytest.mark.usefixtures("torch_one_thread")


def test_tiny_models_nllb_tokenizer_is_laid_out_like_nllb_200(tiny_nllb):
    spec, tok = resolve(str(tiny_nllb), "en", "yo")
    assert type(tok).__name__ == "NllbTokenizer" and tok.is_fast
    n = len(tok)
    # fairseq order first; the language codes after the subwords (256001.. in the real one)
    assert tok.convert_ids_to_tokens([0, 1, 2, 3]) == ["<s>", "<pad>", "</s>", "<unk>"]
    assert tok.convert_ids_to_tokens(list(range(n - 3, n))) == ["eng_Latn", "yor_Latn", "hau_Latn"]
    assert {"eng_Latn", "yor_Latn", "hau_Latn", "<mask>"} <= set(tok.all_special_tokens)
    ids = tok("Lagos is big")["input_ids"]
    assert ids[0] == tok.convert_tokens_to_ids("eng_Latn") and ids[-1] == tok.eos_token_id  # [src_code] X </s>
    assert spec.forced_bos == "yor_Latn"


def test_tiny_models_m2m100_tokenizer_is_laid_out_like_m2m100(tiny_m2m100):
    from transformers import AutoConfig

    spec, tok = resolve(str(tiny_m2m100), "eng", "yor")
    assert type(tok).__name__ == "M2M100Tokenizer"
    assert (spec.family, spec.src_code, spec.tgt_code, spec.forced_bos) == ("m2m100", "en", "yo", "__yo__")
    assert tok.convert_ids_to_tokens([0, 1, 2, 3]) == ["<s>", "<pad>", "</s>", "<unk>"]
    assert len(tok.lang_code_to_id) == 100 and tok.get_lang_id("yo") == tok.convert_tokens_to_ids("__yo__")
    assert AutoConfig.from_pretrained(tiny_m2m100).vocab_size == tok.encoder_size + 100 + 8
    ids = tok("Lagos is big")["input_ids"]
    assert ids[0] == tok.get_lang_id("en") and ids[-1] == tok.eos_token_id


def test_tiny_models_m2m100_rejects_a_language_it_lacks(tiny_m2m100):
    from augment.core.errors import ConfigError

    with pytest.raises(ConfigError, match="cannot translate Twi"):
        resolve(str(tiny_m2m100), "en", "tw")


@pytest.mark.parametrize("fixture", ["tiny_nllb", "tiny_m2m100"])
def test_tiny_models_forced_bos_is_the_first_target_token_on_both_backends(request, fixture, menyo_lines, ct2_cache):
    """Both backends force the target code first and strip it; CTranslate2 float32 (converted
    here) gives the transformers output, int8 runs too."""
    spec, tok = resolve(str(request.getfixturevalue(fixture)), "en", "yo")
    sentences = menyo_lines[0][:8]
    hf = load_backend("transformers", spec, tok)
    enc = tok(sentences[:2], return_tensors="pt", padding=True)
    raw = hf.model.generate(**enc, forced_bos_token_id=hf.forced_bos, max_new_tokens=4)
    assert raw[:, 1].tolist() == [tok.convert_tokens_to_ids(spec.forced_bos)] * 2
    out = hf.translate(sentences)
    assert all(spec.forced_bos not in t for t in out) and len(set(out)) > 1
    ct = load_backend("ctranslate2", spec, tok, dtype="fp32", cache_dir=str(ct2_cache))
    assert (ct.path / "model.bin").is_file()
    assert ct.translate(sentences) == out
    int8 = load_backend("ctranslate2", spec, tok, cache_dir=str(ct2_cache))
    assert int8.compute_type == "int8" and len(int8.translate(sentences)) == len(sentences)


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_tiny_models_translate_cli_with_m2m100(tiny_m2m100, run_cli, data_dir, tmp_path, ct2_cache, backend):
    from augment.core import write_corpus

    src = tmp_path / "en.jsonl"
    write_corpus(read_corpus(data_dir / "conll2003_en" / "eng.testa")[:8], src)
    out = tmp_path / "yo.jsonl"
    code, _, err = run_cli("augment", ["translate", src, out, "--src", "en", "--tgt", "yo", "--model", tiny_m2m100,
                                       "--backend", backend, "--cache-dir", ct2_cache, "--max-batch-tokens", 200])
    assert code == 0, err
    records = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert len(records) == 8
    for r in records:
        assert r["mt"]["family"] == "m2m100" and r["mt"]["backend"] == backend and r["lang"] == "yo"
        assert r["text"] and "__yo__" not in r["text"] and r["marked_text"]
