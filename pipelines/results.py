"""The end-of-run results: tables (Markdown + CSV) and a plot of F1 per language and method.

Read from the manifests of the finished runs: a run whose summary has ``metrics`` (an evaluate
stage: ``precision``, ``recall``, ``f1``, ``per_type``) is one row, labelled by its method (the
stage's ``label``, by default the evaluated model's stage), language (grid ``tgt`` or the
summary's ``lang``) and seed; a summary with ``projection`` counts adds a projection table.
Rows are averaged over seeds (mean and sample standard deviation).
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from augment.core.fileio import atomic_write


def collect(manifests: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-run rows, per (method, language) means/stds over seeds, and projection counts."""
    rows, projection, types = [], [], []
    for m in manifests:
        summary = m.get("summary") or {}
        binding = m.get("binding") or {}
        lang = str(binding.get("tgt", summary.get("lang") or "-"))
        if "metrics" in summary:
            met = summary["metrics"]
            seed = binding.get("seed", m.get("settings", {}).get("seed", summary.get("seed")))
            row = {"method": m.get("label") or m["stage"], "lang": lang, "seed": seed,
                   "precision": met.get("precision"), "recall": met.get("recall"), "f1": met.get("f1"),
                   "run": m["run"], "key": m["key"][:16]}
            for t, v in sorted((met.get("per_type") or {}).items()):
                row[f"f1_{t}"] = v.get("f1") if isinstance(v, dict) else v
                if t not in types:
                    types.append(t)
            rows.append(row)
        if "projection" in summary:
            viewer = summary.get("viewer")
            projection.append({"run": m["run"], "lang": lang, **summary["projection"],
                               "viewer": str(Path(m["dir"]) / viewer) if viewer and m.get("dir") else None})
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["method"], r["lang"])].append(r)
    agg = []
    for (method, lang), rs in groups.items():
        a = {"method": method, "lang": lang, "seeds": len(rs)}
        for col in ["f1", "precision", "recall"] + [f"f1_{t}" for t in sorted(types)]:
            vals = [r[col] for r in rs if r.get(col) is not None]
            a[col], a[f"{col}_std"] = _mean_std(vals)
        agg.append(a)
    return {"rows": rows, "summary": agg, "projection": projection, "types": sorted(types)}


def _mean_std(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    var = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(var)


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _mean(a: dict[str, Any], col: str) -> str:
    """``0.250 ± 0.019`` over several seeds, ``0.250`` for one (a std of one value says nothing)."""
    if a[col] is None:
        return ""
    return f"{a[col]:.3f} ± {a[col + '_std']:.3f}" if a["seeds"] > 1 else f"{a[col]:.3f}"


def brief(results: dict[str, Any]) -> str:
    """The table ``pipelines run`` prints: one row per method (its config label), entity F1 per
    language (one column when there is one language), mean ± std when there are several seeds."""
    if not results["summary"]:
        return ""
    langs = list(dict.fromkeys(a["lang"] for a in results["summary"]))
    methods = list(dict.fromkeys(a["method"] for a in results["summary"]))
    by = {(a["method"], a["lang"]): a for a in results["summary"]}
    head = ["arm"] + (["entity F1"] if len(langs) == 1 else [f"F1 {lang}" for lang in langs])
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    for m in methods:
        lines.append("| " + " | ".join([m] + [_mean(by[(m, lang)], "f1") if (m, lang) in by else ""
                                              for lang in langs]) + " |")
    seeds = sorted({a["seeds"] for a in results["summary"]})
    note = "one seed" if seeds == [1] else f"mean ± std over {'/'.join(map(str, seeds))} seeds"
    return "\n".join(lines) + f"\n({note})\n"


def markdown(results: dict[str, Any], title: str = "Results") -> str:
    types = results["types"]
    lines = [f"# {title}", ""]
    if results["summary"]:
        lines += ["## Entity F1 (mean ± std over seeds when there are several)", ""]
        head = ["method", "lang", "seeds", "F1", "P", "R"] + types
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for a in results["summary"]:
            cells = [a["method"], a["lang"], str(a["seeds"])]
            cells += [_mean(a, col) for col in ["f1", "precision", "recall"] + [f"f1_{t}" for t in types]]
            lines.append("| " + " | ".join(cells) + " |")
        lines += ["", "## Per run", ""]
        head = ["method", "lang", "seed", "F1", "P", "R"] + types + ["key"]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in results["rows"]:
            cells = [r["method"], r["lang"], _fmt(r["seed"]), _fmt(r["f1"]), _fmt(r["precision"]),
                     _fmt(r["recall"])] + [_fmt(r.get(f"f1_{t}")) for t in types] + [r["key"]]
            lines.append("| " + " | ".join(cells) + " |")
    if results["projection"]:
        cols = sorted({k for p in results["projection"] for k, v in p.items()
                       if k not in ("run", "lang", "viewer") and not isinstance(v, (dict, list))})
        lines += ["", "## Projection", "", "| run | lang | " + " | ".join(cols) + " |", "|" + "---|" * (len(cols) + 2)]
        for p in results["projection"]:
            lines.append(f"| {p['run']} | {p['lang']} | " + " | ".join(_fmt(p.get(c)) for c in cols) + " |")
    return "\n".join(lines) + "\n"


def _csv(rows: list[dict[str, Any]]) -> str:
    cols: list[str] = []
    for r in rows:
        cols += [k for k in r if k not in cols and not isinstance(r[k], (dict, list))]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k) for k in cols})
    return buf.getvalue()


