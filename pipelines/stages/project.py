"""``project``: carry source entity spans onto target tokens (``augment.project.project_corpus``).

Reads translation records (``translate`` output: markers where intact, alignments elsewhere) or
a labelled source corpus + its target side (parallel text, through alignments). Writes the kept
sentences (JSONL with the source in ``src``, ready for ``train``'s ``augmented``), the dropped
ones and the report, whose counts go into the results table. The flow is
``augment.project.flow.project_files``, the one ``augment project-labels`` calls, with the same
options (``ProjectOptions``): same tag repair, same alignment cache when no alignments are given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import pipeline_settings
from augment.project.flow import ProjectOptions
from pipelines.shards import key_settings, shardable
from pipelines.stages.base import Setting, Slot, Stage


def _merged_report(name: str, merged: dict[str, Any], parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Sharding hook: the summed report, with types sorted, examples capped and settings as given."""
    from augment.project.report import MAX_EXAMPLES

    merged["by_type"] = dict(sorted(merged["by_type"].items()))
    merged["examples"] = {k: v[:MAX_EXAMPLES] for k, v in merged["examples"].items()}
    merged["settings"] = parts[0]["settings"]
    return merged


def _merged_summary(out: Path, settings: dict[str, Any], summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Sharding hook: the report's Markdown form, the viewer and the summary of the merged run."""
    import json

    from augment.core.fileio import atomic_write
    from augment.project.report import report_markdown

    report = json.loads((out / "report.json").read_text("utf-8"))
    with atomic_write(out / "report.md") as fh:
        fh.write(report_markdown(report))
    summary: dict[str, Any] = {"projection": _counts(report)}
    if settings["viewer"]:
        summary["viewer"] = _viewer(out)
    if settings["lang"]:
        summary["lang"] = settings["lang"]
    return summary


@shardable(translations="lines", alignments="lines", source="corpus", target="corpus",
           whole=True, shard_settings={"viewer": False}, fix_json=_merged_report, finish=_merged_summary)
class Project(Stage):
    kind = "project"
    help = "Project labels through markers and/or word alignments, with quality filters and a report."
    inputs = {
        "translations": Slot("translation JSONL of the translate stage", required=False),
        "source": Slot("labelled source corpus (parallel text)", required=False),
        "target": Slot("its target side, sentence i with sentence i (tags ignored)", required=False),
        "alignments": Slot("alignments from the align stage, one per pair (else computed with 'aligner' "
                           "when needed, and cached)", required=False),
    }
    settings = {**pipeline_settings(ProjectOptions),
                "viewer": Setting(bool, True, "also write an HTML viewer page of the projection (augment show)")}
    outputs = {"projected": "projected.jsonl", "dropped": "projected.dropped.jsonl", "report": "report.json"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core.options import options_from_settings
        from augment.project.flow import corpus_link_stats, project_files

        settings = dict(settings)
        whole = settings.pop("_whole_inputs", None)
        viewer = settings.pop("viewer")
        options = options_from_settings(ProjectOptions, key_settings(settings))
        stats = None
        if whole:  # a shard: the Dice scores are those of the whole corpus, as in one run
            stats = corpus_link_stats(options, **{k: None if whole.get(k) is None else Path(whole[k])
                                                  for k in ("translations", "source", "target", "alignments")})
        report, _ = project_files(out / "projected.jsonl", options, translations=inputs["translations"],
                                  source=inputs["source"], target=inputs["target"], alignments=inputs["alignments"],
                                  out_format="jsonl", sidecar_paths={"dropped": out / "projected.dropped.jsonl",
                                                                     "report": out / "report.json"},
                                  stats=stats)
        summary: dict[str, Any] = {"projection": _counts(report)}
        if viewer:
            summary["viewer"] = _viewer(out)
        if options.lang:
            summary["lang"] = options.lang
        return summary


def _counts(report: dict[str, Any]) -> dict[str, Any]:
    """The report's scalar counts, plus entities projected per type (for the results table)."""
    counts = {k: v for k, v in report.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    for t, c in sorted((report.get("by_type") or {}).items()):
        if isinstance(c, dict):
            counts[f"projected_{t}"] = c.get("projected", 0)
    return counts


def _viewer(out: Path) -> str | None:
    """An HTML page of the projection (kept and dropped) beside ``out/`` — in the run's directory
    but not an output, so it is not hashed; returns its path relative to the run's directory."""
    try:
        from augment.show import load_view, write_view_html
    except ImportError:
        return None
    view = load_view(out / "projected.jsonl", title="projection")
    write_view_html(view, out.parent / "viewer.html")
    return "viewer.html"


STAGE = Project
