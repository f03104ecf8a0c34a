"""``augment translate`` end to end with the tiny Marian and NLLB models, both backends, both methods."""

from __future__ import annotations

import json

import pytest

from augment.core import read_corpus

pytestmark = pytest.mark.usefixtures("torch_one_thread")


def _records(path):
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def conll_en(data_dir, tmp_path_factory):
    """The first 12 sentences of CoNLL-2003 eng.testa as a JSONL corpus."""
    from augment.core import write_corpus

    path = tmp_path_factory.mktemp("conll") / "en.jsonl"
    write_corpus(read_corpus(data_dir / "conll2003_en" / "eng.testa")[:12], path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("model, backend, method", [
    ("tiny_marian", "transformers", "markers"),
    ("tiny_marian", "ctranslate2", "plain"),
    ("tiny_nllb", "transformers", "plain"),
    ("tiny_nllb", "ctranslate2", "markers"),
])
def test_translate_conll_with_each_model_backend_and_method(request, run_cli, conll_en, tmp_path, ct2_cache,
                                                            model, backend, method):
    path = request.getfixturevalue(model)
    out = tmp_path / "yo.jsonl"
    code, _, err = run_cli("augment", ["translate", conll_en, out, "--src", "en", "--tgt", "yo", "--model", path,
                                       "--backend", backend, "--method", method, "--cache-dir", ct2_cache,
                                       "--max-batch-tokens", 200])
    assert code == 0, err
    source = read_corpus(conll_en, to_scheme="iob2")  # CoNLL-2003 is IOB1; records are IOB2
    records = _records(out)
    assert [r["id"] for r in records] == [s.id for s in source]
    assert f"wrote {len(source)} translations to {out}" in err
    family = "marian" if model == "tiny_marian" else "nllb"
    for r, s in zip(records, source):
        assert r["lang"] == "yo" and r["method"] == method
        assert r["src"] == {"id": s.id, "lang": "en", "tokens": s.tokens, "tags": s.tags}
        assert r["text"] and r["tokens"] and " ".join(r["text"].split()) == r["text"]
        assert r["mt"]["backend"] == backend and r["mt"]["family"] == family and r["mt"]["model"] == path.name
        assert r["mt"]["dtype"] == ("int8" if backend == "ctranslate2" else "float32")
        if method == "markers":
            # a random model loses markers; the record says so and keeps the translation
            assert isinstance(r["markers_ok"], bool) and r["marked_text"]
            assert r["markers_ok"] == ("tags" in r)
            assert r["markers_ok"] or r["marker_issues"]
        else:
            assert "markers_ok" not in r and "tags" not in r
    assert len({r["text"] for r in records}) > 1
    again = read_corpus(out, allow_empty=False)  # a translation file is a readable target corpus
    assert [(s.id, s.lang, s.tokens) for s in again] == [(r["id"], "yo", r["tokens"]) for r in records]


def test_translate_masakhaner_plain_text_and_multi_target_marian(run_cli, data_dir, tiny_marian_multi, tmp_path):
    lines = [" ".join(s.tokens) for s in read_corpus(data_dir / "masakhaner1" / "hau" / "dev.txt", repair=True)[:6]]
    txt = tmp_path / "ha.txt"
    txt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "yo.jsonl"
    code, _, err = run_cli("augment", ["translate", txt, out, "--src", "ha", "--tgt", "yor",
                                       "--model", tiny_marian_multi, "--num-beams", 2])
    assert code == 0, err
    records = _records(out)
    assert [r["src"]["tokens"] for r in records] == [line.split() for line in lines]
    assert all(r["src"]["tags"] is None and r["markers_ok"] and r["spans"] == [] and "tags" not in r
               for r in records)
    assert records[0]["mt"]["tgt_code"] == "yor" and records[0]["mt"]["num_beams"] == 2


def test_translate_resumes_after_interrupt(run_cli, data_dir, tiny_marian, tmp_path, translate_batches):
    src = data_dir / "masakhaner1" / "yor" / "test.txt"
    args = ["--src", "yo", "--tgt", "en", "--model", tiny_marian, "--batch-size", 4, "--limit", 20,
            "--repair-tags"]
    whole = tmp_path / "whole.jsonl"
    assert run_cli("augment", ["translate", src, whole, *args])[0] == 0

    translate_batches.calls.clear()
    translate_batches.kill_at = 3
    out = tmp_path / "out.jsonl"
    code, _, err = run_cli("augment", ["translate", src, out, *args])
    assert code == 130  # click reports the interrupt as "Aborted."
    assert not out.exists()
    assert len((tmp_path / "out.jsonl.partial.jsonl").read_text("utf-8").splitlines()) == 8

    translate_batches.calls.clear()
    translate_batches.kill_at = None
    code, _, err = run_cli("augment", ["translate", src, out, *args])
    assert code == 0, err
    assert len(translate_batches.calls) == 3
    assert out.read_bytes() == whole.read_bytes()


@pytest.mark.parametrize("args, message", [
    (["--src", "en", "--tgt", "xx"], "error: unknown language code 'xx'; give an ISO 639-1 (yo)"),
    (["--src", "en", "--tgt", "yo", "--model", "MISSING"], "error: cannot load model "),
    (["--src", "en", "--tgt", "sw", "--model", "NLLB"], "error: this model cannot translate Swahili ('sw'); it knows: "),
    (["--src", "en", "--tgt", "yo", "--model", "NLLB", "--backend", "transformers", "--dtype", "int8"],
     "error: dtype int8 needs --backend ctranslate2"),
])
def test_translate_bad_options_are_one_line_errors(run_cli, conll_en, tmp_path, tiny_nllb, args, message):
    args = [str(tmp_path / "missing-model") if a == "MISSING" else str(tiny_nllb) if a == "NLLB" else a for a in args]
    out = tmp_path / "o.jsonl"
    code, _, err = run_cli("augment", ["translate", conll_en, out, *args])
    assert code == 1
    assert err.startswith(message) and err.count("\n") == 1
    assert not out.exists()


def test_translate_bad_input_files(run_cli, tmp_path, tiny_nllb):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    code, _, err = run_cli("augment", ["translate", empty, tmp_path / "o.jsonl", "--src", "en", "--tgt", "yo",
                                       "--model", tiny_nllb])
    assert code == 1 and err == f"error: {empty}: empty file: no sentences found\n"
    code, _, err = run_cli("augment", ["translate", tmp_path / "nope.conll", tmp_path / "o.jsonl", "--src", "en",
                                       "--tgt", "yo"])
    assert code == 1 and err == f"error: {tmp_path / 'nope.conll'}: no such file\n"
    code, _, err = run_cli("augment", ["translate", empty, tmp_path / "o.conll", "--src", "en", "--tgt", "yo"])
    assert code == 1 and "OUTPUT must be a .jsonl file" in err


def test_translate_help_names_the_options(run_cli):
    code, out, _ = run_cli("augment", ["translate", "--help"])
    assert code == 0
    for option in ("--src", "--tgt", "--model", "--backend", "--method", "--max-batch-tokens", "--num-beams",
                   "--device", "--dtype", "--seed", "--limit", "--format"):
        assert option in out
