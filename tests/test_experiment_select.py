"""The ``select-entities`` stage: sentences with entities are all kept, the others sampled by a
seeded fraction, and extra JSONL keys (a projection's ``src``) survive, so pairs stay pairs."""

from __future__ import annotations

import json

import pytest

from augment.core import Sentence, read_corpus, write_corpus
from augment.core.errors import ConfigError
from pipelines.stages import get_stage
from pipelines.stages.exp_select import select_entity_sentences


def run_stage(corpus, out, **settings):
    cls = get_stage("select-entities")
    merged = {k: s.default for k, s in cls.settings.items()} | settings
    out.mkdir(parents=True, exist_ok=True)
    return cls().run({"corpus": corpus}, merged, out)


def test_experiment_select_keeps_entity_sentences_of_real_data(data_dir, tmp_path):
    path = data_dir / "masakhaner1" / "yor" / "dev.txt"
    gold = read_corpus(path, repair=True, to_scheme="iob2")
    with_entities = [s for s in gold if s.spans]
    summary = run_stage(path, tmp_path / "none")
    kept = read_corpus(tmp_path / "none" / "selected.jsonl")
    assert [s.tokens for s in kept] == [s.tokens for s in with_entities]
    assert summary == {"sentences_in": 305, "sentences_kept": len(with_entities), "with_entities": len(with_entities)}

    summary = run_stage(path, tmp_path / "all", keep_empty=1.0)
    assert summary["sentences_kept"] == 305
    twice = [run_stage(path, tmp_path / f"half{i}", keep_empty=0.5, seed=3)["sentences_kept"] for i in range(2)]
    assert twice[0] == twice[1]
    assert len(with_entities) < twice[0] < 305
    two = run_stage(path, tmp_path / "two", min_entities=2)
    assert two["sentences_kept"] == sum(1 for s in gold if len(s.spans) >= 2)


def test_experiment_select_keeps_projection_keys(tmp_path):
    src = {"id": "e1", "lang": "en", "tokens": ["Ade", "went", "home"], "tags": ["B-PER", "O", "O"]}
    sentences = [Sentence("y1", ["Adé", "lọ", "ilé"], ["B-PER", "O", "O"], "yo", {"src": src}),
                 Sentence("y2", ["ó", "dára"], ["O", "O"], "yo", {"src": {**src, "tags": ["O", "O", "O"]}})]
    write_corpus(sentences, tmp_path / "projected.jsonl")
    run_stage(tmp_path / "projected.jsonl", tmp_path / "out")
    rows = [json.loads(line) for line in (tmp_path / "out" / "selected.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["y1"] and rows[0]["src"] == src
    assert select_entity_sentences(sentences, keep_empty=0.0) == sentences[:1]
    with pytest.raises(ConfigError, match="keep_empty"):
        run_stage(tmp_path / "projected.jsonl", tmp_path / "bad", keep_empty=1.5)
