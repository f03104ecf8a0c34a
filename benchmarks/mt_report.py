"""Write docs/results/mt.csv, mt.md, mt.curve.csv and mt.png from a finished run of
examples/mt-real.yaml: test-set scores from the ``score_mt`` manifests, training counts, cost and
the learning curves from each model's ``train_mt.json``, sample translations from the stages'
``translations.jsonl``. Nothing is typed in by hand but the reading at the end.

    python benchmarks/mt_report.py runs/mt-real
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "results"
NAME = "mt"
CONFIG = "mt-real"
MODELS = ("mt-en-yo", "mt-yo-en", "mt-en-ha", "mt-en-sw")
COLUMNS = ("model", "direction", "test_set", "sentences", "chrf", "bleu", "marker_survival_entities",
           "copy_chrf", "copy_bleu", "distinct_outputs", "entities", "entities_carried", "sentences_with_entities",
           "sentences_intact", "marker_survival_sentences")
SAMPLES = 10


def manifests(work: Path, stage: str) -> list[dict[str, Any]]:
    found = sorted((work / stage).glob("*/*/manifest.json"), key=lambda p: p.stat().st_mtime)
    return [json.loads(p.read_text("utf-8")) | {"_dir": str(p.parent)} for p in found]


def latest(work: Path, stage: str) -> dict[str, Any] | None:
    found = [m for m in manifests(work, stage) if m.get("status") == "complete"]
    return found[-1] if found else None


def model_summary(m: dict[str, Any]) -> dict[str, Any]:
    return json.loads((Path(m["_dir"]) / "out" / "model" / "train_mt.json").read_text("utf-8"))


def score_rows(work: Path) -> list[dict[str, Any]]:
    rows = []
    for stage_dir in sorted(p for p in work.iterdir() if p.is_dir()):
        m = latest(work, stage_dir.name)
        if m is None or m.get("kind") != "score_mt":
            continue
        s = m["summary"]
        model = m["inputs"]["model"][0]["from"]
        row = {"model": model, "direction": f"{s['src']}-{s['tgt']}", "test_set": s["label"], "_stage": m["stage"],
               "_dir": m["_dir"]}
        if "per_entity" in s:
            row.update(sentences=s["with_entities"], marker_survival_entities=s["per_entity"],
                       entities=s["entities"], entities_carried=s["entities_carried"],
                       sentences_with_entities=s["with_entities"], sentences_intact=s["with_entities_intact"],
                       marker_survival_sentences=s["per_sentence"])
        else:
            row.update(sentences=s["sentences"], chrf=s["chrf"], bleu=s["bleu"], copy_chrf=s["copy_chrf"],
                       copy_bleu=s["copy_bleu"], distinct_outputs=s["distinct_outputs"])
        rows.append(row)
    order = {m: i for i, m in enumerate(MODELS)}
    sets = {"ntrex128": 0, "menyo20k-test": 1, "conll2003-testa": 2}
    return sorted(rows, key=lambda r: (order.get(r["model"], 99), sets.get(r["test_set"], 9), r["test_set"]))


def write_csv(rows: list[dict[str, Any]], path: Path, columns) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def plot(curves: dict[str, list[dict[str, Any]]], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for model, points in curves.items():
        axes[0].plot([p["step"] for p in points], [p["dev_chrf"] for p in points], marker="o", label=model)
        axes[1].plot([p["cpu_minutes"] for p in points], [p["dev_chrf"] for p in points], marker="o", label=model)
    axes[0].set_xlabel("optimizer steps")
    axes[1].set_xlabel("CPU minutes (both cores together)")
    for ax in axes:
        ax.set_ylabel("held-out dev chrF")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


def samples(row: dict[str, Any], n: int = SAMPLES) -> list[dict[str, Any]]:
    path = Path(row["_dir"]) / "out" / "translations.jsonl"
    lines = path.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines[:n]]


def main(work: Path) -> None:
    rows = score_rows(work)
    write_csv(rows, OUT / f"{NAME}.csv", COLUMNS)
    shutil.copyfile(REPO / "examples" / f"{CONFIG}.yaml", OUT / f"{NAME}.yaml")
    trained = {stage: latest(work, stage) for stage in MODELS}
    trained = {k: v for k, v in trained.items() if v is not None}
    summaries = {k: model_summary(m) for k, m in trained.items()}
    curves = {k: s.get("curve", []) for k, s in summaries.items()}
    write_csv([{"model": k, **p} for k, pts in curves.items() for p in pts], OUT / f"{NAME}.curve.csv",
              ("model", "step", "epoch", "cpu_minutes", "wall_minutes", "train_loss", "dev_chrf", "dev_bleu",
               "dev_marker_survival", "distinct_outputs"))
    has_plot = plot(curves, OUT / f"{NAME}.png")

    lines = ["# Translation models trained here from scratch: results", "",
             "Generated by `benchmarks/mt_report.py` from the run's own files (stage manifests, each model's",
             f"`train_mt.json`, the test stages' `translations.jsonl`). Config: [{NAME}.yaml]({NAME}.yaml) (a copy of",
             f"`examples/{CONFIG}.yaml`); scores: [{NAME}.csv]({NAME}.csv); learning curves: [{NAME}.curve.csv]({NAME}.curve.csv).",
             "", "## Command", "",
             f"    pipelines run examples/{CONFIG}.yaml --workdir runs/{CONFIG} && python benchmarks/mt_report.py runs/{CONFIG}",
             "", "## Test sets", "",
             "chrF and BLEU are sacrebleu's defaults on NFC text; *copy* is the source itself scored as the translation",
             "(the baseline a model must beat). Marker survival: CoNLL-2003 testa sentences with PER/ORG/LOC entities",
             "(English news no model saw) translated with those entities marked; an entity keeps its markers when its",
             "sentence comes back with every marker pair intact.", "",
             "| model | direction | test set | sentences | chrF | BLEU | copy chrF / BLEU | distinct outputs | "
             "markers kept: entities | sentences with entities |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.get("marker_survival_entities") is not None:
            lines.append(f"| {r['model']} | {r['direction']} | {r['test_set']} | {r['sentences']} | | | | | "
                         f"**{r['marker_survival_entities']:.1%}** ({r['entities_carried']:,} of {r['entities']:,}) | "
                         f"{r['marker_survival_sentences']:.1%} ({r['sentences_intact']:,} of {r['sentences_with_entities']:,}) |")
        else:
            lines.append(f"| {r['model']} | {r['direction']} | {r['test_set']} | {r['sentences']} | **{r['chrf']}** | "
                         f"{r['bleu']} | {r['copy_chrf']} / {r['copy_bleu']} | {r['distinct_outputs']} | | |")

    lines += ["", "## Training: data, cost, final weights", "",
              "| model | train pairs | marked | dev pairs | left out (test overlap / stray markers) | steps | epochs | "
              "CPU min | wall min | final weights | held-out dev chrF / BLEU / markers |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for stage, s in summaries.items():
        p = s["pairs"]
        marked = p.get("marked", 0)
        fw = s.get("final_weights") or {}
        final = fw.get("kept", "last")
        if fw.get("averaged"):
            final += f" (last {fw['chrf_last']} vs average of steps {', '.join(map(str, fw['averaged']))} {fw['chrf_average']})"
        dev = s.get("dev") or {}
        epochs = s["epochs"][-1]["epoch"] if s.get("epochs") else 0
        lines.append(f"| {stage} | {p['train']:,} | {marked:,} | {p['dev']} | {p.get('overlap_dropped', 0)} / "
                     f"{p.get('marker_text_dropped', 0)} | {s['steps']:,} | {epochs} | {s.get('cpu_minutes')} | "
                     f"{s.get('wall_minutes')} | {final} | {dev.get('chrf')} / {dev.get('bleu')} / "
                     f"{dev.get('marker_survival')} |")

    lines += ["", "## Learning curves", "",
              "Dev chrF (greedy, bf16, the held-out split of the training pairs) against optimizer steps and CPU",
              "minutes (process CPU time of both cores; on this shared machine wall time is 2-4x longer).", ""]
    if has_plot:
        lines += [f"![dev chrF against steps and CPU minutes]({NAME}.png)", ""]
    for stage, points in curves.items():
        lines += [f"**{stage}**", "", "| step | epoch | CPU min | train NLL | dev chrF | dev BLEU | dev markers kept | distinct |",
                  "|---|---|---|---|---|---|---|---|"]
        lines += [f"| {p['step']} | {p['epoch']} | {p['cpu_minutes']} | {p['train_loss']} | {p['dev_chrf']} | "
                  f"{p['dev_bleu']} | {p['dev_marker_survival']} | {p['distinct_outputs']} |" for p in points]
        lines.append("")

    lines += ["## Sample translations (the first lines of each test set)", ""]
    for r in rows:
        lines += [f"**{r['model']}, {r['test_set']}**", ""]
        for s in samples(r):
            lines.append(f"- src: {s['source']}")
            lines.append(f"  - out: {s['output']}")
            if s.get("reference"):
                lines.append(f"  - ref: {s['reference']}")
        lines.append("")
    reading = OUT / f"{NAME}.reading.md"
    if reading.exists():
        lines += [reading.read_text("utf-8").strip(), ""]
    (OUT / f"{NAME}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(OUT / f"{NAME}.md")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else f"runs/{CONFIG}"))
