"""Write docs/results/real-mt-transfer.md (and its CSVs, plot and config copy) from a finished run of
examples/real-mt-transfer.yaml: the arms' F1 from ``WORKDIR/results/``, the projection counts and
the agreement with T-Projection's labels from the ``project`` and ``compare-labels`` manifests, the
dev choices, the teachers' weights, the decontamination counts and the wall time from the run logs.
Nothing is typed in by hand except the section "What it shows", which is kept from the existing
file (between its heading and the next "## ").

    python benchmarks/real_mt_report.py /work/wt/realmt-runs/full
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from results_doc import OUT, REPO, copy_run_files, manifests, num, read_csv, require_run, wall_times

NAME = "real-mt-transfer"
LANGS = ["yo", "ha", "sw"]
LANG_NAMES = {"yo": "Yoruba", "ha": "Hausa", "sw": "Swahili"}
HAND = "## What it shows"

ARMS = [
    ("zero-shot", "zero-shot: the 1,000 English sentences only"),
    ("tt-eflomal", "translate-train: English + translations, the toolkit's projection through eflomal"),
    ("tt-simalign", "translate-train, projection through SimAlign with the encoder"),
    ("tt-combo", "translate-train, projection through eflomal + SimAlign links combined"),
    ("tt-tproj", "translate-train with T-Projection's labels (the external reference)"),
    ("tt-eflomal+cl", "+ ConCNER's contrastive losses (eflomal projection)"),
    ("tt-simalign+cl", "+ ConCNER's contrastive losses (SimAlign projection)"),
    ("tt-combo+cl", "+ ConCNER's contrastive losses (combined projection): the toolkit's full route"),
    ("tt-tproj+cl", "+ ConCNER's contrastive losses (T-Projection's labels)"),
    ("distilled", "+ single-teacher distillation (teacher tt-combo+cl) on unlabelled target text"),
    ("multi-uniform", "+ multi-source distillation: tt-combo+cl of yo, ha, sw + English model, uniform weights"),
    ("multi-similar", "+ multi-source distillation, language-similarity weights"),
    ("ensemble", "ensemble (averaged probabilities) of zero-shot and tt-combo+cl"),
    ("choice-on-dev", "per-language choice on dev between zero-shot, tt-combo+cl and their ensemble"),
    ("supervised", "supervised ceiling: MasakhaNER 2.0 train of the language"),
    ("zero-shot-all", "all pairs (~14,000): zero-shot, all English sentences"),
    ("tt-combo+cl-all", "all pairs: English + translations, combined projection, contrastive losses"),
    ("tt-tproj+cl-all", "all pairs: English + translations, T-Projection's labels, contrastive losses"),
]


def current(work: Path, stage: str) -> list[dict]:
    """The manifests of a stage that the last run used, one per grid binding."""
    return manifests(work, stage, current=True)


def arm_tables(rows: list[dict], summary: dict) -> list[str]:
    per_seed: dict[tuple, list[tuple[int, float]]] = defaultdict(list)
    for r in rows:
        per_seed[(r["method"], r["lang"])].append((int(r["seed"]), float(r["f1"])))
    lines = []
    for lang in LANGS:
        lines += ["", f"### {LANG_NAMES[lang]} ({lang})", "",
                  "| arm | what | seeds | F1 (mean ± std) | per seed | P | R | PER | ORG | LOC |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for arm, what in ARMS:
            r = summary.get((arm, lang))
            if r is None:
                lines.append(f"| {arm} | {what} | 0 | (not run) | | | | | | |")
                continue
            seeds = " / ".join(f"{f:.3f}" for _, f in sorted(per_seed[(arm, lang)]))
            per = " | ".join(f"{num(r, f'f1_{t}'):.3f}" for t in ("PER", "ORG", "LOC"))
            lines.append(f"| {arm} | {what} | {r['seeds']} | **{num(r, 'f1'):.3f} ± {num(r, 'f1_std'):.3f}** | {seeds} | "
                         f"{num(r, 'precision'):.3f} | {num(r, 'recall'):.3f} | {per} |")
    return lines


def paired(rows: list[dict], a: str, b: str) -> list[str]:
    """``a`` minus ``b`` per (language, seed): the differences, their mean and sample std, wins."""
    f1 = {(r["method"], r["lang"], r["seed"]): float(r["f1"]) for r in rows}
    diffs = [(lang, s, f1[(a, lang, s)] - f1[(b, lang, s)]) for (m, lang, s) in sorted(f1)
             if m == a and (b, lang, s) in f1]
    if not diffs:
        return [f"- {a} vs {b}: no runs"]
    ds = [d for *_, d in diffs]
    sd = statistics.stdev(ds) if len(ds) > 1 else 0.0
    by_lang = defaultdict(list)
    for lang, _, d in diffs:
        by_lang[lang].append(d)
    per_lang = "; ".join(f"{lang} {statistics.mean(v):+.3f} ({sum(x > 0 for x in v)} of {len(v)} seeds up)"
                         for lang, v in sorted(by_lang.items(), key=lambda kv: LANGS.index(kv[0])))
    return [f"- **{a} − {b}**: mean {statistics.mean(ds):+.3f} ± {sd:.3f} (sample std over {len(ds)} language-seed "
            f"pairs), up in {sum(d > 0 for d in ds)} of {len(ds)}; per language: {per_lang}"]


def projection_lines(work: Path) -> list[str]:
    lines = ["| projection | lang | seed | pairs in | kept | dropped (repetition / other filters) | entities in | "
             "projected | kept | PER | ORG | LOC | agreement with T-Projection: P / R / F1 (kept sentences) | "
             "F1 counting dropped sentences as empty |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    agree = {}
    for stage in ("agree-eflomal", "agree-simalign", "agree-combo", "agree-eflomal-all", "agree-simalign-all",
                  "agree-combo-all"):
        for m in current(work, stage):
            agree[(stage.replace("agree", "proj"), m["binding"]["tgt"], m["binding"].get("seed"))] = m["summary"]["agreement"]
    for stage in ("proj-eflomal", "proj-simalign", "proj-combo", "proj-eflomal-all", "proj-simalign-all", "proj-combo-all"):
        for m in sorted(current(work, stage), key=lambda m: (LANGS.index(m["binding"]["tgt"]), m["binding"].get("seed", 0))):
            p, b = m["summary"]["projection"], m["binding"]
            report = json.loads((Path(m["dir"]) / "out" / "report.json").read_text("utf-8"))
            filt = report.get("filtered") or report.get("filters") or {}
            rep = filt.get("repetition", 0) if isinstance(filt, dict) else 0
            a = agree.get((stage, b["tgt"], b.get("seed")))
            k = a["kept"] if a else None
            lines.append(f"| {stage} | {b['tgt']} | {b.get('seed', '-')} | {p['sentences_in']} | {p['sentences_kept']} | "
                         f"{p['sentences_dropped']} ({rep} / {p['sentences_dropped'] - rep}) | {p['entities_in']} | "
                         f"{p['entities_projected']} | {p['entities_kept']} | {p.get('projected_PER')} | "
                         f"{p.get('projected_ORG')} | {p.get('projected_LOC')} | "
                         + (f"{k['precision']:.3f} / {k['recall']:.3f} / **{k['f1']:.3f}** ({a['compared']} sentences) | "
                            f"{a['all']['f1']:.3f} |" if a else "| |"))
    return lines


def plot(summary: dict, path: Path) -> None:
    """One panel per language: a bar per arm (in ARMS order), error bars = std over seeds."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 5.5))
    arms = [a for a, _ in ARMS]
    for k, lang in enumerate(LANGS):
        ax = fig.add_subplot(1, 3, k + 1)
        rows = [summary.get((a, lang)) for a in arms]
        ys = list(range(len(arms)))[::-1]
        colors = ["#999999" if a.endswith("-all") else "#c44e52" if a == "supervised" else
                  "#55a868" if a.startswith(("distilled", "multi")) else "#4c72b0" for a in arms]
        ax.barh(ys, [num(r, "f1") if r else 0 for r in rows], xerr=[num(r, "f1_std") if r else 0 for r in rows],
                color=colors, capsize=2)
        ax.set_yticks(ys, arms if k == 0 else [""] * len(arms), fontsize=8)
        ax.set_title(f"{LANG_NAMES[lang]} (MasakhaNER 2.0 test)", fontsize=9)
        ax.set_xlabel("entity F1 (PER/ORG/LOC)", fontsize=8)
        ax.set_xlim(0, 0.75)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle("1,000 pairs, 3 seeds (blue: transfer, green: distillation, red: supervised); grey: all pairs, "
                 "seed 1", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=110)


