"""See the data: an HTML viewer and a terminal view for corpus, translation and projection files,
and the HTML page of the pipelines' end-of-run report.

    view = load_view("de.projected.jsonl")          # plain data: items, counts, colours
    write_view_html(view, "view.html")               # one self-contained page
    print_view(view, limit=10)                       # the same in the terminal
    render_pipeline_report(results, "report.html")   # pipelines' report (see docs/show.md)
"""

from augment.show.html import view_html, write_view_html
from augment.show.load import dropped_sidecar, load_view
from augment.show.model import build_view, make_items, type_colors
from augment.show.report import render_pipeline_report
from augment.show.terminal import print_view

__all__ = [
    "build_view", "dropped_sidecar", "load_view", "make_items", "print_view",
    "render_pipeline_report", "type_colors", "view_html", "write_view_html",
]
