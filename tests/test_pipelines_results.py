"""The results table: one row per evaluate run, mean and sample std over seeds, CSV, Markdown, plot."""

from __future__ import annotations

import csv
import statistics

from pipelines.results import collect, write_results


def manifest(method, lang, seed, f1, per_type):
    return {"run": f"evaluate-{method}[tgt={lang},seed={seed}]", "stage": f"evaluate-{method}", "label": method,
            "key": f"{hash((method, lang, seed)) & 0xffffffffffffffff:016x}", "binding": {"tgt": lang, "seed": seed},
            "settings": {}, "summary": {"metrics": {"precision": f1, "recall": f1, "f1": f1,
                                                    "per_type": {t: {"f1": v} for t, v in per_type.items()}}}}


def test_pipelines_results_mean_std_over_seeds_and_files(tmp_path):
    f1s = {("projected", "yo"): [0.1, 0.2, 0.4], ("projected", "ha"): [0.3, 0.5, 0.4], ("zero-shot", "yo"): [0.05]}
    ms = [manifest(m, lang, seed, f1, {"PER": f1 / 2, "LOC": f1})
          for (m, lang), values in f1s.items() for seed, f1 in enumerate(values, 1)]
    ms.append({"run": "project[tgt=yo]", "stage": "project", "key": "0" * 16, "binding": {"tgt": "yo"},
               "summary": {"projection": {"sentences_in": 10, "sentences_out": 8}}})
    res = collect(ms)
    assert len(res["rows"]) == 7 and res["types"] == ["LOC", "PER"]
    agg = {(a["method"], a["lang"]): a for a in res["summary"]}
    for k, values in f1s.items():
        assert abs(agg[k]["f1"] - statistics.mean(values)) < 1e-12
        std = statistics.stdev(values) if len(values) > 1 else 0.0
        assert abs(agg[k]["f1_std"] - std) < 1e-12
        assert abs(agg[k]["f1_PER"] - statistics.mean(values) / 2) < 1e-12
        assert agg[k]["seeds"] == len(values)
    out = write_results(ms, tmp_path / "results", title="t")
    assert set(out["files"]) >= {"results.md", "results.csv", "summary.csv", "projection.csv", "f1.png"}
    rows = list(csv.DictReader(open(out["files"]["results.csv"])))
    assert [r["seed"] for r in rows if r["method"] == "projected" and r["lang"] == "ha"] == ["1", "2", "3"]
    md = open(out["files"]["results.md"]).read()
    assert "| projected | yo | 3 | 0.233 ± 0.153 |" in md
    assert "| zero-shot | yo | 1 | 0.050 | 0.050 |" in md  # one seed: the value, no "± 0.000"
    assert "0.0500" not in md and "± 0.000 " not in md
    assert "| project[tgt=yo] | yo | 10 | 8 |" in md
    assert open(out["files"]["f1.png"], "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_pipelines_results_brief_table_uses_labels_three_decimals_and_no_std_for_one_seed(tmp_path):
    one = [manifest("zero-shot (English only)", "yo", 1, 0.0649, {}), manifest("ConCNER", "yo", 1, 0.2104, {})]
    table = write_results(one, tmp_path / "a")["brief"]
    assert table.splitlines()[:4] == ["| arm | entity F1 |", "| --- | --- |", "| zero-shot (English only) | 0.065 |",
                                      "| ConCNER | 0.210 |"]
    assert "±" not in table and "one seed" in table
    three = [manifest("ConCNER", lang, seed, f1, {}) for lang, f1s in (("yo", [0.1, 0.2, 0.4]), ("ha", [0.3, 0.5, 0.4]))
             for seed, f1 in enumerate(f1s, 1)]
    table = write_results(three, tmp_path / "b")["brief"]
    assert table.splitlines()[0] == "| arm | F1 yo | F1 ha |"
    assert "| ConCNER | 0.233 ± 0.153 | 0.400 ± 0.100 |" in table and "over 3 seeds" in table
