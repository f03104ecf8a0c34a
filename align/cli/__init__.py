"""``align``: word alignment of sentence pairs and its evaluation."""

from __future__ import annotations

import click

from augment.core.cli import LazyGroup, run_main, verbose_option

COMMANDS = {
    "run": "align.cli.run:run",
    "evaluate": "align.cli.evaluate:evaluate",
}


@click.group(cls=LazyGroup, lazy_subcommands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@verbose_option
def align() -> None:
    """Word alignment for label projection.

    \b
      align run pairs.jsonl links.txt --method eflomal --extra-parallel menyo.tsv
      align run pairs.jsonl links.txt --method simalign --model bert-base-multilingual-cased
      align evaluate links.txt gold.txt --gold-index-base 1
    """


def main() -> None:
    run_main(align, "align")
