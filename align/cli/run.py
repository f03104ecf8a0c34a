"""``align run``: word alignments for sentence pairs (eflomal or SimAlign)."""

from __future__ import annotations

import click

from align.api import AlignOptions
from augment.core.options import click_options


@click.command()
@click.argument("input", metavar="IN")
@click.argument("output", metavar="OUT")
@click_options(AlignOptions)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text", "tsv"]), default=None,
              help="Input format: translation JSONL, 'src ||| tgt' text, or src<TAB>tgt. Default: from content.")
@click.option("--extra-parallel", multiple=True, metavar="FILE",
              help="eflomal: more unlabelled parallel text to learn from (any input format; repeatable). "
                   "Only IN's pairs are written.")
def run(input: str, output: str, fmt: str | None, extra_parallel: tuple[str, ...], **kwargs) -> None:
    """Align the sentence pairs in IN and write OUT.

    OUT is Pharaoh text (one line per pair, 0-based i-j links) unless it ends in .jsonl (one
    alignment record per pair; see docs/formats.md). A killed run resumes where it stopped.

    \b
      align run pairs.txt links.txt --method eflomal --extra-parallel menyo20k/train.tsv
      align run yo.jsonl links.jsonl --method simalign --model xlm-roberta-base --layer 8
    """
    from align.api import align_to_file
    from align.readers import read_pairs
    from augment.core.hub import preflight
    from augment.core.options import options_from_click

    if kwargs.get("method") != "eflomal":
        preflight(kwargs.get("model"), "encoder")  # an unreachable hub model fails before torch is imported
    counts = align_to_file(read_pairs(input, fmt), output, options_from_click(AlignOptions, kwargs), extra_parallel,
                           log=lambda msg: click.echo(msg, err=True))
    click.echo(f"wrote {counts['pairs']} alignments ({counts['links']} links) to {output}", err=True)
