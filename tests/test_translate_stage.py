"""translate_corpus over real MasakhaNER sentences with a stand-in backend: tags, order, resume."""

from __future__ import annotations

import json

import pytest

from augment.core import read_corpus
from augment.core.errors import ConfigError, DataError
from augment.translate import translate_corpus


@pytest.fixture(scope="module")
def yor_dev(data_dir):
    return read_corpus(data_dir / "masakhaner1" / "yor" / "dev.txt", repair=True, to_scheme="iob2", lang="yo")


def test_intact_markers_carry_every_tag_across(yor_dev, copy_translator):
    sentences = yor_dev[:80]
    records = translate_corpus(sentences, src="yo", tgt="en", backend=copy_translator(), batch_size=7,
                               show_progress=False)
    assert [r["id"] for r in records] == [s.id for s in sentences]
    intact = [r for r in records if r["markers_ok"]]
    assert len(intact) >= 75
    for r, s in zip(records, sentences):
        assert r["lang"] == "en" and r["src"]["tokens"] == s.tokens and r["src"]["tags"] == s.tags
        assert r["method"] == "markers"
        assert "[" not in r["text"] or r["marker_issues"] == ["conflict"]  # source had brackets
        if r["markers_ok"]:
            assert len(r["tags"]) == len(r["tokens"])
            got = [(r["tokens"][a:b], label) for a, b, label in r["spans"]]
            assert got == [(s.tokens[sp.start:sp.end], sp.label) for sp in s.spans]
        else:
            assert "tags" not in r and r["marker_issues"]


def test_broken_markers_are_kept_with_markers_ok_false(yor_dev, copy_translator):
    drop_first_close = copy_translator(lambda t: t.replace("]", "", 1))
    records = translate_corpus(yor_dev[:40], src="yo", tgt="en", backend=drop_first_close, show_progress=False)
    assert len(records) == 40
    with_entities = [r for r, s in zip(records, yor_dev[:40]) if s.spans and "conflict" not in r["marker_issues"]]
    assert with_entities and all(not r["markers_ok"] and "tags" not in r for r in with_entities)
    assert all("unbalanced" in r["marker_issues"] for r in with_entities)
    assert all(r["tokens"] and r["text"] for r in records)
    no_entities = [r for r, s in zip(records, yor_dev[:40]) if not s.spans]
    assert all(r["markers_ok"] and set(r["tags"]) == {"O"} for r in no_entities)


def test_plain_method_and_untagged_input(yor_dev, copy_translator):
    records = translate_corpus(yor_dev[:10], src="yo", tgt="en", method="plain", backend=copy_translator(),
                               show_progress=False)
    assert all(r["method"] == "plain" and "markers_ok" not in r and "tags" not in r for r in records)
    assert records[0]["tokens"] == yor_dev[0].tokens


def test_resume_after_a_crash_gives_the_same_file(yor_dev, copy_translator, tmp_path):
    sentences = yor_dev[:60]
    whole = tmp_path / "whole.jsonl"
    translate_corpus(sentences, src="yo", tgt="en", backend=copy_translator(), batch_size=8,
                     out_path=whole, show_progress=False)

    class Crash(Exception):
        pass

    crashing = copy_translator()
    real = crashing.translate

    def translate(texts, **kw):
        if crashing.calls == 3:
            raise Crash
        return real(texts, **kw)

    crashing.translate = translate
    out = tmp_path / "out.jsonl"
    with pytest.raises(Crash):
        translate_corpus(sentences, src="yo", tgt="en", backend=crashing, batch_size=8, out_path=out,
                         show_progress=False)
    partial = tmp_path / "out.jsonl.partial.jsonl"
    assert not out.exists() and len(partial.read_text("utf-8").splitlines()) == 24
    with open(partial, "a", encoding="utf-8") as fh:
        fh.write('{"id": "torn by a kil')  # a record cut off mid-write
    rerun = copy_translator()
    translate_corpus(sentences, src="yo", tgt="en", backend=rerun, batch_size=8, out_path=out,
                     show_progress=False)
    assert rerun.calls == 8 - 3
    assert out.read_bytes() == whole.read_bytes()
    assert not partial.exists()
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == [s.id for s in sentences]


def test_changed_arguments_start_over(yor_dev, copy_translator, tmp_path):
    out = tmp_path / "o.jsonl"
    translate_corpus(yor_dev[:10], src="yo", tgt="en", backend=copy_translator(), out_path=out, show_progress=False)
    again = copy_translator()
    translate_corpus(yor_dev[:10], src="yo", tgt="ha", backend=again, out_path=out, show_progress=False)
    assert again.calls > 0 and json.loads(out.read_text("utf-8").splitlines()[0])["lang"] == "ha"


def test_bad_stage_arguments(yor_dev, copy_translator):
    with pytest.raises(DataError, match="no sentences"):
        translate_corpus([], src="yo", tgt="en", backend=copy_translator())
    with pytest.raises(ConfigError, match="unknown method"):
        translate_corpus(yor_dev[:2], src="yo", tgt="en", backend=copy_translator(), method="fuzzy")
    with pytest.raises(ConfigError, match="--num-beams"):
        translate_corpus(yor_dev[:2], src="yo", tgt="en", backend=copy_translator(), num_beams=0)


@pytest.mark.usefixtures("torch_one_thread")
def test_a_loaded_translator_is_reused_and_gives_the_same_records(yor_dev, tiny_nllb, tmp_path):
    from augment.translate import make_translator

    translator = make_translator("yo", "en", model=str(tiny_nllb))
    assert translator.identity["path"] == str(tiny_nllb.resolve())
    by_object = translate_corpus(yor_dev[:6], src="yo", tgt="en", backend=translator, show_progress=False)
    by_name = translate_corpus(yor_dev[:6], src="yo", tgt="en", model=str(tiny_nllb), show_progress=False)
    assert by_object == by_name
    assert by_object[0]["mt"]["src_code"] == "yor_Latn" and by_object[0]["mt"]["tgt_code"] == "eng_Latn"
