"""``augment compare``: entity P/R/F1 of one labeling of target tokens against another."""

from __future__ import annotations

import json

import click

from augment.compare import CompareOptions
from augment.core.options import click_options


@click.command()
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click_options(CompareOptions)
def compare(a: str, b: str, as_json: bool, **kwargs) -> None:
    """Score the entities of A against those of B (the reference): precision, recall and F1 per
    type and overall (micro), seqeval's default mode.

    A and B label the same tokens (any corpus format; e.g. two projections of the same
    translations). Sentences are matched by id when one file's ids all occur in the other (a
    projection's kept sentences against a full reference; the others are skipped and counted),
    else by position; matched sentences must have the same tokens.

    \b
      augment compare yo.projected.jsonl yor.tprojection.conll --types PER,ORG,LOC
      augment compare pred.conll gold.conll --json
    """
    from augment.compare import compare_files, format_comparison
    from augment.core.options import options_from_click

    options = options_from_click(CompareOptions, kwargs)
    result = compare_files(a, b, types=options.types or None)
    click.echo(json.dumps(result, ensure_ascii=False) if as_json else format_comparison(result))
