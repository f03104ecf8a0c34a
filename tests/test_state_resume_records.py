"""Finding 1: resume state that is valid JSON of the wrong shape (a renamed key, a wrong type, a
record of another sentence) is checked field by field against what its reader needs, dropped with
one warning line and redone: never a KeyError traceback, in the CLIs or in a pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from augment.core.alignment import Alignment

# Each damages one resume record (a dict) the way a hand edit or a bad sync might.
TRANSLATE_DAMAGE = {
    "_index renamed": lambda r: {("index" if k == "_index" else k): v for k, v in r.items()},
    "_index a string": lambda r: {**r, "_index": str(r["_index"])},
    "_index out of range": lambda r: {**r, "_index": 10**6},
    "_index of another sentence": lambda r: {**r, "_index": (r["_index"] + 1) % 20},
    "src removed": lambda r: {k: v for k, v in r.items() if k != "src"},
    "tokens a string": lambda r: {**r, "tokens": " ".join(r["tokens"])},
    "long_input unknown": lambda r: {**r, "long_input": "sideways", "pieces": 2},
    "marker_issues a mapping": lambda r: {**r, "marker_issues": {"x": 1}},
}


def _damage_first(partial: Path, damage) -> None:
    lines = partial.read_text("utf-8").splitlines(keepends=True)
    lines[0] = json.dumps(damage(json.loads(lines[0])), ensure_ascii=False) + "\n"
    partial.write_text("".join(lines), "utf-8")


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "damaged resume record" in r.getMessage()]


@pytest.mark.parametrize("how", sorted(TRANSLATE_DAMAGE))
def test_state_resume_translate_record_of_the_wrong_shape_is_redone(run_cli, data_dir, tiny_marian, tmp_path,
                                                                     translate_batches, caplog, how):
    src = data_dir / "masakhaner1" / "yor" / "test.txt"
    args = ["--src", "yo", "--tgt", "en", "--model", tiny_marian, "--batch-size", 4, "--limit", 20, "--repair-tags"]
    whole = tmp_path / "whole.jsonl"
    assert run_cli("augment", ["translate", src, whole, *args])[0] == 0
    translate_batches.calls.clear()
    translate_batches.kill_at = 3
    out = tmp_path / "out.jsonl"
    assert run_cli("augment", ["translate", src, out, *args])[0] == 130
    translate_batches.kill_at = None
    _damage_first(tmp_path / "out.jsonl.partial.jsonl", TRANSLATE_DAMAGE[how])
    caplog.clear()
    code, _, err = run_cli("augment", ["translate", src, out, *args])
    assert code == 0, err
    assert len(_warnings(caplog)) == 1 and ".partial.jsonl:1: damaged resume record" in _warnings(caplog)[0]
    assert out.read_bytes() == whole.read_bytes()


def test_state_resume_translate_stage_in_a_pipeline(data_dir, tiny_marian, tmp_path, translate_batches, caplog):
    """The same damage in a pipeline's interrupted translate stage: the next run resumes, redoes the
    damaged records and writes what a clean run writes."""
    from pipelines.config import load_config
    from pipelines.runner import Pipeline
    from tests.fixtures.pipelines import output_hashes

    cfg = tmp_path / "t.yaml"
    cfg.write_text(f"name: t\ninputs:\n  corpus: {data_dir / 'masakhaner1' / 'yor' / 'test.txt'}\n"
                   f"  model: {tiny_marian}\nstages:\n  yo-en: {{kind: translate, inputs: {{corpus: corpus, "
                   "model: model}, settings: {src: yo, tgt: en, limit: 20, batch_size: 4}}\n")
    Pipeline(load_config(cfg), tmp_path / "clean").run()
    translate_batches.calls.clear()
    translate_batches.kill_at = 3
    with pytest.raises(KeyboardInterrupt):
        Pipeline(load_config(cfg), tmp_path / "w").run()
    translate_batches.kill_at = None
    partial = next((tmp_path / "w").glob("yo-en/all/.partial-*/out/translations.jsonl.partial.jsonl"))
    _damage_first(partial, TRANSLATE_DAMAGE["_index renamed"])
    caplog.clear()
    report = Pipeline(load_config(cfg), tmp_path / "w").run()
    assert report.count("ran") == 1 and len(_warnings(caplog)) == 1
    assert output_hashes(tmp_path / "w") == output_hashes(tmp_path / "clean")


class _Diagonal:
    """A stand-in aligner: token i to token i (deterministic), counting its calls."""

    calls = 0

    def __init__(self, fail_after: int | None = None):
        self.fail_after = fail_after

    def align(self, pairs):
        _Diagonal.calls += 1
        if self.fail_after is not None and _Diagonal.calls > self.fail_after:
            raise KeyboardInterrupt
        return [Alignment(tuple((i, i) for i in range(min(len(s), len(t)))), len(s), len(t)) for s, t in pairs]


ALIGN_DAMAGE = {
    "alignment renamed": lambda r: {("links" if k == "alignment" else k): v for k, v in r.items()},
    "src_len a string": lambda r: {**r, "src_len": str(r["src_len"])},
    "link out of range": lambda r: {**r, "alignment": [[999, 0]]},
    "id of another pair": lambda r: {**r, "id": "someone-else"},
    "other method": lambda r: {**r, "method": "eflomal"},
}


@pytest.mark.parametrize("how", sorted(ALIGN_DAMAGE))
def test_state_resume_align_record_of_the_wrong_shape_is_redone(data_dir, tmp_path, monkeypatch, caplog, how):
    import align.api as api
    from align.api import AlignOptions, align_to_file
    from align.readers import read_pairs

    pairs = read_pairs(data_dir / "menyo20k" / "dev.tsv")[:12]
    monkeypatch.setattr(api, "CHUNK", 4)
    options = AlignOptions(method="simalign")
    monkeypatch.setattr(api, "get_aligner", lambda name, **kw: _Diagonal())
    align_to_file(pairs, tmp_path / "whole.jsonl", options)
    _Diagonal.calls = 0
    monkeypatch.setattr(api, "get_aligner", lambda name, **kw: _Diagonal(fail_after=2))
    out = tmp_path / "links.jsonl"
    with pytest.raises(KeyboardInterrupt):
        align_to_file(pairs, out, options)
    partial = tmp_path / "links.jsonl.partial.jsonl"
    assert len(partial.read_text().splitlines()) == 8
    _damage_first(partial, ALIGN_DAMAGE[how])
    monkeypatch.setattr(api, "get_aligner", lambda name, **kw: _Diagonal())
    caplog.clear()
    counts = align_to_file(pairs, out, options)
    assert counts["pairs"] == 12 and len(_warnings(caplog)) == 1
    assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()


PROJECT_CACHE_DAMAGE = {
    "first line a list": lambda lines: ["[]\n", *lines[1:]],
    "alignment renamed": lambda lines: [lines[0].replace('"alignment"', '"links"'), *lines[1:]],
    "lengths changed": lambda lines: [json.dumps({**json.loads(lines[0]), "src_len": 999, "alignment": [[998, 0]]})
                                      + "\n", *lines[1:]],
    "a line missing": lambda lines: lines[:-1],
}


def test_state_resume_project_alignment_cache_of_the_wrong_shape_is_redone(tmp_path, europarl, run_cli, caplog):
    from augment.core import write_corpus

    en, de = europarl["en"][:20], europarl["de"][:20]
    write_corpus(en, tmp_path / "en.conll")
    (tmp_path / "de.txt").write_text("".join(" ".join(s.tokens) + "\n" for s in de), encoding="utf-8")
    args = ["project-labels", "--source", tmp_path / "en.conll", "--target", tmp_path / "de.txt",
            "--tgt-lang", "de", "--seed", "1"]
    out = tmp_path / "de.jsonl"
    assert run_cli("augment", [*args, out])[0] == 0
    cache = tmp_path / "de.jsonl.alignments.jsonl"
    clean = {p: p.read_bytes() for p in (out, cache)}
    for how, damage in PROJECT_CACHE_DAMAGE.items():
        cache.write_text("".join(damage(cache.read_text().splitlines(keepends=True))))
        caplog.clear()
        code, _, err = run_cli("augment", [*args, out])
        assert code == 0, (how, err)
        assert len([r for r in caplog.records if "damaged alignment cache" in r.getMessage()]) == 1, how
        assert {p: p.read_bytes() for p in clean} == clean, how
