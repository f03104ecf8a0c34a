"""Write docs/results/menyo-transfer.md (and its .results.csv, .summary.csv, .projection.csv, .png
and .yaml, the config as run) from a finished run of examples/menyo-transfer.yaml: the arms' test F1
from ``WORKDIR/results/``, their F1 on MasakhaNER 1.0 yor dev (scored here with
``ner.evaluate.evaluate_model``, the evaluate stage's own settings, on the run's models), the
held-out counts, projection and selection counts and teacher weights from the stage manifests, and
the wall time from the run logs. Nothing is typed in by hand.

    python benchmarks/menyo_report.py WORKDIR [--commit REV] [--before REV]

``--commit``: the git commit the run started at (default HEAD). ``--before``: a git revision whose
docs/results/menyo-transfer.*.csv hold an earlier run, compared in "Before this session's changes".
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import statistics
import subprocess
from pathlib import Path

import yaml
from results_doc import (
    OUT,
    REPO,
    copy_run_files,
    manifests,
    mean_std,
    minutes_table,
    num,
    read_csv,
    require_run,
    wall_times,
)

NAME = "menyo-transfer"
CONFIG = REPO / "examples" / f"{NAME}.yaml"
TYPES = ("PER", "ORG", "LOC")

#: What changed in the code between the ``--before`` run and this one, as far as this experiment sees it.
CHANGES = """\
Between the two runs the toolkit changed in ways this experiment sees (the config's arms and
settings did not): **held-out text** (MasakhaNER 1.0 yor dev + test, exact or sharing an 8-gram)
no longer enters the vocabulary, the projected MENYO pairs, the extra alignment text or the
distillation text (counts under "Held-out text"); every reader **joins a mark-only token** (a lone
combining accent) to the token before it; projection puts a **repetition filter** first in its
filter order; training runs on the core's **training loop**, with **bf16 autocast** on by default
(precision `auto`; this CPU has AVX-512 BF16, the earlier run was fp32); every stage sizes its
**threads** to the cores it is given."""


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


def before_csv(rev: str, suffix: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(git("show", f"{rev}:docs/results/{NAME}.{suffix}"))))


def dev_scores(work: Path, dev: Path) -> tuple[dict[str, float], tuple[int, int]]:
    """Run name -> entity F1 on ``dev`` of the model that evaluate run scored, with its settings;
    and the denominator: dev sentences and gold entities scored (the last run's; all runs score the same)."""
    from augment.core import read_corpus
    from augment.core.options import options_from_settings
    from ner.evaluate import evaluate_model
    from ner.options import EvaluateOptions

    gold = read_corpus(dev, repair=True, to_scheme="iob2")
    scores, scored = {}, (0, 0)
    for m in sorted((m for m in work.glob("evaluate-*") if m.is_dir()), key=str):
        for run in manifests(work, m.name, current=True):
            opts = options_from_settings(EvaluateOptions, run["settings"])
            model = run["inputs"]["model"][0]["path"]
            metrics = evaluate_model(model, gold[: opts.limit], **opts.library_kwargs(), where=dev)
            scores[run["run"]] = metrics["f1"]
            scored = (len(gold[: opts.limit]), metrics["support"])
    return scores, scored


def test_denominator(work: Path) -> tuple[int, int]:
    """Test sentences and gold entities the evaluate runs scored (the same for every run; checked)."""
    seen = {(m["summary"]["sentences"], m["summary"]["metrics"]["support"])
            for stage in work.glob("evaluate-*") if stage.is_dir() for m in manifests(work, stage.name, current=True)}
    if len(seen) != 1:
        raise SystemExit(f"error: {work}: the evaluate runs scored different test sets: {sorted(seen)}")
    return seen.pop()


def mean_sd(values: list[float]) -> str:
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}" if len(values) > 1 else f"{values[0]:.3f}"


