"""The example configs validate and expand into the planned runs; the docs' stage reference is
the one the adapters generate."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipelines.config import load_config
from pipelines.graph import build_graph
from pipelines.stages._reference import BEGIN, END, markdown

REPO = Path(__file__).resolve().parents[1]


def test_pipelines_examples_expand_into_the_planned_runs():
    real = Counter(r.stage for r in build_graph(load_config(REPO / "examples" / "en-yo-ha-sw.yaml")))
    assert real["en"] == 1 and real["translate"] == 3 and real["align"] == 3
    assert real["zero-shot"] == 3  # English only: trained once per seed, scored on each language
    assert real["projected+cl"] == 9 and real["distilled"] == 9 and real["evaluate-distilled"] == 9
    runs = {r.id: r for r in build_graph(load_config(REPO / "examples" / "en-yo-ha-sw.yaml"))}
    assert len(runs["align[tgt=yo]"].inputs["extra"]) == 1 and runs["align[tgt=ha]"].inputs["extra"] == []
    assert runs["projected+cl[tgt=ha,seed=2]"].settings["seed"] == 2
    demo = build_graph(load_config(REPO / "examples" / "offline-demo.yaml"))
    assert [r.stage for r in demo if r.kind == "evaluate"] == [
        "evaluate-zero-shot", "evaluate-projected+cl", "evaluate-distilled", "evaluate-supervised"]
    small = {r.stage: r for r in build_graph(load_config(REPO / "examples" / "offline-demo.yaml",
                                                         variables={"n_en": 5, "epochs": 1}))}
    assert small["en"].settings["limit"] == 5 and small["supervised"].settings["epochs"] == 1


def test_pipelines_docs_stage_reference_is_current():
    text = (REPO / "docs" / "pipelines.md").read_text("utf-8")
    block = text[text.index(BEGIN): text.index(END) + len(END)]
    assert block == markdown(), "regenerate with: python -m pipelines.stages._reference"
