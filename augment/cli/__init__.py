"""``augment``: corpus tools and data augmentation (translate, project labels, inspect)."""

from __future__ import annotations

import click

from augment.core.cli import LazyGroup, run_main, verbose_option

COMMANDS = {
    "stats": "augment.cli.stats:stats",
    "convert": "augment.cli.convert:convert",
    "translate": "augment.cli.translate:translate",
    "train-mt": "augment.cli.train_mt:train_mt",
    "score-mt": "augment.cli.score_mt:score_mt",
    "project-labels": "augment.cli.project_labels:project_labels",
    "compare": "augment.cli.compare:compare",
    "show": "augment.cli.show:show",
}


@click.group(cls=LazyGroup, lazy_subcommands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@verbose_option
def augment() -> None:
    """Corpus tools and label-preserving data augmentation for cross-lingual NER.

    \b
    Typical flow:
      augment stats train.txt                       # what is in a corpus
      augment convert eng.train en.jsonl --scheme iob2
      augment translate en.jsonl yo.jsonl --src en --tgt yo
      augment project-labels yo.jsonl yo.projected.jsonl
      augment compare yo.projected.jsonl reference.conll   # agreement with another labeling
      augment show yo.projected.jsonl --html view.html
    """


def main() -> None:
    run_main(augment, "augment")
