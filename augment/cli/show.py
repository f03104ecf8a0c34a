"""``augment show``: look at a corpus, translation or projection file, in HTML or the terminal."""

from __future__ import annotations

import click

from augment.core.cli import format_option, scheme_options


@click.command()
@click.argument("file")
@click.option("--html", "html_out", default=None, metavar="OUT.html",
              help="Write one self-contained HTML page (no network) instead of printing.")
@click.option("--limit", type=int, default=None, metavar="N",
              help="Show only the first N matching sentences (terminal default: 20; HTML: all).")
@click.option("--filter", "filters", multiple=True, metavar="SPEC",
              help="Keep sentences matching SPEC; repeat to combine (AND): kept, dropped, type=PER, "
                   "status=projected|dropped|lost, markers=ok|broken, invalid (an invalid tag sequence), "
                   "id=ID, text=WORD.")
@click.option("--kind", type=click.Choice(["corpus", "translation", "projection"]), default=None,
              help="How to show the file (default: detected from its records).")
@click.option("--alignment", default=None, metavar="LINKS",
              help="Draw these links (`align run` output: JSONL by id, or Pharaoh lines in order) "
                   "on a translation file's pairs.")
@click.option("--no-dropped", is_flag=True,
              help="Projection files: do not load the OUT.dropped.jsonl sidecar.")
@click.option("--title", default=None, help="Page title (default: the file name).")
@click.option("--page-size", type=click.IntRange(1, 100000), default=50, show_default=True,
              help="HTML: sentences per page (the page renders lazily, one page at a time).")
@format_option()
@scheme_options
def show(file: str, html_out: str | None, limit: int | None, filters: tuple[str, ...], kind: str | None,
         alignment: str | None, no_dropped: bool, title: str | None, page_size: int, format: str | None, in_scheme: str,
         repair_tags: bool) -> None:
    """Show FILE: entities highlighted by type, with a legend and counts.

    FILE is any corpus file (CoNLL, JSONL, Parquet, saved datasets), a translation file of
    `augment translate` or a projection file of `augment project-labels`. Pairs are shown source
    above target with their entities in matching colours and numbers, and the word alignment
    drawn between them; a projection file also loads its OUT.dropped.jsonl sidecar so dropped
    sentences and entities can be filtered.

    \b
    Examples:
      augment show de.projected.jsonl --html view.html
      augment show de.projected.jsonl --filter dropped --limit 5
      augment show eng.testa --filter type=MISC
      augment show de.translated.jsonl --alignment links.jsonl --html pairs.html
    """
    from augment.show.load import load_view

    if limit is None and html_out is None:
        limit = 20
    view = load_view(file, format=format, scheme=in_scheme, repair=repair_tags, kind=kind,
                     filters=filters, limit=limit, include_dropped=not no_dropped, title=title,
                     alignment=alignment)
    if view.get("note"):
        click.echo(f"note: {view['note']}", err=True)
    if html_out:
        from augment.show.html import write_view_html

        write_view_html(view, html_out, page_size=page_size)
        counts = view["counts"]
        click.echo(f"wrote {html_out}: {view['kind']}, {counts['sentences']} sentences, "
                   f"{counts['entities_total']} entities")
        return
    from augment.show.terminal import print_view

    print_view(view, limit=None)
