"""The cache: a rerun does no stage work, a change reruns exactly what depends on it, a deleted
output reruns just its stage, and a kill in the middle of a stage loses nothing."""

from __future__ import annotations

import json
import shutil

import pytest

from pipelines.config import load_config
from pipelines.runner import Pipeline
from tests.fixtures.pipelines import last_log, output_hashes


def run(config, workdir, **kw):
    return Pipeline(load_config(config), workdir).run(**kw)


def test_pipelines_second_run_does_no_stage_work(quick_config, tmp_path):
    cfg = quick_config()
    first = run(cfg, tmp_path / "w")
    assert first.count("ran") == 7 and first.count("cached") == 0
    assert set(last_log(tmp_path / "w").values()) == {"ran"}
    second = run(cfg, tmp_path / "w")
    log = last_log(tmp_path / "w")
    assert len(log) == 7 and set(log.values()) == {"cached"}
    assert second.count("ran") == 0
    # each stage run has its own keyed directory with a complete manifest
    manifests = [json.loads(p.read_text()) for p in (tmp_path / "w").glob("*/*/*/manifest.json")]
    assert len(manifests) == 7
    m = next(m for m in manifests if m["run"] == "subset[tgt=yo,seed=2]")
    assert m["status"] == "complete" and m["settings"]["offset"] == 2
    assert m["inputs"]["corpus"][0]["from"] == "gold-slice[tgt=yo]"
    assert m["toolkit_version"] and m["key"].startswith(m["key"][:16])
    lines = (tmp_path / "w" / m["stage"] / "tgt-yo_seed-2" / m["key"][:16] / "out" / "corpus.jsonl").read_text().splitlines()
    assert len(lines) == 10


def test_pipelines_changing_a_setting_reruns_exactly_the_dependent_stages(quick_config, tmp_path):
    run(quick_config(en_limit=40), tmp_path / "w")
    run(quick_config(en_limit=40, extra="  tail: {kind: prepare, inputs: {corpus: en}, settings: {limit: 5}}\n"),
        tmp_path / "w")
    log = last_log(tmp_path / "w")
    assert log["tail"] == "ran" and sum(s == "ran" for s in log.values()) == 1
    # en's limit feeds en and tail only; gold-slice and subset stay cached
    run(quick_config(en_limit=30, extra="  tail: {kind: prepare, inputs: {corpus: en}, settings: {limit: 5}}\n"),
        tmp_path / "w")
    log = last_log(tmp_path / "w")
    assert {r for r, s in log.items() if s == "ran"} == {"en", "tail"}
    assert all(s == "cached" for r, s in log.items() if r not in ("en", "tail"))


def test_pipelines_unchanged_upstream_output_keeps_downstream_cached(quick_config, tmp_path):
    """en limit 40 -> 41 changes en's output; a tail that keeps only 5 sentences gives the same
    bytes, so whatever reads tail stays cached (keys hash input content, not upstream keys)."""
    extra = ("  tail: {kind: prepare, inputs: {corpus: en}, settings: {limit: 5}}\n"
             "  tail2: {kind: prepare, inputs: {corpus: tail}, settings: {limit: 3}}\n")
    run(quick_config(en_limit=40, extra=extra), tmp_path / "w")
    run(quick_config(en_limit=41, extra=extra), tmp_path / "w")
    log = last_log(tmp_path / "w")
    assert log["en"] == "ran" and log["tail"] == "ran" and log["tail2"] == "cached"


def test_pipelines_deleting_one_output_reruns_just_that_one(quick_config, tmp_path):
    cfg = quick_config()
    run(cfg, tmp_path / "w")
    before = output_hashes(tmp_path / "w")
    target = next((tmp_path / "w" / "gold-slice" / "tgt-ha").glob("*/out/corpus.jsonl"))
    target.unlink()
    run(cfg, tmp_path / "w")
    log = last_log(tmp_path / "w")
    assert {r for r, s in log.items() if s == "ran"} == {"gold-slice[tgt=ha]"}
    assert output_hashes(tmp_path / "w") == before
    # a whole keyed directory removed: same
    shutil.rmtree(target.parent.parent)
    run(cfg, tmp_path / "w")
    assert {r for r, s in last_log(tmp_path / "w").items() if s == "ran"} == {"gold-slice[tgt=ha]"}


def test_pipelines_force_reruns_a_stage(quick_config, tmp_path):
    cfg = quick_config()
    run(cfg, tmp_path / "w")
    run(cfg, tmp_path / "w", force=["subset"])
    log = last_log(tmp_path / "w")
    assert {r for r, s in log.items() if s == "ran"} == {f"subset[tgt={t},seed={s}]" for t in ("yo", "ha") for s in (1, 2)}


def test_pipelines_only_runs_a_stage_and_what_it_needs(quick_config, tmp_path):
    run(quick_config(), tmp_path / "w", only=["gold-slice"])
    assert set(last_log(tmp_path / "w")) == {"gold-slice[tgt=yo]", "gold-slice[tgt=ha]"}


def test_pipelines_kill_during_a_stage_then_rerun_gives_the_same_outputs(quick_config, tmp_path, monkeypatch):
    cfg = quick_config()
    run(cfg, tmp_path / "clean")
    import augment.core

    real = augment.core.write_corpus
    calls = {"n": 0}

    def dying(sentences, path, format=None):
        calls["n"] += 1
        if calls["n"] == 4:  # the 4th stage run is killed while writing its output
            real(sentences[: len(sentences) // 2], str(path) + ".half")
            raise KeyboardInterrupt
        return real(sentences, path, format)

    monkeypatch.setattr(augment.core, "write_corpus", dying)
    with pytest.raises(KeyboardInterrupt):
        run(cfg, tmp_path / "w")
    log = json.loads((tmp_path / "w" / "last-run.json").read_text())
    assert log["status"] == "interrupted"
    assert [e["status"] for e in log["runs"]].count("ran") == 3
    assert len(list((tmp_path / "w").glob("*/*/.partial-*"))) == 1  # kept for the stage's own resume
    monkeypatch.setattr(augment.core, "write_corpus", real)
    report = run(cfg, tmp_path / "w")
    assert report.count("cached") == 3 and report.count("ran") == 4
    assert output_hashes(tmp_path / "w") == output_hashes(tmp_path / "clean")
    assert not list((tmp_path / "w").glob("*/*/.partial-*"))


def test_pipelines_second_run_in_the_same_workdir_is_refused(quick_config, tmp_path):
    import fcntl

    from augment.core.errors import XnerError

    (tmp_path / "w").mkdir()
    with open(tmp_path / "w" / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(XnerError, match="another 'pipelines run' is using this work directory"):
            run(quick_config(), tmp_path / "w")
    assert run(quick_config(), tmp_path / "w").count("ran") == 7