def plot(results: dict[str, Any], path: str | os.PathLike) -> Path | None:
    """Grouped bars: F1 per language (x), one bar per method, error bars = std over seeds."""
    if not results["summary"]:
        return None
    from matplotlib.figure import Figure  # no pyplot: the process's backend is left alone

    langs = list(dict.fromkeys(a["lang"] for a in results["summary"]))
    methods = list(dict.fromkeys(a["method"] for a in results["summary"]))
    by = {(a["method"], a["lang"]): a for a in results["summary"]}
    width = 0.8 / max(len(methods), 1)
    fig = Figure(figsize=(max(4, 1.2 * len(langs) * max(1, len(methods)) ** 0.5 + 2), 3.5))
    ax = fig.add_subplot()
    for i, method in enumerate(methods):
        xs, ys, es = [], [], []
        for j, lang in enumerate(langs):
            a = by.get((method, lang))
            if a and a["f1"] is not None:
                xs.append(j + (i - (len(methods) - 1) / 2) * width)
                ys.append(a["f1"])
                es.append(a["f1_std"] or 0)
        ax.bar(xs, ys, width, yerr=es, capsize=3, label=method)
    ax.set_xticks(range(len(langs)), langs)
    ax.set_ylabel("entity F1")
    ax.set_ylim(0, max(0.05, min(1.0, max((a["f1"] or 0) + (a["f1_std"] or 0) for a in results["summary"]) * 1.2)))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    fig.tight_layout()
    path = Path(path)
    with atomic_write(path, "wb") as fh:
        fig.savefig(fh, format="png", dpi=120)
    return path


def write_results(manifests: list[dict[str, Any]], out_dir: str | os.PathLike, title: str = "Results",
                  config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write ``results.md``, ``results.csv`` (per run), ``summary.csv``, ``projection.csv``, ``f1.png``
    and the HTML report (when the report renderer is installed) into ``out_dir``."""
    out = Path(out_dir)
    results = collect(manifests)
    files = {}
    if results["rows"] or results["projection"]:
        out.mkdir(parents=True, exist_ok=True)
        tables = [("results.md", markdown(results, title))]
        tables += [(f"{name}.csv", _csv(results[key])) for name, key in
                   (("results", "rows"), ("summary", "summary"), ("projection", "projection")) if results[key]]
        for name, text in tables:
            with atomic_write(out / name) as fh:
                fh.write(text)
            files[name] = str(out / name)
        png = plot(results, out / "f1.png")
        if png is not None:
            files["f1.png"] = str(png)
        report = render_report(results, out / "report.html", title, config)
        if report is not None:
            files["report.html"] = str(report)
    results["files"] = files
    results["brief"] = brief(results)
    return results


def _relative(path: str | None, base: Path) -> str | None:
    return None if not path else os.path.relpath(path, base)


def render_report(results: dict[str, Any], out_path: Path, title: str = "Results",
                  config: dict[str, Any] | None = None) -> Path | None:
    """The HTML report page through ``augment.show.report.render_pipeline_report`` (when that
    module is installed; nothing otherwise). Its input is the plain dict that module documents."""
    try:
        from augment.show.report import render_pipeline_report
    except ImportError:
        return None
    summary_rows = []
    for a in results["summary"]:
        row = {"method": a["method"], "lang": a["lang"], "seeds": a["seeds"]}
        for col in ["f1", "precision", "recall"] + [f"f1_{t}" for t in results["types"]]:
            row[col] = _mean(a, col) or None
        summary_rows.append(row)
    page = {
        "title": title,
        "subtitle": "entity F1 per method and language; mean ± std over seeds",
        "config": config,
        "rows": results["rows"],
        "summary_rows": summary_rows,
        "plot_png": str(out_path.parent / "f1.png") if (out_path.parent / "f1.png").exists() else None,
        "projection_reports": {p["run"]: {"report": {k: v for k, v in p.items() if k not in ("run", "viewer")},
                                          "viewer": _relative(p.get("viewer"), out_path.parent)}
                               for p in results["projection"]},
    }
    render_pipeline_report(page, out_path)
    return out_path