def arm_tables(arms: list[str], summary: dict, rows: list[dict], dev: dict[str, float],
               denominators: tuple[tuple[int, int], tuple[int, int]]) -> list[str]:
    (test_n, test_e), (dev_n, dev_e) = denominators
    lines = [f"Test: {test_n:,} sentences, {test_e:,} gold PER/ORG/LOC entities (the F1 denominators: precision over",
             f"the predicted entities, recall over these). Dev: {dev_n:,} sentences, {dev_e:,} gold entities.", "",
             "| arm | seeds | test F1 (mean ± std) | P | R | PER F1 | ORG F1 | LOC F1 | dev F1 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for arm in arms:
        r = summary.get(arm)
        if r is None:
            lines.append(f"| {arm} | 0 | (did not finish) | | | | | | |")
            continue
        per = " | ".join(mean_std(r, f"f1_{t}") for t in TYPES)
        devs = [dev[x["run"]] for x in rows if x["method"] == arm and x["run"] in dev]
        lines.append(f"| {arm} | {r['seeds']} | **{mean_std(r, 'f1')}** | {num(r, 'precision'):.3f} | "
                     f"{num(r, 'recall'):.3f} | {per} | {mean_sd(devs) if devs else ''} |")
    lines += ["", "The `dev F1` column scores the same models on MasakhaNER 1.0 yor dev (`ner.evaluate.evaluate_model`,",
              "the evaluate stage's settings), outside the pipeline; dev is what the settings were chosen on",
              "(docs/experiment.md).", "", f"![F1 per arm]({NAME}.png)", "", "Per seed:", "",
              "| arm | seed | test F1 | dev F1 |", "|---|---|---|---|"]
    for r in rows:
        d = dev.get(r["run"])
        lines.append(f"| {r['method']} | {r['seed']} | {float(r['f1']):.4f} | {'' if d is None else f'{d:.4f}'} |")
    return lines


def pct(part: float, whole: float) -> str:
    return f"{part:,} of {whole:,} ({100 * part / whole:.1f}%)" if whole else f"{part:,} of 0"


def heldout_section(work: Path) -> list[str]:
    lines = ["## Held-out text", "",
             "Sentences dropped because they are, or share an 8-gram with, a sentence of MasakhaNER 1.0 yor dev or",
             "test (`exclude` inputs; for MENYO a pair goes when either side matches):", "",
             "| stage | input | seen | kept | dropped (exact) | dropped (8-gram) |", "|---|---|---|---|---|---|"]
    for stage in ("menyo", "menyo-dev", "menyo-test", "encoder"):
        for m in manifests(work, stage, current=True):
            names = {i["path"]: i["from"] or Path(i["path"]).name for slot in m["inputs"].values() for i in slot}
            for d in m["summary"]["decontamination"]["inputs"]:
                name = names.get(d["input"], d["input"])
                lines.append(f"| {stage} | {name} | {d['seen']:,} | {d['kept']:,} | {d['dropped_exact']:,} | "
                             f"{d['dropped_ngram']:,} |")
    return lines


def projection_section(work: Path) -> list[str]:
    lines = ["## Projection (MENYO-20k train, default filters)", ""]
    for m in manifests(work, "projected", current=True):
        p = m["summary"]["projection"]
        lines += [f"- sentences kept: {pct(p['sentences_kept'], p['sentences_in'])}, "
                  f"{p['sentences_dropped']:,} dropped; entities projected: {pct(p['entities_projected'], p['entities_in'])} "
                  f"of the English silver entities; entities on the kept sentences: "
                  f"{pct(p['entities_kept'], p['entities_in'])}",
                  "- projected per type: " + ", ".join(f"{t} {p.get(f'projected_{t}', 0):,}" for t in TYPES)]
        other = {k: v for k, v in p.items() if not isinstance(v, (dict, list)) and k not in (
            "sentences_in", "sentences_kept", "sentences_dropped", "entities_in", "entities_projected",
            "entities_kept") and not k.startswith("projected_")}
        if other:
            lines.append("- other counts of the projection report: " + ", ".join(f"{k} {v:,}" if isinstance(v, int)
                                                                             else f"{k} {v}" for k, v in other.items()))
        for k, v in p.items():
            if isinstance(v, dict) and v:
                lines.append(f"- {k}: " + ", ".join(f"{a} {b:,}" if isinstance(b, int) else f"{a} {b}"
                                                     for a, b in v.items()))
    for m in manifests(work, "selected", current=True):
        s = m["summary"]
        lines.append(f"- selection (`select-entities`): {pct(s['sentences_kept'], s['sentences_in'])} of the kept "
                     f"projected sentences, {s['with_entities']:,} of them with an entity")
    return lines


def weights_section(work: Path) -> list[str]:
    rows = [m for m in manifests(work, "multi-similar", current=True) if m["summary"].get("teacher_weights")]
    if not rows:
        return []
    lines = ["## Teacher weights of multi-similar (language similarity; teachers en+projected+cl, ha, sw)", "",
             "| seed | weights |", "|---|---|"]
    for m in sorted(rows, key=lambda m: m["summary"]["seed"]):
        lines.append(f"| {m['summary']['seed']} | " + " / ".join(f"{w:.2f}" for w in m["summary"]["teacher_weights"])
                     + " |")
    return lines


def before_section(rev: str, arms: list[str], summary: dict) -> list[str]:
    old = {r["method"]: r for r in before_csv(rev, "summary.csv")}
    started = re.search(r"started at git (\w+)", git("show", f"{rev}:docs/results/{NAME}.md"))
    lines = ["## Against the earlier run (before held-out text was excluded)", "",
             f"The earlier run of this config (`docs/results/{NAME}.summary.csv` at git {rev[:7]}, a run started at",
             f"git {started.group(1) if started else '?'}; same command, arms and settings) against this one, test F1",
             "mean ± std over 3 seeds:", "",
             "| arm | before | now | change |", "|---|---|---|---|"]
    for arm in arms:
        if arm in old and arm in summary:
            lines.append(f"| {arm} | {mean_std(old[arm], 'f1')} | {mean_std(summary[arm], 'f1')} | "
                         f"{num(summary[arm], 'f1') - num(old[arm], 'f1'):+.3f} |")
    for p in before_csv(rev, "projection.csv"):
        lines += ["", f"Projection before: {pct(int(p['sentences_kept']), int(p['sentences_in']))} sentences kept, "
                  f"{pct(int(p['entities_kept']), int(p['entities_in']))} entities kept on them."]
    return lines + ["", CHANGES]


def wall_section(work: Path, commit: str) -> list[str]:
    times = wall_times(work)
    lines = ["## Wall time", ""]
    for log in sorted((work / "runs").glob("*.json")):
        d = json.loads(log.read_text("utf-8"))
        ran = sum(r.get("status") == "ran" for r in d["runs"])
        cached = "none cached" if ran == len(d["runs"]) else "the others cached"
        lines.append(f"- invocation started {d['started']} ({d['engine']} engine): **{(d.get('wall_s') or 0) / 60:.1f} min** "
                     f"wall, {ran} of {len(d['runs'])} stage runs ran ({cached})")
    lines += ["", f"The run started at git {commit[:7]} on the 2 CPU cores of this machine, shared with other jobs",
              f"(2-4x slower than a quiet machine). Stage time: {times['runs']} stage runs, "
              f"{times['stage_s'] / 60:.1f} min (each run's `wall_s`; the Ray engine runs two at once). By kind:", ""]
    return lines + minutes_table(times["by_kind"], "kind")


def main(work: Path, commit: str, before: str | None, dev: Path) -> None:
    require_run(work, f"examples/{NAME}.yaml")
    copy_run_files(work, NAME, CONFIG)
    # The evaluate section's model names, read as plain YAML: pipelines.config would import the
    # stages, and ``align`` then resolves to benchmarks/align.py (this folder is first on sys.path).
    arms = list(yaml.safe_load(CONFIG.read_text("utf-8"))["evaluate"]["models"])
    summary = {r["method"]: r for r in read_csv(work / "results" / "summary.csv")}
    rows = read_csv(work / "results" / "results.csv")
    version = manifests(work, "encoder", current=True)[0]["toolkit_version"]
    lines = [f"# {NAME}: results", "",
             "Generated by `benchmarks/menyo_report.py` from the run's own files (`WORKDIR/results/`, the stage",
             f"manifests, the run logs); toolkit version {version}, git {commit[:7]}. Config: [{NAME}.yaml]({NAME}.yaml)",
             f"(a copy of `examples/{NAME}.yaml` as run). Per-run rows: [{NAME}.results.csv]({NAME}.results.csv);",
             f"means and stds: [{NAME}.summary.csv]({NAME}.summary.csv); projection counts:",
             f"[{NAME}.projection.csv]({NAME}.projection.csv).", "", "## Command", "",
             f"    pipelines run examples/{NAME}.yaml --workdir runs/{NAME} --engine ray --ray-cpus 2", "",
             "from an empty work directory.", "",
             "## Entity F1 on MasakhaNER 1.0 yor test (PER/ORG/LOC, DATE ignored), mean ± sample std over seeds", ""]
    dev_f1, dev_scored = dev_scores(work, dev)
    lines += arm_tables(arms, summary, rows, dev_f1, (test_denominator(work), dev_scored))
    for section in (heldout_section(work), projection_section(work), weights_section(work),
                    before_section(before, arms, summary) if before else [], wall_section(work, commit)):
        if section:
            lines += [""] + section
    (OUT / f"{NAME}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(OUT / f"{NAME}.md")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workdir", type=Path, nargs="?", default=Path(f"runs/{NAME}"))
    parser.add_argument("--commit", default=None, help="git commit the run started at (default: HEAD)")
    parser.add_argument("--before", default=None, help="git revision holding an earlier run's CSVs to compare")
    parser.add_argument("--dev", type=Path, default=REPO.parent / "shared" / "data" / "masakhaner1" / "yor" / "dev.txt",
                        help="gold dev file for the dev F1 column (default: ../shared/data/masakhaner1/yor/dev.txt)")
    a = parser.parse_args()
    main(a.workdir, a.commit or git("rev-parse", "HEAD"), a.before, a.dev)
