"""``ner evaluate``: entity precision / recall / F1 of a model on a tagged file (seqeval numbers)."""

from __future__ import annotations

import json

import click

from augment.core.cli import label_names_option


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model", metavar="MODEL_DIR")
@click.argument("file", metavar="FILE")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--types", default=None, metavar="T1,T2",
              help="Score only these entity types (others are ignored on both sides), e.g. PER,ORG,LOC.")
@click.option("--map-type", "map_types", multiple=True, metavar="OLD=NEW",
              help="Rename an entity type on both sides before scoring (NEW=O drops it). Repeatable.")
@click.option("--repair-tags", is_flag=True, help="Repair invalid IOB sequences in FILE.")
@label_names_option
@click.option("--batch-size", type=int, default=32, show_default=True)
@click.option("--device", default="auto", show_default=True, help="auto, cpu or cuda.")
def evaluate(model, file, as_json, types, map_types, repair_tags, batch_size, device):
    """Tag FILE with MODEL_DIR and score it against FILE's tags.

    Entity-level, exact match of type and span, micro-averaged: the same numbers as seqeval's
    default mode and conlleval.

    \b
      ner evaluate run/ yo_test.conll --types PER,ORG,LOC --json
    """
    from augment.core import read_corpus
    from ner.evaluate import evaluate_model, parse_mapping, parse_types
    from ner.metrics import format_table
    from ner.train import env_threads

    env_threads()
    sentences = read_corpus(file, repair=repair_tags, to_scheme="iob2")
    scores = evaluate_model(model, sentences, types=parse_types(types), mapping=parse_mapping(map_types),
                            batch_size=batch_size, device=device, where=file)
    if as_json:
        click.echo(json.dumps(scores))
    else:
        click.echo(format_table(scores))
