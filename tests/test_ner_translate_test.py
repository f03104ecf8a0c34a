"""ner translate-test (translate, tag, project back) and the ensemble/translate_test pipeline stages,
on tiny models and real MasakhaNER yor test lines."""

from __future__ import annotations

import json

import pytest

from augment.core.tags import tags_to_spans
from ner.ensemble import score_against
from ner.translate_test import TranslateTestOptions, translate_test


@pytest.fixture(scope="module")
def yor_test(data_dir):
    from augment.core import read_corpus

    return read_corpus(data_dir / "masakhaner1" / "yor" / "test.txt", repair=True, to_scheme="iob2")[:150]


def _settings(stage, **over):
    return {**{k: v.default for k, v in stage.settings.items()}, **over}


def test_translate_test_with_a_copying_translator_recovers_direct_tags(ner_teacher, yor_test, copy_translator,
                                                                       ner_threads):
    """With a 'translator' that copies, translate-test must give back what the model tags on the
    original sentences: eflomal aligns identical sentences nearly diagonally (measured F1 0.99)."""
    from ner.predict import predict

    tagged = translate_test(ner_teacher, yor_test, TranslateTestOptions(src="yo", tgt="en"),
                            translator=copy_translator(), show_progress=False)
    direct = predict(ner_teacher, yor_test)
    assert [s.tokens for s in tagged] == [s.tokens for s in yor_test]
    assert tagged[0].meta["translate_test"]["tokens"] == yor_test[0].tokens
    assert sum(len(s.spans) for s in direct) > 50
    assert score_against(direct, tagged)["f1"] >= 0.9


def test_translate_test_sentences_translated_to_nothing_stay_untagged(ner_teacher, yor_test, copy_translator,
                                                                      ner_threads):
    """A weak MT model (one trained for minutes) emits empty translations: those sentences come
    back all O, the others are tagged as with a full translation, and nothing fails."""
    seen: list[str] = []

    def every_third_empty(text: str) -> str:
        seen.append(text)
        return "" if len(seen) % 3 == 0 else text

    tagged = translate_test(ner_teacher, yor_test, TranslateTestOptions(src="yo", tgt="en"),
                            translator=copy_translator(every_third_empty), show_progress=False)
    empty = {s.id for s in tagged if not s.meta["translate_test"]["tokens"]}
    assert len(empty) >= len(yor_test) // 4
    full = translate_test(ner_teacher, yor_test, TranslateTestOptions(src="yo", tgt="en"),
                          translator=copy_translator(), show_progress=False)
    assert [s.id for s in tagged] == [s.id for s in yor_test]
    assert all(set(s.tags) == {"O"} for s in tagged if s.id in empty)
    assert sum(len(s.spans) for s in tagged if s.id not in empty) > 20
    kept = [(a.id, a.tags) for a in tagged if a.id not in empty]
    assert sum(t == b.tags for (_, t), b in zip(kept, (b for b in full if b.id not in empty), strict=True)) >= 0.8 * len(kept)


def test_translate_test_cli_end_to_end_with_tiny_marian(tmp_path, ner_teacher, tiny_marian, yor_test, run_cli,
                                                        ner_threads):
    from augment.core import write_corpus

    src = tmp_path / "yo.conll"
    write_corpus(yor_test[:40], src)
    out = tmp_path / "yo.tt.jsonl"
    code, _, err = run_cli("ner", ["translate-test", ner_teacher, src, out, "--src", "yo", "--tgt", "en",
                                   "--mt", tiny_marian, "--extra-parallel", tmp_path / "none.tsv"])
    assert code == 1 and err.startswith("error: ") and err.count("\n") == 1 and not out.exists()
    code, _, err = run_cli("ner", ["translate-test", ner_teacher, src, out, "--src", "yo", "--tgt", "en",
                                   "--mt", tiny_marian])
    assert code == 0, err
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["tokens"] for r in records] == [s.tokens for s in yor_test[:40]]
    for r in records:
        assert len(r["tags"]) == len(r["tokens"])
        tags_to_spans(r["tags"])  # valid IOB2
        assert r["translate_test"]["tokens"]  # the random model always says something
    translations = [json.loads(line) for line in (tmp_path / "yo.tt.jsonl.mt.jsonl").read_text("utf-8").splitlines()]
    assert len(translations) == 40 and translations[0]["src"]["tokens"] == yor_test[0].tokens


def test_ensemble_of_saved_probabilities_matches_prediction(tmp_path, ner_teacher, yor_test, run_cli, ner_threads):
    from augment.core import read_corpus, write_corpus

    src = tmp_path / "yo.conll"
    write_corpus(yor_test[:60], src)
    pred = tmp_path / "pred.jsonl"
    code, _, err = run_cli("ner", ["predict", ner_teacher, src, pred, "--save-probs"])
    assert code == 0, err
    first = json.loads(pred.read_text("utf-8").splitlines()[0])
    assert len(first["probs"]) == len(first["tokens"]) and len(first["probs"][0]) == len(first["labels"])
    assert abs(sum(first["probs"][0]) - 1) < 1e-3
    ens = tmp_path / "ens.jsonl"
    code, _, err = run_cli("ner", ["ensemble", pred, pred, ens, "--method", "probs"])
    assert code == 0, err
    assert [s.tags for s in read_corpus(ens)] == [s.tags for s in read_corpus(pred)]


