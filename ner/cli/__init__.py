"""``ner``: train (ConCNER), distil, evaluate and apply NER models."""

from __future__ import annotations

import click

from augment.core.cli import LazyGroup, run_main, verbose_option

COMMANDS = {
    "train": "ner.cli.train:train",
    "evaluate": "ner.cli.evaluate:evaluate",
    "predict": "ner.cli.predict:predict",
    "distill": "ner.cli.distill:distill",
    "translate-test": "ner.cli.translate_test:translate_test",
    "ensemble": "ner.cli.ensemble:ensemble",
}


@click.group(cls=LazyGroup, lazy_subcommands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@verbose_option
def ner() -> None:
    """Multilingual NER models: ConCNER training, distillation, evaluation, prediction.

    \b
      ner train --train en.conll --augmented yo.projected.jsonl --model xlm-roberta-base --out run/
      ner distill --teacher run/ --unlabeled yo.txt --out student/
      ner evaluate run/ yo_test.txt
      ner predict run/ yo.txt yo.tagged.conll
    """


def main() -> None:
    run_main(ner, "ner")
