"""``ner ensemble``: combine several systems' tagged versions of the same sentences."""

from __future__ import annotations

import click

from augment.core.cli import format_option


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("preds", nargs=-1, metavar="PRED...")
@click.argument("outfile", metavar="OUT")
@click.option("--method", type=click.Choice(["vote", "probs"]), default="vote", show_default=True,
              help="vote: entity-level voting; probs: average the saved word probabilities "
                   "(`ner predict --save-probs`).")
@click.option("--threshold", type=float, default=0.5, show_default=True,
              help="vote: share of the (weighted) votes an entity needs to be kept.")
@click.option("--weights", default=None, metavar="W1,W2,...", help="One weight per PRED (default: equal).")
@click.option("--gold", default=None, help="A gold file of the same sentences: print each system's and the "
                                           "ensemble's entity F1.")
@format_option("--out-format", help="Output format (default: from OUT's extension).")
def ensemble(preds, outfile, method, threshold, weights, gold, out_format):
    """Combine the tags of PRED files (two or more, same sentences and tokens) into OUT.

    \b
      ner ensemble yo.translate-train.jsonl yo.translate-test.jsonl yo.ens.conll --threshold 0.5
      ner ensemble a.jsonl b.jsonl c.jsonl ens.jsonl --method probs --weights 2,1,1 --gold test.txt
    """
    from augment.core import read_corpus, write_corpus
    from augment.core.errors import ConfigError
    from ner.ensemble import ensemble as combine
    from ner.ensemble import score_against

    if len(preds) < 2:
        raise click.UsageError("give at least two PRED files and OUT")
    w = None
    if weights:
        try:
            w = [float(x) for x in weights.split(",")]
        except ValueError:
            raise ConfigError(f"--weights: expected numbers separated by commas, got '{weights}'") from None
    systems = [read_corpus(p, repair=True, to_scheme="iob2") for p in preds]
    combined = combine(systems, method=method, threshold=threshold, weights=w, names=list(preds))
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
