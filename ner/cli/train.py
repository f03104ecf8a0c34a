"""``ner train``: ConCNER training (CE + label- and translation-contrastive losses).

The options are the fields of :class:`ner.options.TrainConfig`; this file only parses them and
calls :func:`ner.train.train_model`, as the pipeline ``train`` stage does.
"""

from __future__ import annotations

import json

import click

from augment.core.options import click_options, options_from_click
from ner.options import TrainConfig


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click_options(TrainConfig)
def train(**options):
    """Train a NER model with the ConCNER dual-contrastive method.

    Loss per batch: CE + lambda_label * SupCon(tokens, same label = positive)
    + lambda_translation * InfoNCE(sentence, its translation = positive). With both weights 0 and
    no --augmented file it is plain fine-tuning ("source only"). Rerun the same command after an
    interruption to continue from the last finished epoch.

    \b
      ner train --train en.conll --augmented yo.projected.jsonl --dev yo_dev.conll \\
                --model xlm-roberta-base --out run/
    """
    from ner.train import SUMMARY_FILE, env_threads, train_model

    env_threads()
    path = train_model(options_from_click(TrainConfig, options))
    summary = json.loads((path / SUMMARY_FILE).read_text("utf-8"))
    best = summary.get("best_dev_f1")
    click.echo(f"model saved to {path}" + (f" (best dev F1 {best:.4f} at epoch {summary['best_epoch']})"
                                            if best is not None else ""))
