"""``shards: N`` cuts a stage's sentences into contiguous shards, runs them (Ray tasks under the
Ray engine) and merges them into the same bytes as one unsharded run; a killed shard resumes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from augment.core.shards import bounds, merge_counts
from pipelines.config import load_config
from pipelines.runner import Pipeline

# Each sharded stage sits beside its unsharded twin (same settings but `shards`, so the same key
# in another directory): one run gives both outputs to compare.
CONFIG = """\
name: shards
vars: {{data: {data}}}
inputs:
  conll: ${{data}}/conll2003_en/eng.train
  menyo: ${{data}}/menyo20k/train.tsv
resources: {{cpus: 1}}
stages:
  en: {{kind: prepare, inputs: {{corpus: conll}}, settings: {{limit: 30, types: [PER, ORG, LOC], lang: en}}}}
  marian: {{kind: tiny-marian, inputs: {{parallel: menyo}}, settings: {{max_sentences: 300, vocab_size: 300, max_length: 24}}}}
  encoder: {{kind: tiny-encoder, inputs: {{texts: [en, menyo]}}, settings: {{max_sentences: 300, vocab_size: 600, hidden_size: 32, intermediate_size: 64}}}}
  translate: {{kind: translate, inputs: {{corpus: en, model: marian}}, settings: {{src: en, tgt: yo, batch_size: 4}}}}
  translate-sharded: {{kind: translate, inputs: {{corpus: en, model: marian}}, settings: {{src: en, tgt: yo, batch_size: 4, shards: 3}}}}
  align: {{kind: align, inputs: {{pairs: translate, model: encoder}}, settings: {{method: simalign, layer: 1, device: cpu}}}}
  align-sharded: {{kind: align, inputs: {{pairs: translate, model: encoder}}, settings: {{method: simalign, layer: 1, device: cpu, shards: 2}}}}
  project: {{kind: project, inputs: {{translations: translate, alignments: align}}, settings: {{lang: yo}}}}
  project-sharded: {{kind: project, inputs: {{translations: translate, alignments: align}}, settings: {{lang: yo, shards: 4}}}}
  teacher: {{kind: train, inputs: {{train: [en], model: encoder}}, settings: {{epochs: 1, lr: 0.001, max_length: 48, projection_dim: 16, lambda_label: 0, lambda_translation: 0, seed: 1}}}}
  predict: {{kind: predict, inputs: {{model: teacher, data: conll}}, settings: {{limit: 25, batch_size: 4, device: cpu}}}}
  predict-sharded: {{kind: predict, inputs: {{model: teacher, data: conll}}, settings: {{limit: 25, batch_size: 4, device: cpu, shards: 2}}}}
"""
TWINS = ("translate", "align", "project", "predict")


def _config(tmp_path: Path, data_dir: Path) -> Path:
    cfg = tmp_path / "shards.yaml"
    cfg.write_text(CONFIG.format(data=os.path.relpath(data_dir, tmp_path)), encoding="utf-8")
    return cfg


def _files(manifest: dict) -> dict[str, bytes]:
    """Every file under a run's out/ (declared outputs and what sits beside them), as bytes."""
    out = Path(manifest["dir"]) / "out"
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _assert_twins_identical(manifests: dict) -> None:
    for name in TWINS:
        plain, sharded = manifests[name], manifests[f"{name}-sharded"]
        assert sharded["key"] == plain["key"]  # `shards` is not in the cache key
        assert _files(sharded) == _files(plain), name
        assert sharded["summary"] == plain["summary"], name
        record = json.loads((Path(sharded["dir"]) / "shards.json").read_text("utf-8"))
        assert record["shards"] == sharded["settings"]["shards"]
        assert not (Path(sharded["dir"]) / "shards").exists()  # the staging dir is cleaned up


def test_pipelines_shards_bounds_and_count_merge():
    assert bounds(10, 3) == [(0, 4), (4, 7), (7, 10)]
    assert bounds(2, 5) == [(0, 1), (1, 2)]
    merged = merge_counts([{"n": 2, "by": {"PER": 1}, "ex": ["a"], "lang": "yo"},
                           {"n": 3, "by": {"LOC": 4, "PER": 1}, "ex": ["b"], "lang": "yo"}])
    assert merged == {"n": 5, "by": {"PER": 2, "LOC": 4}, "ex": ["a", "b"], "lang": "yo"}
    assert list(merged["by"]) == ["PER", "LOC"]  # first-appearance order, as one run meets them
    with pytest.raises(ValueError):
        merge_counts([{"lang": "yo"}, {"lang": "ha"}])