def test_pipeline_stages_translate_test_and_ensemble(tmp_path, ner_teacher, tiny_marian, yor_test, ner_threads):
    from augment.core import read_corpus, write_corpus
    from pipelines.stages import get_stage

    data = tmp_path / "yo.conll"
    write_corpus(yor_test[:30], data)
    stage = get_stage("translate_test")()
    tt_out = tmp_path / "tt"
    tt_out.mkdir()
    summary = stage.run({"model": ner_teacher, "data": data, "extra_parallel": None},
                        _settings(stage, src="yo", mt=str(tiny_marian)), tt_out)
    assert summary["sentences"] == 30 and 0 <= summary["metrics"]["f1"] <= 1
    assert (tt_out / "predictions.jsonl").exists() and (tt_out / "metrics.json").exists()

    pred = tmp_path / "pred.jsonl"
    from ner.predict import predict

    write_corpus(predict(ner_teacher, yor_test[:30]), pred)
    stage = get_stage("ensemble")()
    ens_out = tmp_path / "ens"
    ens_out.mkdir()
    summary = stage.run({"predictions": [pred, tt_out / "predictions.jsonl", pred], "gold": data},
                        _settings(stage, lang="yo"), ens_out)
    # two of three votes are the direct prediction: the ensemble keeps exactly its entities
    assert read_corpus(ens_out / "predictions.jsonl")[0].tags == read_corpus(pred)[0].tags
    assert summary["metrics"]["f1"] == pytest.approx(score_against(yor_test[:30], read_corpus(pred))["f1"])
    assert summary["lang"] == "yo"


def test_translate_test_markers_route_matches_entities_in_the_original(ner_teacher, yor_test, copy_translator,
                                                                       ner_threads):
    """Copy there, copy back with markers: every marked entity is found verbatim in the original,
    so the tags equal the direct predictions exactly."""
    from ner.predict import predict

    sentences = yor_test[:60]
    tagged = translate_test(ner_teacher, sentences, TranslateTestOptions(src="yo", tgt="en", projection="markers"),
                            translator=copy_translator(), back_translator=copy_translator(), show_progress=False)
    direct = predict(ner_teacher, sentences)
    assert [s.tags for s in tagged] == [s.tags for s in direct]
    # a sentence that already contains '[' or ']' cannot carry markers: it falls back to alignment
    expected = ["align" if any("[" in t or "]" in t for t in s.tokens) and d.spans else "markers"
                for s, d in zip(sentences, direct)]
    assert [s.meta["translate_test"]["via"] for s in tagged] == expected
    assert expected.count("markers") >= 50


def test_translate_test_match_spans_by_hand():
    from augment.core.record import Span
    from ner.translate_test import match_spans

    original = ["Ọ̀gbẹ́ni", "Ade", "Bello", "lọ", "sí", "ìlú", "Èkó", "lánàá"]
    back = ["Ade", "Bello", "ti", "lọ", "sí", "Eko"]
    # "Eko" matches "Èkó" (accents aside), the two-token name matches its n-gram; nothing overlaps
    assert match_spans([[0, 2, "PER"], [5, 6, "LOC"]], back, original) == [Span(1, 3, "PER"), Span(6, 7, "LOC")]
    assert match_spans([[2, 3, "ORG"]], back, original) == []  # "ti" is nowhere


def test_translate_test_stage_sharded_matches_unsharded(tmp_path, ner_teacher, tiny_marian, tiny_bert, yor_test,
                                                        ner_threads):
    """``shards: 3`` with SimAlign (local engine, inline) writes the bytes and the summary of one run
    (the projection's Dice scores come from the whole corpus, as in one run); with eflomal (which
    learns from the whole corpus) the run is not cut."""
    from augment.core import write_corpus
    from pipelines.shards import requested, run_stage
    from pipelines.stages import get_stage

    data = tmp_path / "yo.conll"
    write_corpus(yor_test, data)  # > 64 sentences: the translation plans several batches (shards follow them)
    cls = get_stage("translate_test")
    inputs = {"model": ner_teacher, "data": data, "extra_parallel": None}
    base = _settings(cls, src="yo", mt=str(tiny_marian), aligner="simalign", align_model=str(tiny_bert),
                     align_layer=1, device="cpu", batch_size=8, limit=140)
    runs = {}
    for name, shards in (("plain", 1), ("sharded", 3)):
        out = tmp_path / name / "out"
        out.mkdir(parents=True)
        summary = run_stage(cls, inputs, {**base, "shards": shards}, out, executor="inline")
        runs[name] = (summary, {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()})
    assert json.loads((tmp_path / "sharded" / "shards.json").read_text("utf-8"))["shards"] == 3
    assert not (tmp_path / "sharded" / "shards").exists()
    assert runs["sharded"] == runs["plain"]
    assert runs["plain"][0]["sentences"] == 140 and "metrics" in runs["plain"][0]
    assert {"predictions.jsonl", "translations.jsonl", "metrics.json"} <= set(runs["plain"][1])
    assert requested(cls, {**base, "shards": 3, "aligner": "eflomal"}) == 1
