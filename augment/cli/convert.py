"""``augment convert``: any readable corpus format to any writable one, optionally re-tagged."""

from __future__ import annotations

import click

from augment.core.cli import format_option, scheme_options


@click.command()
@click.argument("input")
@click.argument("output")
@format_option()
@format_option("--out-format", help="Output format (default: from OUTPUT's extension; CoNLL otherwise).")
@scheme_options
@click.option("--scheme", default=None, help="Convert tags to this scheme: iob1, iob2 (bio), iobes. Default: keep.")
@click.option("--lang", default=None, help="Language code to record on every sentence (e.g. yo).")
def convert(input: str, output: str, format: str | None, out_format: str | None, in_scheme: str,
            repair_tags: bool, scheme: str | None, lang: str | None) -> None:
    """Convert INPUT to OUTPUT (CoNLL, JSONL, Parquet, datasets dir, plain text)."""
    from augment.core.io import read_corpus, write_corpus

    sentences = read_corpus(input, format, scheme=in_scheme, repair=repair_tags, to_scheme=scheme, lang=lang)
    fmt = write_corpus(sentences, output, out_format)
    click.echo(f"wrote {len(sentences)} sentences to {output} ({fmt})", err=True)
