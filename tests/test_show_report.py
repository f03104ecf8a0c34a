"""The pipelines' report page: results tables, embedded plot, projection reports with viewer links."""

from __future__ import annotations

import base64
from collections import Counter

import pytest

from augment.core.errors import ConfigError
from augment.show import load_view, render_pipeline_report, write_view_html
from augment.show.report import report_context, report_sections


def projection_report(records) -> dict:
    """A report in the shape of docs/formats.md, counted from projection records."""
    ents = [e for r in records for e in r["projection"]["entities"]]
    kept = [r for r in records if r["projection"]["kept"]]
    by_type = {}
    for t in sorted({e["src"][2] for e in ents}):
        by_type[t] = {"in": sum(e["src"][2] == t for e in ents),
                      "projected": sum(e["src"][2] == t and e["status"] == "projected" for e in ents),
                      "kept": sum(e["src"][2] == t for r in kept for e in r["projection"]["entities"])}
    return {"sentences_in": len(records), "sentences_kept": len(kept),
            "sentences_dropped": len(records) - len(kept), "entities_in": len(ents),
            "by_type": by_type, "entity_drop_reasons": dict(Counter(e["reason"] for e in ents if e["reason"])),
            "filters": {"unaligned_entity": len(records) - len(kept), "span_ratio": 0},
            "examples": {"unaligned_entity": [{"id": r["id"], "src": " ".join(r["src"]["tokens"][:8]), "tgt": "<b>x</b>"}
                                              for r in records if not r["projection"]["kept"]][:3]},
            "settings": {"strategy": "align", "filters": {"span_ratio": 3.0}}}


@pytest.fixture()
def report_inputs(europarl_projection, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path, records = europarl_projection
    out_dir = tmp_path / "run"
    write_view_html(load_view(path), out_dir / "viewers" / "de.html")
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["de", "es"], [0.71, 0.64])
    fig.savefig(out_dir / "f1.png")
    plt.close(fig)
    results = {
        "title": "en \u2192 de <projection> run",
        "subtitle": "entity F1; mean \u00b1 std over seeds",
        "config": {"languages": ["de", "es"], "seeds": [1, 2], "project": {"strategy": "align"}},
        "rows": [{"method": "project", "lang": "de", "seed": 1, "f1": 0.7123456, "f1_PER": 0.8},
                 {"method": "project", "lang": "es", "seed": 1, "f1": 0.64, "f1_PER": None, "f1_LOC": 0.5}],
        "summary_rows": [{"method": "project", "lang": "de", "f1": "0.7123 \u00b1 0.0100"}],
        "plot_png": "f1.png",
        "projection_reports": {"de": {"report": projection_report(records), "viewer": "viewers/de.html"},
                               "es": {"report": {}, "viewer": "javascript:alert(1)"}},
    }
    return out_dir, results, records


def test_report_context_tables(report_inputs):
    out_dir, results, records = report_inputs
    ctx = report_context(results, out_dir)
    assert ctx["results"]["columns"] == ["method", "lang", "seed", "f1", "f1_PER", "f1_LOC"]
    assert ctx["results"]["rows"][0][3] == "0.7123" and ctx["results"]["rows"][1][4] == "\u2014"
    assert ctx["results"]["numeric"] == [False, False, True, True, True, True]
    assert ctx["plot"].startswith("data:image/png;base64,")
    assert base64.b64decode(ctx["plot"].split(",", 1)[1]) == (out_dir / "f1.png").read_bytes()
    de, es = ctx["projections"]
    assert de["viewer"] == "viewers/de.html" and es["viewer"] is None  # no script URLs
    titles = [s["title"] for s in de["sections"]]
    assert titles[:2] == ["counts", "by type"] and "examples: unaligned_entity" in titles
    by_type = de["sections"][1]
    assert by_type["columns"] == ["by_type", "in", "projected", "kept"]
    assert [r[0] for r in by_type["rows"]] == sorted({e["src"][2] for r in records for e in r["projection"]["entities"]})
    assert "languages:" in ctx["config_text"]


def test_report_sections_of_an_unusual_report():
    secs = report_sections({"n": 3, "nested": {"a": [1, 2], "b": {"c": {"d": 1}}}})
    assert secs[0]["rows"] == [["n", "3"]]
    assert secs[1]["title"] == "nested" and '"d": 1' in secs[1]["json"]
    with pytest.raises(ConfigError):
        report_context({"rows": "not a list"}, None)


def test_missing_plot_is_a_note_not_a_failure(tmp_path):
    out = render_pipeline_report({"rows": [{"lang": "yo", "f1": 0.5}], "plot_png": "nope.png"},
                                 tmp_path / "r.html")
    html = out.read_text(encoding="utf-8")
    assert "plot not found: nope.png" in html and "<img" not in html
    assert "<title>Pipeline report</title>" in html


def test_report_page_in_the_browser(report_inputs, show_page):
    page = show_page
    out_dir, results, records = report_inputs
    out = render_pipeline_report(results, out_dir / "report.html")
    html = out.read_text(encoding="utf-8")
    assert "&lt;projection&gt;" in html and "<projection>" not in html and "<b>x</b>" not in html
    page.goto(out.resolve().as_uri())
    assert page.title() == "en \u2192 de <projection> run"
    assert page.locator("table.results tbody tr").count() == 2
    assert page.locator("table.summary tbody tr").count() == 1
    assert page.evaluate("document.querySelector('#plot + .plot img').naturalWidth") > 100
    assert page.locator("section.proj").count() == 2
    assert page.locator("section.proj[data-lang='es'] a").count() == 0
    kept = sum(r["projection"]["kept"] for r in records)
    assert page.locator("section.proj[data-lang='de'] table").first.inner_text().count(str(kept)) >= 1
    page.screenshot(path=str(out_dir / "report.png"), full_page=True)
    page.click("section.proj[data-lang='de'] a.viewer-link")
    page.wait_for_selector("body[data-ready='1']", timeout=10000)
    assert page.url.endswith("viewers/de.html")
    assert page.locator("article.item").count() == 50
    assert page.js_errors == []
