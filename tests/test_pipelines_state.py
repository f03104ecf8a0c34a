"""Pipeline state: cache entries verified before reuse, code-aware keys, --force starts clean,
a model error stops the run, manifests name only paths that exist."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import pipelines.cache as cache
from augment.core.errors import ModelError
from pipelines.config import load_config
from pipelines.runner import Pipeline
from pipelines.stages import register
from pipelines.stages.base import Setting, Slot, Stage
from pipelines.status import pipeline_status
from tests.fixtures.pipelines import last_log, output_hashes


def run(config, workdir, **kw):
    return Pipeline(load_config(config), workdir).run(**kw)


def test_pipelines_state_truncated_cached_output_reruns(quick_config, tmp_path, caplog):
    cfg = quick_config()
    run(cfg, tmp_path / "w")
    target = next((tmp_path / "w" / "en").glob("*/*/out/corpus.jsonl"))
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2])  # cut in half on disk, manifest untouched
    rows = {r["run"]: r["state"] for r in pipeline_status(load_config(cfg), tmp_path / "w")}
    assert rows["en"] == "todo"
    assert "cached output changed" in caplog.text
    run(cfg, tmp_path / "w")
    assert {r for r, s in last_log(tmp_path / "w").items() if s == "ran"} == {"en"}
    assert target.read_bytes() == data


def _edit(monkeypatch, rel: str) -> None:
    """Make ``rel``'s source read as edited for the rest of the test; the code cache is cleared now
    and again when the test ends (pass or fail), so no later test sees the edited hashes."""
    real = cache.source_bytes

    def edited(path: Path) -> bytes:
        data = real(path)
        return data + b"\n# edited\n" if path.as_posix().endswith(rel) else data

    monkeypatch.setattr(cache, "source_bytes", edited)
    cache.clear_code_cache()


@pytest.fixture(autouse=True)
def _fresh_code_cache():
    yield
    cache.clear_code_cache()


def test_pipelines_state_code_key_covers_what_the_stage_imports(monkeypatch):
    from pipelines.stages import get_stage

    kinds = ("translate", "align", "project", "train")
    before = {k: cache.stage_code(get_stage(k)) for k in kinds}
    assert any(f.startswith("augment/project/") for f in before["project"])
    assert not [f for k in ("translate", "align") for f in before[k] if f.startswith("augment/project/")]
    assert not [f for k in kinds for f in before[k] if f.startswith(("tests/", "docs/"))]
    project_file = next(f for f in before["project"] if f.startswith("augment/project/") and
                        not f.endswith("__init__.py"))
    _edit(monkeypatch, project_file)
    after = {k: cache.stage_code(get_stage(k)) for k in kinds}
    assert after["project"] != before["project"]
    assert after["translate"] == before["translate"] and after["align"] == before["align"]
    cache.clear_code_cache()


def test_pipelines_state_editing_stage_code_reruns_it(quick_config, tmp_path, monkeypatch):
    cfg = quick_config()
    run(cfg, tmp_path / "w")
    before = {r: h for r, h in output_hashes(tmp_path / "w").items()}
    _edit(monkeypatch, "docs/pipelines.md")  # not code: nothing reruns
    assert run(cfg, tmp_path / "w").count("ran") == 0
    _edit(monkeypatch, "pipelines/stages/prepare.py")
    report = run(cfg, tmp_path / "w")
    # every run is a prepare, so all rerun, and give byte-identical outputs
    assert report.count("ran") == 7
    entries = json.loads((tmp_path / "w" / "last-run.json").read_text())["runs"]
    assert all(e["reason"].startswith("code changed: pipelines/stages/prepare.py")
               for e in entries if e["status"] == "ran")
    assert {r: h for r, h in output_hashes(tmp_path / "w").items()} == before
    cache.clear_code_cache()


class _Broken(Stage):
    kind = "test-broken-model"
    inputs = {"corpus": Slot("a corpus", required=False)}
    settings = {"seed": Setting(int, 0, "seed")}
    outputs = {"out": "out.txt"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        _Broken.calls += 1
        raise ModelError("cannot reach the hub for 'org/missing-model'")


_Broken.calls = 0


class _Paths(Stage):
    kind = "test-paths"
    settings = {"seed": Setting(int, 0, "seed")}
    outputs = {"out": "out.txt"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        (out / "out.txt").write_text("x\n")
        return {"written": str(out / "out.txt")}


def test_pipelines_state_model_error_stops_the_run(tmp_path):
    register(_Broken)
    _Broken.calls = 0
    cfg = tmp_path / "c.yaml"
    cfg.write_text("name: m\ngrid:\n  seed: [1, 2, 3]\nstages:\n"
                   "  train: {kind: test-broken-model, settings: {seed: '${seed}'}}\n")
    lines: list[str] = []
    with pytest.raises(ModelError, match="org/missing-model") as info:
        run(cfg, tmp_path / "w", echo=lines.append)
    assert _Broken.calls == 1
    assert "nothing else was started" in str(info.value)
    assert sum("missing-model" in line for line in lines) == 0  # printed once: by the final error
    assert sorted(last_log(tmp_path / "w").values()) == ["blocked", "blocked", "failed"]


def test_pipelines_state_manifest_paths_exist_after_the_run(tmp_path):
    register(_Paths)
    cfg = tmp_path / "c.yaml"
    cfg.write_text("name: p\nstages:\n  a: {kind: test-paths}\n")
    report = run(cfg, tmp_path / "w")
    manifest = report.manifests["a"]
    assert ".partial-" not in json.dumps(manifest)
    assert Path(manifest["summary"]["written"]).is_file() and Path(manifest["dir"]).is_dir()


def test_pipelines_state_force_discards_an_interrupted_attempt(quick_config, tmp_path):
    cfg = quick_config()
    pipe = Pipeline(load_config(cfg), tmp_path / "w")
    run(cfg, tmp_path / "w")
    planned = next(p for p in pipe.plan() if p.run.id == "en")
    rd = pipe.rundir(planned.run, planned.key)
    (rd.partial / "out").mkdir(parents=True)
    (rd.partial / "out" / "junk.bin").write_bytes(b"\x00damaged")
    run(cfg, tmp_path / "w", force=["en"])
    assert not rd.partial.exists() and not (rd.out / "junk.bin").exists()


def test_pipelines_state_outputs_carry_no_paths_or_timings(tmp_path):
    """What used to make equal stage outputs differ by work directory: a temp path inside the
    tiny Marian's vocabulary, the absolute model path in translation records, run logs in model
    folders (left out of the folder's content hash)."""
    from augment.translate.models import ModelSpec
    from augment.translate.tiny_models import _train_spm

    texts = ["the European Commission agreed", "Mr Smith met Ms Jones in Oslo"] * 40
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = _train_spm(texts, tmp_path / "a" / "spm", 60, ["«", "»"])
    b = _train_spm(texts, tmp_path / "b" / "spm", 60, ["«", "»"])
    assert a.read_bytes() == b.read_bytes() and str(tmp_path).encode() not in a.read_bytes()

    model = tmp_path / "w1" / "marian" / "out" / "model"
    model.mkdir(parents=True)
    assert ModelSpec(str(model), "marian", "en", "yo").info()["model"] == "model"

    for w, wall in (("w1", 1.5), ("w2", 2.25)):
        d = tmp_path / w / "m"
        d.mkdir(parents=True)
        (d / "model.safetensors").write_bytes(b"weights")
        (d / "summary.json").write_text(f'{{"wall_s": {wall}, "out": "{d}"}}')
        (d / "metrics.jsonl").write_text(f'{{"epoch": 1, "seconds": {wall}}}\n')
        (d / "train_mt.json").write_text(f'{{"options": {{"markers": "{d}/projected.jsonl"}}}}')  # train-mt's log
    assert cache.content_hash(tmp_path / "w1" / "m") == cache.content_hash(tmp_path / "w2" / "m")
    (tmp_path / "w2" / "m" / "model.safetensors").write_bytes(b"other weights")
    assert cache.content_hash(tmp_path / "w1" / "m") != cache.content_hash(tmp_path / "w2" / "m")


_DAMAGE = {  # valid JSON of the wrong shape, as a user or a bad sync might leave it
    "a list": lambda m: [],
    "no outputs": lambda m: {**m, "outputs": {}},
    "missing hashes": lambda m: {k: v for k, v in m.items() if k != "output_hashes"},
    "hashes a list": lambda m: {**m, "output_hashes": ["x"]},
    "key a number": lambda m: {**m, "key": 3},
    "edited summary": lambda m: {**m, "summary": {"sentences": 10**6}},
}


def _damage_manifest(workdir: Path, how: str) -> Path:
    path = next((workdir / "en").glob("*/*/manifest.json"))
    path.write_text(json.dumps(_DAMAGE[how](json.loads(path.read_text("utf-8")))), "utf-8")
    return path


def _damage_warnings(caplog) -> list[str]:
    found = [r.getMessage() for r in caplog.records if "damaged cache entry" in r.getMessage()]
    caplog.clear()
    return found


@pytest.mark.parametrize("how", sorted(_DAMAGE))
def test_pipelines_state_manifest_of_the_wrong_shape_is_redone(quick_config, tmp_path, run_cli, caplog, how):
    """Finding 5: a manifest that is JSON of the wrong shape is damaged cache: one warning, the stage
    is redone (dry run, status, --force and a plain run), never a traceback."""
    cfg, w = quick_config(), tmp_path / "w"
    code, _, err = run_cli("pipelines", ["run", cfg, "--workdir", w])
    assert code == 0, err
    before = output_hashes(w)
    _damage_manifest(w, how)
    caplog.clear()
    code, out, err = run_cli("pipelines", ["run", cfg, "--workdir", w, "--dry-run"])
    assert code == 0, err
    assert len(_damage_warnings(caplog)) == 1
    assert [line.split()[0] for line in out.splitlines() if "en  (its cache entry is damaged" in line] == ["run"]
    code, out, err = run_cli("pipelines", ["status", cfg, "--workdir", w])
    assert code == 0, err
    assert len(_damage_warnings(caplog)) == 1
    assert [line.split()[0] for line in out.splitlines() if line.split()[2] == "en"] == ["todo"]
    code, _, err = run_cli("pipelines", ["run", cfg, "--workdir", w, "--force", "en"])
    assert code == 0, err
    assert len(_damage_warnings(caplog)) == 1
    assert last_log(w)["en"] == "ran"
    _damage_manifest(w, how)
    code, _, err = run_cli("pipelines", ["run", cfg, "--workdir", w])
    assert code == 0, err
    assert len(_damage_warnings(caplog)) == 1
    assert {r for r, s in last_log(w).items() if s == "ran"} == {"en"}  # same bytes: the rest stays cached
    assert output_hashes(w) == before


def test_pipelines_state_status_with_a_damaged_last_run_log(quick_config, tmp_path, run_cli):
    cfg, w = quick_config(), tmp_path / "w"
    assert run_cli("pipelines", ["run", cfg, "--workdir", w])[0] == 0
    for damaged in ("[]", '{"runs": [{"status": "ran"}]}', '{"runs": 3}'):
        (w / "last-run.json").write_text(damaged)
        code, out, err = run_cli("pipelines", ["status", cfg, "--workdir", w])
        assert code == 0, err
        assert [line.split()[0] for line in out.splitlines()] == ["done"] * 7


def _en_rundir(cfg: Path, workdir: Path):
    pipe = Pipeline(load_config(cfg), workdir)
    planned = next(p for p in pipe.plan() if p.run.id == "en")
    return pipe.rundir(planned.run, planned.key)


@pytest.mark.parametrize("where", ["partial", "partial/out", "stage"])
def test_pipelines_state_link_planted_in_the_workdir_is_not_followed(quick_config, tmp_path, caplog, where):
    """Finding 7: a symlink planted at a stage's ``.partial-<key>`` (or a folder under it or above
    it) is removed with a warning, never written through; the keyed folder is a real folder."""
    cfg, w = quick_config(), tmp_path / "w"
    rd = _en_rundir(cfg, w)
    outside = tmp_path / "outside"
    (outside / "out").mkdir(parents=True)
    (outside / "out" / "corpus.jsonl").write_text("precious\n")
    (outside / "corpus.jsonl").write_text("precious\n")
    link = {"partial": rd.partial, "partial/out": rd.partial / "out", "stage": w / "en"}[where]
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside, target_is_directory=True)
    run(cfg, w)
    assert sorted(p.read_text() for p in outside.rglob("*.jsonl")) == ["precious\n", "precious\n"]
    assert sorted(p.name for p in outside.rglob("*")) == ["corpus.jsonl", "corpus.jsonl", "out"]
    assert not rd.final.is_symlink() and not (w / "en").is_symlink() and (rd.out / "corpus.jsonl").is_file()
    assert "was a symbolic link; removed it" in caplog.text


