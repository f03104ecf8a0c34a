"""``augment stats``: sentences, tokens and entities per type of a corpus file."""

from __future__ import annotations

import json

import click

from augment.core.cli import format_option, scheme_options


@click.command()
@click.argument("file")
@format_option()
@scheme_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def stats(file: str, format: str | None, in_scheme: str, repair_tags: bool, as_json: bool) -> None:
    """Count sentences, tokens and entities per type in FILE (any readable format)."""
    from augment.core.errors import printable
    from augment.core.io import read_corpus
    from augment.core.stats import corpus_stats

    result = corpus_stats(read_corpus(file, format, scheme=in_scheme, repair=repair_tags))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    click.echo(file)
    table = Table(show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("sentences", str(result["sentences"]))
    table.add_row("tokens", str(result["tokens"]))
    if result["tokens_joined"]:
        table.add_row("mark-only tokens joined", f"{result['tokens_joined']} in {result['sentences_joined']} sentences")
    table.add_row("sentences with entities", str(result["sentences_with_entities"]))
    for typ, n in result["entities"].items():
        table.add_row(printable(f"entities {typ}"), str(n))
    table.add_row("entities (all)", str(result["entities_total"]))
    Console().print(table)