def main(work: Path) -> None:
    require_run(work, f"examples/{NAME}.yaml")
    results = work / "results"
    rows = read_csv(results / "results.csv")
    summary = {(r["method"], r["lang"]): r for r in read_csv(results / "summary.csv")}
    copy_run_files(work, NAME, REPO / "examples" / f"{NAME}.yaml")
    plot(summary, OUT / f"{NAME}.png")  # one panel per language, in place of the run's own plot
    old = (OUT / f"{NAME}.md").read_text("utf-8") if (OUT / f"{NAME}.md").exists() else ""
    hand = re.search(rf"^{re.escape(HAND)}\n(.*?)(?=^## )", old, re.S | re.M)

    lines = [f"# {NAME}: results", "",
             "Generated by `benchmarks/real_mt_report.py` from the run's own files (`WORKDIR/results/`, the stage",
             f"manifests, the run logs), except the section \"What it shows\". Config: [{NAME}.yaml]({NAME}.yaml) (a copy",
             f"of `examples/{NAME}.yaml`); per-run rows: [{NAME}.results.csv]({NAME}.results.csv); means and stds:",
             f"[{NAME}.summary.csv]({NAME}.summary.csv); method and choices: the config's comments and",
             "\"Choices\" below.", "", "## Command", "",
             f"    pipelines run examples/{NAME}.yaml --workdir runs/{NAME}", "",
             HAND, "", hand.group(1).strip() if hand else "(to be written from the tables below)", ""]
    lines += ["## Entity F1 on MasakhaNER 2.0 test (PER/ORG/LOC, DATE ignored), mean ± sample std over seeds",
              "", "The 1,000-pair arms have 3 seeds; the all-pairs arms (`-all`) seed 1 only.",
              *arm_tables(rows, summary), "", f"![F1 per language and arm]({NAME}.png)", ""]
    lines += ["## The seed's question, paired by seed", "",
              "Differences of test F1 between two arms of the same language and seed (the same teachers, the same",
              "projection, the same encoder):", ""]
    for a, b in (("multi-similar", "distilled"), ("multi-uniform", "distilled"), ("multi-similar", "multi-uniform"),
                 ("distilled", "tt-combo+cl"), ("multi-similar", "tt-combo+cl"), ("tt-combo+cl", "zero-shot"),
                 ("tt-combo+cl", "tt-combo"), ("tt-tproj+cl", "tt-combo+cl"), ("tt-tproj", "tt-combo"),
                 ("tt-eflomal", "zero-shot"), ("choice-on-dev", "tt-combo+cl")):
        lines += paired(rows, a, b)

    lines += ["", "## Multi-source teachers' similarity weights", "",
              "Teachers in order: tt-combo+cl of yo, ha, sw, then the English zero-shot model.", "",
              "| lang | seed | yo | ha | sw | en |", "|---|---|---|---|---|---|"]
    for m in sorted(current(work, "multi-similar"), key=lambda m: (LANGS.index(m["binding"]["tgt"]), m["binding"]["seed"])):
        w = m["summary"].get("teacher_weights") or []
        lines.append(f"| {m['binding']['tgt']} | {m['binding']['seed']} | " + " | ".join(f"{x:.2f}" for x in w) + " |")

    lines += ["", "## Choice on dev", "",
              "`choice-on-dev` scores zero-shot, tt-combo+cl and their ensemble on MasakhaNER 2.0 dev and reports the",
              "test F1 of the one with the best dev F1 (per language and seed):", "",
              "| lang | seed | dev F1 zero-shot | translate-train | ensemble | chosen |", "|---|---|---|---|---|---|"]
    for m in sorted(current(work, "choice-on-dev"), key=lambda m: (LANGS.index(m["binding"]["tgt"]), m["binding"]["seed"])):
        d = m["summary"]["dev_f1"]
        lines.append(f"| {m['binding']['tgt']} | {m['binding']['seed']} | {d['zero-shot']:.3f} | {d['translate-train']:.3f} | "
                     f"{d['ensemble']:.3f} | {m['summary']['choice']} |")

    lines += ["", "## Projection: counts and agreement with T-Projection's labels", "",
              "The toolkit projects the English gold (PER/ORG/LOC) onto the same translations T-Projection labelled;",
              "its kept sentences are scored against T-Projection's labels as the reference (`augment compare`: entity",
              "P/R/F1, seqeval). \"pairs in\" is the setting's slice (1,000 or all); \"F1 counting dropped sentences",
              "as empty\" charges the projection filters' drops to recall.", "", *projection_lines(work)]

    lines += ["", "## Data and entity counts", "",
              "Held-out: sentences (pairs: either side) of the whole file dropped because they occur in MasakhaNER 2.0",
              "test or dev of yo, ha or sw, or share an 8-gram with one (`exclude`), before any slice is taken.", "",
              "| data | lang | sentences | PER | ORG | LOC | held-out text dropped from the file |",
              "|---|---|---|---|---|---|---|"]
    for stage, what in (("pairs", "first 1,000 pairs: English gold"), ("pairs-all", "all pairs: English gold")):
        for m in sorted(current(work, stage), key=lambda m: LANGS.index(m["binding"]["tgt"])):
            s = m["summary"]
            dec = (s.get("decontamination") or {}).get("dropped", "-")
            for side, label in (("src_entities", what), ("reference_entities", what.split(":")[0] + ": T-Projection's labels")):
                e = s[side]
                lines.append(f"| {label} | {m['binding']['tgt']} | {s['pairs']} | {e.get('PER', 0)} | {e.get('ORG', 0)} | "
                             f"{e.get('LOC', 0)} | {dec} |")
    for stage, what in (("sup-train", "MasakhaNER 2.0 train (supervised)"), ("tgt-text", "unlabelled target text"),
                        ("dev", "MasakhaNER 2.0 dev"), ("eval", "MasakhaNER 2.0 test")):
        for m in sorted(current(work, stage), key=lambda m: LANGS.index(m["binding"]["tgt"])):
            s = m["summary"]
            e = s.get("entities") or {}
            dec = (s.get("decontamination") or {}).get("dropped", "-")
            lines.append(f"| {what} | {m['binding']['tgt']} | {s['sentences']} | {e.get('PER', '-')} | {e.get('ORG', '-')} | "
                         f"{e.get('LOC', '-')} | {dec} |")
    for stage in ("encoder", "mlm"):
        for m in current(work, stage):
            dec = m["summary"].get("decontamination") or {}
            per = ", ".join(f"{Path(f['input']).parent.name}/{Path(f['input']).name} "
                            f"{f['dropped_exact'] + f['dropped_ngram']}" for f in dec.get("inputs", []))
            lines.append(f"| {stage} text | all | {m['summary']['texts']} | | | | {dec.get('dropped', '-')} ({per}) |")

    times = wall_times(work)
    wall, total, n, by_kind = times["wall_s"], times["stage_s"], times["runs"], times["by_stage"]
    lines += ["", "## Wall time", "",
              f"Wall time of the `pipelines run` invocations that built these tables: **{wall / 60:.1f} min** "
              f"(2 CPU cores shared with other sessions, `--engine local`, `nice -n 5`); {n} stage runs, "
              f"{total / 60:.1f} min of stage time. Largest stages (minutes, all languages and seeds):", "",
              "| stage | min |", "|---|---|"]
    for kind, s in sorted(by_kind.items(), key=lambda kv: -kv[1])[:16]:
        lines.append(f"| {kind} | {s / 60:.1f} |")
    tail = re.search(r"^## Choices.*", old, re.S | re.M)
    if tail:
        lines += ["", tail.group(0).rstrip()]
    (OUT / f"{NAME}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(OUT / f"{NAME}.md")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else f"runs/{NAME}"))