def test_pipelines_state_workdir_lock_never_through_a_link(quick_config, tmp_path, caplog):
    """Finding 8: the work directory's ``.lock`` is the state layer's lock: a symlink there is not
    followed (no file made outside), a hard link to another file does not get it overwritten."""
    cfg, w = quick_config(), tmp_path / "w"
    w.mkdir()
    (w / ".lock").symlink_to(tmp_path / "made-outside")
    run(cfg, w)
    assert not os.path.lexists(tmp_path / "made-outside")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    os.link(victim, w / ".lock")
    run(cfg, w)
    assert victim.read_text() == "precious\n" and victim.stat().st_nlink == 1
    assert not os.path.lexists(w / ".lock")


# Finding 11: the key covers the code that runs: every module of a registry (aligners, backends,
# corpus formats, projection strategies) a stage imports, and every package's __init__.py.
# file edited -> the stage kinds whose key must change (and no other).
_RUNS_IT = {
    "align/aligners/eflomal.py": {"align", "project", "translate_test"},
    "align/aligners/simalign.py": {"align", "project", "translate_test"},
    "align/symmetrize.py": {"align", "project", "translate_test", "combine-alignments"},
    "augment/translate/backends/ctranslate2.py": {"translate", "translate_test", "train_mt", "score_mt", "tiny-marian"},
    "augment/translate/backends/transformers.py": {"translate", "translate_test", "train_mt", "score_mt", "tiny-marian"},
    "augment/project/strategies/markers.py": {"project", "translate_test"},
    "augment/project/__init__.py": {"project", "translate_test"},
    "augment/core/formats/parquet.py": "every stage that reads a corpus",
    "augment/core/formats/__init__.py": "every stage that reads a corpus",
}


