"""``ner ensemble``: combine several systems' tagged versions of the same sentences."""

from __future__ import annotations

import click

from augment.core.cli import format_option
from augment.core.options import click_options, options_from_click
from ner.ensemble import EnsembleOptions


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("preds", nargs=-1, metavar="PRED...")
@click.argument("outfile", metavar="OUT")
@click_options(EnsembleOptions)
@format_option("--out-format", help="Output format (default: from OUT's extension).")
def ensemble(preds, outfile, out_format, **kwargs):
    """Combine the tags of PRED files (two or more, same sentences and tokens) into OUT.

    \b
      ner ensemble yo.translate-train.jsonl yo.translate-test.jsonl yo.ens.conll --threshold 0.5
      ner ensemble a.jsonl b.jsonl c.jsonl ens.jsonl --method probs --weights 2,1,1 --gold test.txt
    """
    from augment.core import read_corpus, write_corpus
    from ner.ensemble import ensemble_files, score_against

    if len(preds) < 2:
        raise click.UsageError("give at least two PRED files and OUT")
    options = options_from_click(EnsembleOptions, kwargs)
    systems, combined = ensemble_files(list(preds), options)
    gold = options.gold
    scores = []
    if gold:  # checked before OUT is written
        gold_sents = read_corpus(gold, repair=True, to_scheme="iob2")
        for name, sents in [*zip(preds, systems), ("ensemble", combined)]:
            scores.append((name, score_against(gold_sents, sents, gold)["f1"]))
    write_corpus(combined, outfile, format=out_format)
    n = sum(len(s.spans) for s in combined)
    click.echo(f"combined {len(preds)} systems over {len(combined)} sentences ({n} entities) -> {outfile}", err=True)
    for name, f1 in scores:
        click.echo(f"{name}\tF1 {f1:.4f}")
