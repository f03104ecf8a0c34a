"""A local translation model whose declared languages contradict --src/--tgt is a one-line error."""

from __future__ import annotations

import json
import shutil

import pytest

from augment.core.errors import ConfigError
from augment.translate.models import declared_languages, load_tokenizer, resolve

pytestmark = pytest.mark.usefixtures("torch_one_thread")


def _copy(model, tmp_path, name: str, tokenizer: dict | None = None, config: dict | None = None):
    out = tmp_path / name
    shutil.copytree(model, out)
    for file, extra in (("tokenizer_config.json", tokenizer), ("config.json", config)):
        if extra:
            data = json.loads((out / file).read_text("utf-8"))
            data.update(extra)
            (out / file).write_text(json.dumps(data), encoding="utf-8")
    return out


def test_translate_models_languages_read_from_name_tokenizer_and_config(tiny_marian, tmp_path):
    named = _copy(tiny_marian, tmp_path, "opus-mt-en-yo")
    assert declared_languages(str(named), *load_tokenizer(str(named)))[:2] == ("en", "yo")
    local = _copy(tiny_marian, tmp_path, "my-marian-en-yo")
    assert declared_languages(str(local), *load_tokenizer(str(local))) == ("en", "yo", "its name")
    tok = _copy(tiny_marian, tmp_path, "plain1", tokenizer={"source_lang": "eng", "target_lang": "yor"})
    assert declared_languages(str(tok), *load_tokenizer(str(tok))) == ("eng", "yor", "its tokenizer")
    cfg = _copy(tiny_marian, tmp_path, "plain2", config={"src_lang": "en", "tgt_lang": "yo"})
    assert declared_languages(str(cfg), *load_tokenizer(str(cfg))) == ("en", "yo", "its config")
    assert declared_languages(str(tiny_marian), *load_tokenizer(str(tiny_marian))) is None
    multi = _copy(tiny_marian, tmp_path, "opus-mt-en-mul")
    assert declared_languages(str(multi), *load_tokenizer(str(multi)))[:2] == ("en", None)


@pytest.mark.parametrize("where, src, tgt", [
    ("name", "yo", "en"), ("name", "en", "de"), ("tokenizer", "yo", "en"), ("config", "en", "de")])
def test_translate_models_contradicting_languages_are_refused_unless_forced(tiny_marian, tmp_path, where, src, tgt):
    model = {"name": lambda: _copy(tiny_marian, tmp_path, "tiny-en-yo"),
             "tokenizer": lambda: _copy(tiny_marian, tmp_path, "m", tokenizer={"source_lang": "en", "target_lang": "yo"}),
             "config": lambda: _copy(tiny_marian, tmp_path, "m", config={"src_lang": "en", "tgt_lang": "yo"})}[where]()
    with pytest.raises(ConfigError) as err:
        resolve(str(model), src, tgt)
    assert f"translates en -> yo (from its {where}), not {src} -> {tgt}" in str(err.value)
    assert "--force-languages" in str(err.value) and "\n" not in str(err.value)
    spec, _ = resolve(str(model), src, tgt, force_languages=True)
    assert spec.family == "marian"
    assert resolve(str(model), "en", "yo")[0].tgt_code == "yo"


def test_translate_models_cli_refuses_then_forces(run_cli, data_dir, tiny_marian, tmp_path):
    model = _copy(tiny_marian, tmp_path, "marian-en-yo")
    text = tmp_path / "yo.txt"
    text.write_text("Ọjọ́ ti dé .\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    code, _, err = run_cli("augment", ["translate", text, out, "--src", "yo", "--tgt", "en", "--model", model])
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"error: model '{model}' translates en -> yo (from its name), not yo -> en")
    assert not out.exists()
    code, _, err = run_cli("augment", ["translate", text, out, "--src", "yo", "--tgt", "en", "--model", model,
                                       "--force-languages"])
    assert code == 0, err
    assert json.loads(out.read_text("utf-8").splitlines()[0])["lang"] == "en"
    code, _, err = run_cli("augment", ["translate", text, out, "--src", "en", "--tgt", "zz", "--model", model])
    assert code == 1 and err.startswith("error: unknown language code 'zz'") and err.count("\n") == 1
