"""``project``: carry source entity spans onto target tokens (``augment.project.project_corpus``).

Reads translation records (``translate`` output: markers where intact, alignments elsewhere) or
a labelled source corpus + its target side (parallel text, through alignments). Writes the kept
sentences (JSONL with the source in ``src``, ready for ``train``'s ``augmented``), the dropped
ones and the report, whose counts go into the results table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.shards import shardable
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
        "alignments": Slot("alignments from the align stage, one per pair (needed unless markers suffice)",
                           required=False),
    }
    settings = {
        "strategy": Setting(str, "markers+align", "markers, align or markers+align (parallel text: align)",
                            ("markers", "align", "markers+align")),
        "no_filter": Setting(list, None, "filters to turn off: unaligned_entity, entity_count, span_ratio, "
                                         "coverage, or all"),
        "filter_options": Setting(dict, None, "filter thresholds, e.g. {span_ratio: 3.0, coverage: 0.3}"),
        "lang": Setting(str, None, "target language code recorded on the sentences"),
        "viewer": Setting(bool, True, "also write an HTML viewer page of the projection (augment show)"),
    }
    outputs = {"projected": "projected.jsonl", "dropped": "projected.dropped.jsonl", "report": "report.json"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import write_corpus
        from augment.project import parse_filters, project_corpus, to_sentences
        from augment.project.corpus import link_stats
        from augment.project.report import write_projection_extras

        records, links, strategy = _read(inputs, settings)
        stats = None
        if settings.get("_whole_inputs") and links is not None:  # a shard: Dice scores over the whole corpus
            whole = {k: None if v is None else Path(v) for k, v in settings["_whole_inputs"].items()}
            stats = link_stats(*_read(whole, settings)[:2])
        no_filter = settings["no_filter"] or []
        filter_options = [f"{k}={v}" for k, v in (settings["filter_options"] or {}).items()]
        filters = parse_filters(no_filter, filter_options)
        kept, dropped, report = project_corpus(records, links, strategy=strategy, filters=filters, stats=stats)
        write_corpus(to_sentences(kept), out / "projected.jsonl", "jsonl")
        write_projection_extras(dropped, report, out / "projected.dropped.jsonl", out / "report.json")
        summary: dict[str, Any] = {"projection": _counts(report)}
        if settings["viewer"]:
            summary["viewer"] = _viewer(out)
        if settings["lang"]:
            summary["lang"] = settings["lang"]
        return summary


def _read(inputs: dict[str, Any], settings: dict[str, Any]) -> tuple[list[dict[str, Any]], list | None, str]:
    """The records to project, their alignments (or None) and the strategy that applies."""
    from augment.core import read_corpus
    from augment.core.alignment import read_pharaoh
    from augment.core.errors import ConfigError, DataError
    from augment.core.translation import read_translation_records
    from augment.project import check_parallel, needs_alignment, parallel_records

    strategy = settings["strategy"]
    if inputs["translations"] is not None:
        records = read_translation_records(inputs["translations"], require_src_tags=True)
    elif inputs["source"] is not None and inputs["target"] is not None:
        src = read_corpus(inputs["source"], repair=True, to_scheme="iob2")
        tgt = read_corpus(inputs["target"], repair=True, lang=settings["lang"])
        check_parallel(src, tgt, inputs["source"], inputs["target"])
        records = parallel_records(src, tgt)
        strategy = "align"
    else:
        raise ConfigError("project needs 'translations', or both 'source' and 'target'")
    if settings["lang"]:
        for r in records:
            r["lang"] = settings["lang"]
    links = None
    if inputs["alignments"] is not None:
        links = read_pharaoh(inputs["alignments"])
        if len(links) != len(records):
            raise DataError(f"{len(links)} alignments but {len(records)} sentence pairs", path=inputs["alignments"])
    elif needs_alignment(records, strategy):
        raise ConfigError(f"strategy '{strategy}' needs word alignments here: add an align stage as the "
                          "'alignments' input")
    return records, links, strategy


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