@pytest.mark.parametrize("rel", sorted(_RUNS_IT))
def test_pipelines_state_editing_a_registered_module_changes_exactly_its_stages_keys(monkeypatch, rel):
    from pipelines.stages import get_stage, stage_kinds

    before = {k: cache.stage_code(get_stage(k)) for k in stage_kinds()}
    _edit(monkeypatch, rel)
    after = {k: cache.stage_code(get_stage(k)) for k in stage_kinds()}
    changed = {k for k in before if after[k] != before[k]}
    expected = _RUNS_IT[rel]
    if isinstance(expected, str):  # the corpus readers: whoever imports augment.core.io
        expected = {k for k, files in before.items() if "augment/core/io.py" in files}
        assert {"prepare", "translate", "align", "project", "train"} <= expected
    assert changed == expected
    cache.clear_code_cache()


def test_pipelines_state_editing_eflomal_reruns_alignment_and_what_follows(tmp_path, data_dir, tiny_marian, monkeypatch):
    """The issue's case: an edit to the eflomal aligner's module reruns align and project (which may
    align too), never translation; an edit to a backend reruns translation only (same bytes out, so
    what follows stays cached); an edit to a projection strategy reruns projection."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"name: reg\ninputs:\n  conll: {data_dir / 'conll2003_en' / 'eng.testa'}\n  mt: {tiny_marian}\n"
                   "stages:\n"
                   "  en: {kind: prepare, inputs: {corpus: conll}, settings: {limit: 20, types: [PER, ORG, LOC]}}\n"
                   "  yo: {kind: translate, inputs: {corpus: en, model: mt}, settings: {src: en, tgt: yo}}\n"
                   "  links: {kind: align, inputs: {pairs: yo}, settings: {method: eflomal, seed: 1}}\n"
                   "  proj: {kind: project, inputs: {translations: yo, alignments: links}, settings: {viewer: false}}\n")
    run(cfg, tmp_path / "w")
    before = output_hashes(tmp_path / "w")
    for rel, reruns in (("align/aligners/eflomal.py", {"links", "proj"}),
                        ("augment/translate/backends/transformers.py", {"yo"}),
                        ("augment/project/strategies/markers_align.py", {"proj"})):
        _edit(monkeypatch, rel)
        report = run(cfg, tmp_path / "w")
        assert {e["run"] for e in report.entries if e["status"] == "ran"} == reruns, rel
        assert output_hashes(tmp_path / "w") == before
    cache.clear_code_cache()


def test_pipelines_state_model_folder_logs_name_no_partial_directory(tmp_path, data_dir):
    """A model folder's run logs (train_config.json names its --out) name the keyed folder the run
    landed in, never the ``.partial-<key>`` folder it ran in (gone once the run is done)."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"name: logs\ninputs:\n  conll: {data_dir / 'conll2003_en' / 'eng.train'}\nstages:\n"
                   "  en: {kind: prepare, inputs: {corpus: conll}, settings: {limit: 20, types: [PER, ORG, LOC]}}\n"
                   "  encoder: {kind: tiny-encoder, inputs: {texts: [en]}, settings: {max_sentences: 20, "
                   "vocab_size: 200, hidden_size: 16, intermediate_size: 32}}\n"
                   "  teacher: {kind: train, inputs: {train: [en], model: encoder}, settings: {epochs: 1, "
                   "max_length: 32, projection_dim: 8, lambda_translation: 0, seed: 1}}\n")
    report = run(cfg, tmp_path / "w")
    model = Path(report.manifests["teacher"]["dir"]) / "out" / "model"
    assert json.loads((model / "train_config.json").read_text("utf-8"))["out"] == str(model)
    leaks = [str(p) for p in (tmp_path / "w").rglob("*") if p.is_file() and p.suffix in (".json", ".jsonl")
             and "runs" not in p.parts and b".partial-" in p.read_bytes()]
    assert leaks == []
