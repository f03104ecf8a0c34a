"""One projection flow and one align flow: the CLIs and the pipeline stages give the same files
from the same options, the pipeline's align stage resumes after a kill, options are declared once."""

from __future__ import annotations

import json

import pytest

from align.api import AlignOptions, align_to_file
from align.readers import TokenPair
from augment.core.alignment import Alignment
from augment.core.options import pipeline_settings
from augment.project.flow import ProjectOptions


@pytest.fixture()
def en_de(tmp_path, europarl):
    """40 Europarl pairs: labelled English (conll02, IOB1) and the German side as plain text."""
    from augment.core import write_corpus

    en, de = europarl["en"][:40], europarl["de"][:40]
    write_corpus(en, tmp_path / "en.conll")
    (tmp_path / "de.txt").write_text("".join(" ".join(s.tokens) + "\n" for s in de), encoding="utf-8")
    return tmp_path / "en.conll", tmp_path / "de.txt"


def test_project_flow_cli_and_stage_write_the_same_files(tmp_path, en_de, run_cli):
    from pipelines.stages.project import Project

    src, tgt = en_de
    cli_out = tmp_path / "cli" / "projected.jsonl"
    cli_out.parent.mkdir()
    code, _, err = run_cli("augment", ["project-labels", "--source", src, "--target", tgt, cli_out,
                                       "--tgt-lang", "de", "--filter-option", "coverage=0.2", "--seed", "3"])
    assert code == 0, err
    stage_dir = tmp_path / "stage"
    stage_dir.mkdir()
    settings = {name: s.default for name, s in Project.settings.items()}
    settings.update(lang="de", filter_options={"coverage": 0.2}, seed=3, viewer=False)
    summary = Project().run({"translations": None, "source": src, "target": tgt, "alignments": None},
                            settings, stage_dir)
    # same pairs, same alignments (computed once and cached the same way), same projection
    assert (stage_dir / "projected.jsonl").read_text() == cli_out.read_text()
    assert (stage_dir / "projected.dropped.jsonl").read_text() == (tmp_path / "cli" / "projected.jsonl.dropped.jsonl").read_text()
    cache = [json.loads(line) for line in (stage_dir / "projected.jsonl.alignments.jsonl").read_text().splitlines()]
    assert len(cache) == 40 and cache == [json.loads(line) for line in
                                          (tmp_path / "cli" / "projected.jsonl.alignments.jsonl").read_text().splitlines()]
    assert summary["projection"]["sentences_in"] == 40 and summary["lang"] == "de"
    # the cache is reused by a rerun with other filters (same pairs and aligner options)
    before = (stage_dir / "projected.jsonl.alignments.jsonl").stat().st_mtime_ns
    Project().run({"translations": None, "source": src, "target": tgt, "alignments": None},
                  {**settings, "no_filter": ["all"]}, stage_dir)
    assert (stage_dir / "projected.jsonl.alignments.jsonl").stat().st_mtime_ns == before
    assert len((stage_dir / "projected.jsonl").read_text().splitlines()) == 40


def test_project_flow_same_tag_repair_in_cli_and_stage(tmp_path, run_cli):
    from pipelines.stages.project import Project

    # IOB2 source with a MasakhaNER-style slip in sentence 3 (an entity opening with I- after O)
    (tmp_path / "src.conll").write_text("Adé B-PER\nwent O\n\nOlú B-PER\nsang O\n\nHe O\nmet O\nTundé I-PER\n\n",
                                        encoding="utf-8")
    (tmp_path / "tgt.txt").write_text("Adé lọ\nOlú kọrin\nÓ pàdé Tundé\n", encoding="utf-8")
    (tmp_path / "links.txt").write_text("0-0 1-1\n0-0 1-1\n0-0 1-1 2-2\n", encoding="utf-8")
    common = ["--source", tmp_path / "src.conll", "--target", tmp_path / "tgt.txt", "--alignments", tmp_path / "links.txt"]
    code, _, err = run_cli("augment", ["project-labels", *common, tmp_path / "cli.jsonl"])
    assert code == 0, err
    settings = {name: s.default for name, s in Project.settings.items()} | {"viewer": False}
    Project().run({"translations": None, "source": tmp_path / "src.conll", "target": tmp_path / "tgt.txt",
                   "alignments": tmp_path / "links.txt"}, settings, tmp_path)
    assert (tmp_path / "projected.jsonl").read_text() == (tmp_path / "cli.jsonl").read_text()
    last = json.loads((tmp_path / "cli.jsonl").read_text().splitlines()[-1])
    assert last["src"]["tags"] == ["O", "O", "B-PER"] and last["tags"] == ["O", "O", "B-PER"]
    code, _, err = run_cli("augment", ["project-labels", *common, tmp_path / "strict.jsonl", "--no-repair-tags"])
    assert code == 1 and err.startswith(f"error: {tmp_path / 'src.conll'}:9: ") and "--repair-tags" in err
    with pytest.raises(Exception, match="src.conll:9"):
        Project().run({"translations": None, "source": tmp_path / "src.conll", "target": tmp_path / "tgt.txt",
                       "alignments": tmp_path / "links.txt"}, {**settings, "repair_tags": False}, tmp_path / "x")