@pytest.mark.slow
def test_pipelines_shards_local_match_unsharded_and_a_killed_shard_resumes(tmp_path, data_dir, monkeypatch):
    import augment.translate.stage as stage

    pipe = Pipeline(load_config(_config(tmp_path, data_dir)), tmp_path / "w")
    real = stage.build_record
    calls = {"n": 0}

    def dies_in_the_second_shard(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 12 + 4 + 1:  # shard 1 of 3 (12, 8, 10 sentences) dies in its second batch of 4
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(stage, "build_record", dies_in_the_second_shard)
    with pytest.raises(KeyboardInterrupt):
        pipe.run(only=["translate-sharded"])
    staging = next((tmp_path / "w" / "translate-sharded" / "all").glob(".partial-*")) / "shards"
    assert (staging / "000-of-003" / "summary.json").exists()
    assert not (staging / "001-of-003" / "summary.json").exists()
    # shards are runs of whole batches of the unsharded plan (30 sentences, batches of 4)
    sizes = [len(json.loads((staging / f"00{i}-of-003" / "positions.json").read_text())) for i in range(3)]
    assert sizes == [12, 8, 10]

    calls["n"] = 0
    monkeypatch.setattr(stage, "build_record", lambda *a, **k: (calls.__setitem__("n", calls["n"] + 1), real(*a, **k))[1])
    report = pipe.run()
    # shard 0 was not run again; shard 1 kept its first batch; only 30 - 12 - 4 sentences were new
    assert calls["n"] == 30 - 12 - 4 + 30  # + the unsharded twin's 30
    _assert_twins_identical(report.manifests)
    assert report.manifests["project-sharded"]["summary"]["projection"]["sentences_in"] == 30
    assert (Path(report.manifests["project-sharded"]["dir"]) / "viewer.html").exists()


@pytest.mark.slow
def test_pipelines_shards_ray_tasks_match_unsharded(tmp_path, data_dir, tmp_path_factory, monkeypatch):
    monkeypatch.setenv("RAY_TMPDIR", str(tmp_path_factory.mktemp("ray")))
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    pipe = Pipeline(load_config(_config(tmp_path, data_dir)), tmp_path / "w")
    pipe.run(only=["en", "marian", "encoder", "teacher"])  # the models, built here (quicker)
    report = pipe.run(engine="ray", num_cpus=2)
    assert report.count("ran") == 2 * len(TWINS)
    _assert_twins_identical(report.manifests)
    record = json.loads((Path(report.manifests["translate-sharded"]["dir"]) / "shards.json").read_text("utf-8"))
    assert record["executor"] == "ray"
    # every shard ran as a Ray task in a worker process, not in the driver (Ray may give all of them
    # to one worker when they are short: how many workers it uses is Ray's choice, not asserted)
    assert len(record["shard_pids"]) == record["shards"] >= 2 and os.getpid() not in record["shard_pids"]


@pytest.mark.slow
def test_pipelines_shards_translate_cli_in_local_processes_matches_one_run(run_cli, tiny_marian, data_dir, tmp_path):
    from augment.core import read_corpus, write_corpus

    corpus = tmp_path / "en.jsonl"
    write_corpus(read_corpus(data_dir / "conll2003_en" / "eng.testa")[:20], corpus)
    args = ["translate", corpus, None, "--src", "en", "--tgt", "yo", "--model", tiny_marian, "--batch-size", "4"]
    for name, extra in (("one.jsonl", []), ("sharded.jsonl", ["--shards", "2"])):
        code, _, err = run_cli("augment", [a if a is not None else tmp_path / name for a in args] + extra)
        assert code == 0, err
        assert "wrote 20 translations" in err
    assert (tmp_path / "sharded.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert not list(tmp_path.glob("sharded.jsonl.shards-*"))  # the work directory is gone once merged
    code, _, err = run_cli("augment", [a if a is not None else tmp_path / "x.jsonl" for a in args] + ["--shards", "0"])
    assert code != 0 and "--shards must be at least 1" in err


PARALLEL = """\
name: shards-parallel
vars: {{data: {data}}}
inputs:
  en_gold: ${{data}}/europarl_ner_parallel/en-europarl.test.conll02
  de_gold: ${{data}}/europarl_ner_parallel/de-europarl.test.conll02
stages:
  en: {{kind: prepare, inputs: {{corpus: en_gold}}, settings: {{limit: 80, types: [PER, ORG, LOC], lang: en}}}}
  de: {{kind: prepare, inputs: {{corpus: de_gold}}, settings: {{limit: 80, types: [PER, ORG, LOC], lang: de}}}}
  links: {{kind: align, inputs: {{source: en, target: de}}, settings: {{method: eflomal, seed: 1, shards: 4}}}}
  project: {{kind: project, inputs: {{source: en, target: de, alignments: links}}, settings: {{lang: de, viewer: false}}}}
  project-sharded: {{kind: project, inputs: {{source: en, target: de, alignments: links}}, settings: {{lang: de, viewer: false, shards: 3}}}}
"""


def test_pipelines_shards_parallel_text_projection_and_eflomal_unsharded(tmp_path, data_dir):
    cfg = tmp_path / "parallel.yaml"
    cfg.write_text(PARALLEL.format(data=os.path.relpath(data_dir, tmp_path)), encoding="utf-8")
    m = Pipeline(load_config(cfg), tmp_path / "w").run().manifests
    assert not (Path(m["links"]["dir"]) / "shards.json").exists()  # eflomal learns from the whole corpus
    assert _files(m["project-sharded"]) == _files(m["project"])
    assert m["project-sharded"]["summary"] == m["project"]["summary"]
    assert m["project"]["summary"]["projection"]["sentences_in"] == 80


def test_pipelines_shards_translate_long_inputs_decode_the_unsharded_batches(tmp_path, data_dir, tiny_marian,
                                                                              monkeypatch):
    """Finding 13: the sharding hook plans batches with the stage's own planner, so with inputs longer
    than the model's limit (split into pieces) every shard decodes batches of the unsharded run and
    the merged file is byte-identical."""
    from augment.core import Sentence, read_corpus, write_corpus
    from augment.translate.backends.transformers import TransformersBackend

    sents = read_corpus(data_dir / "conll2003_en" / "eng.testa", to_scheme="iob2")[:60]
    glued = [Sentence(f"s{i}", [t for s in sents[i:i + n] for t in s.tokens], [t for s in sents[i:i + n] for t in s.tags],
                      "en") for i, n in zip(range(0, 60, 4), [1, 4, 2, 5, 1, 3, 6, 1, 2, 4, 1, 5, 2, 1, 3])]
    write_corpus(glued, tmp_path / "en.jsonl")
    cfg = tmp_path / "long.yaml"
    cfg.write_text(f"name: long\ninputs:\n  en: {tmp_path / 'en.jsonl'}\n  model: {tiny_marian}\nstages:\n"
                   "  plain: {kind: translate, inputs: {corpus: en, model: model}, settings: {src: en, tgt: yo, "
                   "max_batch_tokens: 120}}\n"
                   "  sharded: {kind: translate, inputs: {corpus: en, model: model}, settings: {src: en, tgt: yo, "
                   "max_batch_tokens: 120, shards: 3}}\n", encoding="utf-8")
    real = TransformersBackend.translate
    seen: dict[str, list[tuple[str, ...]]] = {"plain": [], "sharded": []}
    current = ["plain"]

    def logged(self, texts, **kw):
        seen[current[0]].append(tuple(texts))
        return real(self, texts, **kw)

    monkeypatch.setattr(TransformersBackend, "translate", logged)
    pipe = Pipeline(load_config(cfg), tmp_path / "w")
    m = pipe.run(only=["plain"]).manifests
    current[0] = "sharded"
    m.update(pipe.run(only=["sharded"]).manifests)
    assert m["plain"]["summary"]["translation"]["long_split"] >= 5  # long inputs were split
    assert json.loads((Path(m["sharded"]["dir"]) / "shards.json").read_text())["shards"] == 3
    assert sorted(seen["sharded"]) == sorted(seen["plain"])
    assert _files(m["sharded"]) == _files(m["plain"])
