"""The pipelines' end-of-run report as one self-contained HTML page.

:func:`render_pipeline_report` takes a plain dict (documented in ``docs/show.md``) so that the
pipelines stage does not depend on how the page is laid out:

``title`` (str), ``subtitle`` (str, optional), ``config`` (dict, optional; shown as YAML),
``columns`` (list of row keys, optional; default: keys in first-seen order), ``rows`` (list of
dicts, one per language/method/seed), ``summary_rows`` (list of dicts, optional), ``plot_png``
(path or None; embedded), ``projection_reports`` (``{lang: {"report": dict, "viewer": relative
path or None}}``, optional), ``notes`` (list of str, optional).
"""

from __future__ import annotations

import base64
import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from augment.core.errors import ConfigError


def fmt(value: Any) -> str:
    """A table cell: floats with 4 decimals, None as an em dash, lists joined."""
    if value is None:
        return "\u2014"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.4f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> dict[str, Any]:
    """``{"columns", "rows": [[cell, ...]], "numeric": [bool per column]}`` for a list of dicts."""
    if columns is None:
        columns = []
        for row in rows:
            columns += [k for k in row if k not in columns]
    cells = [[fmt(row.get(c)) for c in columns] for row in rows]
    numeric = [all(isinstance(row.get(c), (int, float)) or row.get(c) is None for row in rows)
               for c in columns]
    return {"columns": list(columns), "rows": cells, "numeric": numeric}


def _scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def report_sections(report: dict[str, Any]) -> list[dict[str, Any]]:
    """A projection report (``OUT.report.json``) as titled tables, whatever keys it has.

    Top-level numbers form one table; a dict of dicts (``by_type``) a matrix; a dict of numbers
    (``filters``, ``via``) a two-column table; a dict of lists of dicts (``examples``) one table
    per key; anything else is shown as JSON.
    """
    sections = []
    scalars = [{"what": k.replace("_", " "), "value": v} for k, v in report.items() if _scalar(v)]
    if scalars:
        sections.append({"title": "counts", **table(scalars, ["what", "value"])})
    for key, value in report.items():
        title = key.replace("_", " ")
        if _scalar(value):
            continue
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()) and all(
                _scalar(x) for v in value.values() for x in v.values()):
            rows = [{key: k, **v} for k, v in value.items() if v]
            if rows:
                sections.append({"title": title, **table(rows)})
        elif isinstance(value, dict) and all(_scalar(v) for v in value.values()):
            sections.append({"title": title, **table([{"name": k, "value": v} for k, v in value.items()],
                                                      ["name", "value"])})
        elif isinstance(value, dict) and all(isinstance(v, list) for v in value.values()):
            for k, lst in value.items():
                rows = [r if isinstance(r, dict) else {"value": r} for r in lst]
                if rows:
                    sections.append({"title": f"{title}: {k}", **table(rows)})
        else:
            sections.append({"title": title, "json": json.dumps(value, ensure_ascii=False, indent=2)})
    return sections


def _safe_href(href: Any) -> str | None:
    if not href:
        return None
    href = str(href)
    return None if href.strip().lower().startswith(("javascript:", "data:", "vbscript:")) else href


def _plot_uri(path: Any, base: Path) -> tuple[str | None, str | None]:
    if not path:
        return None, None
    p = Path(path)
    if not p.is_absolute() and not p.exists():
        p = base / p
    if not p.is_file():
        return None, f"plot not found: {path}"
    return "data:image/png;base64," + base64.b64encode(p.read_bytes()).decode("ascii"), None


def report_context(results: dict[str, Any], base: Path) -> dict[str, Any]:
    """The template context of :func:`render_pipeline_report` (plain data; tested directly)."""
    if not isinstance(results, dict):
        raise ConfigError("the pipeline report needs a dict of results")
    rows = results.get("rows") or []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ConfigError("results['rows'] must be a list of dicts")
    config = results.get("config")
    config_text = None
    if config:
        import yaml

        config_text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, default_flow_style=False)
    plot, plot_note = _plot_uri(results.get("plot_png"), base)
    projections = []
    for lang, entry in (results.get("projection_reports") or {}).items():
        entry = entry or {}
        report = entry.get("report") or {}
        projections.append({"lang": str(lang), "viewer": _safe_href(entry.get("viewer")),
                            "sections": report_sections(report) if isinstance(report, dict) else []})
    notes = [str(n) for n in results.get("notes") or []] + ([plot_note] if plot_note else [])
    return {
        "title": str(results.get("title") or "Pipeline report"),
        "subtitle": results.get("subtitle"),
        "results": table(rows, results.get("columns")) if rows else None,
        "summary": table(results["summary_rows"]) if results.get("summary_rows") else None,
        "plot": plot, "config_text": config_text, "projections": projections, "notes": notes,
    }


def render_pipeline_report(results: dict[str, Any], out_path: str | os.PathLike) -> Path:
    """Write the pipelines' report page for ``results`` (see the module doc) to ``out_path``.

    Relative ``plot_png`` paths are tried as given, then relative to the page's folder; the PNG is
    embedded so the page stands alone. ``viewer`` links stay relative to the page.
    """
    from augment.show.html import render_template, write_page

    out = Path(out_path)
    return write_page(render_template("report.html.j2", **report_context(results, out.parent)), out)
