"""Render a view (or a pipeline report) to one self-contained HTML file with Jinja2.

Autoescaping is on for every template. The items travel as JSON inside a
``<script type="application/json">`` block that the page's own script parses and renders a page at
a time with DOM calls (``textContent``), so a token like ``</script>`` is text, never markup, and a
20,000-sentence file opens as fast as its first page.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from markupsafe import Markup

from augment.core.fileio import atomic_write

TEMPLATES = Path(__file__).with_name("templates")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(obj: Any) -> Markup:
    """``obj`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` are
    written as ``\\u003c`` ... so no ``</script>`` or ``<!--`` can appear in the element."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, rep in _JSON_ESCAPES.items():
        text = text.replace(ch, rep)
    return Markup(text)


def environment():
    """The Jinja2 environment of the viewer's templates (autoescape on, strict undefined)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = script_json
    return env


def render_template(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


def view_html(view: dict[str, Any], page_size: int = 50) -> str:
    """The viewer page of ``view`` (from :func:`augment.show.load_view`) as a string."""
    data = {"kind": view["kind"], "items": view["items"], "colors": view["colors"],
            "page_size": max(1, int(page_size))}
    return render_template("view.html.j2", view=view, data=data, page_size=data["page_size"])


def write_page(html: str, out_path: str | os.PathLike) -> Path:
    """Write a page atomically, readable like any new file (atomic_write applies the umask)."""
    out = Path(out_path)
    with atomic_write(out) as fh:
        fh.write(html)
    return out


def write_view_html(view: dict[str, Any], out_path: str | os.PathLike, page_size: int = 50) -> Path:
    """Write the viewer page of ``view`` atomically to ``out_path``; returns the path."""
    return write_page(view_html(view, page_size), out_path)
