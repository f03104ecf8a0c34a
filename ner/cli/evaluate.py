"""``ner evaluate``: entity precision / recall / F1 of a model on a tagged file (seqeval numbers).

The scoring options are :class:`ner.options.EvaluateOptions`, shared with the pipeline
``evaluate`` stage; both call :func:`ner.evaluate.evaluate_model` with them.
"""

from __future__ import annotations

import json

import click

from augment.core.cli import label_names_option
from augment.core.options import click_options, options_from_click
from ner.options import EvaluateOptions


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model", metavar="MODEL_DIR")
@click.argument("file", metavar="FILE")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--repair-tags", is_flag=True, help="Repair invalid IOB sequences in FILE.")
@label_names_option
@click_options(EvaluateOptions)
def evaluate(model, file, as_json, repair_tags, **options):
    """Tag FILE with MODEL_DIR and score it against FILE's tags.

    Entity-level, exact match of type and span, micro-averaged: the same numbers as seqeval's
    default mode and conlleval.

    \b
      ner evaluate run/ yo_test.conll --types PER,ORG,LOC --json
    """
    from augment.core import read_corpus
    from augment.core.metrics import format_table
    from ner.evaluate import evaluate_model
    from ner.train import env_threads

    env_threads()
    opts = options_from_click(EvaluateOptions, options)
    sentences = read_corpus(file, repair=repair_tags, to_scheme="iob2")[: opts.limit]
    scores = evaluate_model(model, sentences, **opts.library_kwargs(), where=file)
    if as_json:
        click.echo(json.dumps(scores))
    else:
        click.echo(format_table(scores))
