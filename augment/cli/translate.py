"""``augment translate``: translate a (labelled) corpus, carrying entities across with markers.

The translation options are :class:`augment.translate.options.TranslateOptions`, shared with the
pipeline ``translate`` stage; both call :func:`augment.translate.options.translate_with`.
"""

from __future__ import annotations

import click

from augment.core.cli import format_option, scheme_options
from augment.core.options import click_options, options_from_click
from augment.translate.options import TranslateOptions


@click.command()
@click.argument("input")
@click.argument("output")
@click_options(TranslateOptions)
@format_option()
@scheme_options
def translate(input: str, output: str, format: str | None, in_scheme: str, repair_tags: bool, **options) -> None:
    """Translate INPUT (any corpus format, or plain text) into OUTPUT (JSONL translation records).

    Each record holds the source sentence, the clean translation and its tokens, and, with
    --method markers, the target entity spans and IOB2 tags when the markers came back intact
    (markers_ok: true). Sentences whose markers broke keep markers_ok: false so that
    `augment project-labels` can fall back to word alignment for them. A killed run resumes when
    started again with the same arguments.

    \b
    Examples:
      augment translate eng.train yo.jsonl --src en --tgt yo
      augment translate en.jsonl yo.jsonl --src en --tgt yor --model facebook/nllb-200-distilled-600M \\
          --backend ctranslate2 --num-beams 4
      augment translate sentences.txt ha.jsonl --src en --tgt ha --method plain
    """
    from augment.core.errors import ConfigError
    from augment.core.io import read_corpus
    from augment.translate import summary
    from augment.translate.options import translate_with

    opts = options_from_click(TranslateOptions, options)
    if not output.endswith((".jsonl", ".json", ".ndjson")):
        raise ConfigError(f"OUTPUT must be a .jsonl file (translation records), got '{output}'")
    sentences = read_corpus(input, format, scheme=in_scheme, repair=repair_tags, to_scheme="iob2", lang=opts.src)
    records = translate_with(sentences, opts, out_path=output)
    counts = summary(records)
    line = f"wrote {counts['sentences']} translations to {output}"
    if counts["markers"]:
        issues = ", ".join(f"{k} {v}" for k, v in counts.items() if k not in ("sentences", "markers", "markers_ok"))
        line += f"; markers intact in {counts['markers_ok']}/{counts['markers']}" + (f" ({issues})" if issues else "")
    click.echo(line, err=True)
