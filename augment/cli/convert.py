"""``augment convert``: any readable corpus format to any writable one, optionally re-tagged.

The selection options (slice, entity types, language) are :class:`augment.convert.ConvertOptions`,
shared with the pipeline ``prepare`` stage; both call :func:`augment.convert.select_sentences`.
"""

from __future__ import annotations

import click

from augment.convert import ConvertOptions
from augment.core.cli import format_option, scheme_options
from augment.core.options import click_options, options_from_click


@click.command()
@click.argument("input")
@click.argument("output")
@click_options(ConvertOptions)
@format_option("--out-format", help="Output format (default: from OUTPUT's extension; CoNLL otherwise).")
@scheme_options
@click.option("--scheme", default=None, help="Convert tags to this scheme: iob1, iob2 (bio), iobes. Default: keep.")
def convert(input: str, output: str, out_format: str | None, in_scheme: str, repair_tags: bool, scheme: str | None,
            **options) -> None:
    """Convert INPUT to OUTPUT (CoNLL, JSONL, Parquet, datasets dir, plain text).

    \b
      augment convert eng.train en.jsonl --scheme iob2 --lang en
      augment convert eng.train en.conll --types PER,ORG,LOC --limit 1000
    """
    from augment.convert import select_sentences
    from augment.core.io import read_corpus, write_corpus
    from augment.core.tags import convert_tags

    opts = options_from_click(ConvertOptions, options)
    # renaming or filtering types works on IOB2 tags; the requested scheme is applied after it
    to_scheme = "iob2" if opts.maps_types and not opts.drop_tags else scheme
    sentences = read_corpus(input, opts.format, scheme=in_scheme, repair=repair_tags, to_scheme=to_scheme,
                            lang=opts.lang)
    sentences = select_sentences(sentences, opts)
    if scheme and to_scheme != scheme:
        for s in sentences:
            if s.tags is not None:
                s.tags = convert_tags(s.tags, scheme)
    fmt = write_corpus(sentences, output, out_format)
    click.echo(f"wrote {len(sentences)} sentences to {output} ({fmt})", err=True)