def test_project_flow_options_declared_once():
    from pipelines.shards import EXECUTION_SETTINGS
    from pipelines.stages.align import Align
    from pipelines.stages.project import Project

    assert {k: v.default for k, v in Align.settings.items() if k not in EXECUTION_SETTINGS} == {
        k: v.default for k, v in pipeline_settings(AlignOptions).items()}
    assert set(Project.settings) - set(EXECUTION_SETTINGS) == set(pipeline_settings(ProjectOptions)) | {"viewer"}


class _Diagonal:
    """An aligner that links token i to token i, and fails on the batch ``fail_at`` (a kill)."""

    calls: list[int] = []

    def __init__(self, fail_at: int | None = None, **_):
        self.fail_at = fail_at

    def align(self, pairs):
        _Diagonal.calls.append(len(pairs))
        if self.fail_at is not None and len(_Diagonal.calls) == self.fail_at:
            raise KeyboardInterrupt
        return [Alignment(tuple((i, i) for i in range(min(len(s), len(t)))), len(s), len(t)) for s, t in pairs]


def test_project_flow_align_stage_resumes_after_a_kill(tmp_path, monkeypatch, data_dir):
    import align.api
    from align.readers import read_pairs
    from pipelines.stages.align import Align

    pairs = read_pairs(data_dir / "menyo20k" / "dev.tsv")[:25]
    (tmp_path / "pairs.txt").write_text("".join(" ".join(p.src) + " ||| " + " ".join(p.tgt) + "\n" for p in pairs),
                                        encoding="utf-8")
    monkeypatch.setattr(align.api, "CHUNK", 10)
    monkeypatch.setattr(align.api, "get_aligner", lambda name, **kw: _Diagonal(fail_at=2))
    settings = {name: s.default for name, s in Align.settings.items()} | {"method": "simalign"}
    inputs = {"pairs": tmp_path / "pairs.txt", "source": None, "target": None, "extra": [], "model": None}
    _Diagonal.calls = []
    with pytest.raises(KeyboardInterrupt):
        Align().run(inputs, settings, tmp_path)
    assert len((tmp_path / "alignments.jsonl.partial.jsonl").read_text().splitlines()) == 10
    monkeypatch.setattr(align.api, "get_aligner", lambda name, **kw: _Diagonal())
    _Diagonal.calls = []
    counts = Align().run(inputs, settings, tmp_path)
    assert _Diagonal.calls == [10, 5]  # only the 15 pairs not done before
    recs = [json.loads(line) for line in (tmp_path / "alignments.jsonl").read_text().splitlines()]
    assert counts["pairs"] == 25 and [r["id"] for r in recs] == [p.id for p in read_pairs(tmp_path / "pairs.txt")]
    assert not (tmp_path / "alignments.jsonl.partial.jsonl").exists()
    # other options: the partial file of the killed run is not reused
    _Diagonal.calls = []
    align_to_file([TokenPair(p.id, p.src, p.tgt) for p in pairs], tmp_path / "b.txt",
                  AlignOptions(method="simalign", layer=2))
    assert _Diagonal.calls == [10, 10, 5] and len((tmp_path / "b.txt").read_text().splitlines()) == 25
