"""``align evaluate``: precision, recall, F1 and AER of predicted links against gold."""

from __future__ import annotations

import json

import click


@click.command()
@click.argument("pred", metavar="PRED")
@click.argument("gold", metavar="GOLD")
@click.option("--gold-index-base", type=click.Choice(["0", "1"]), default="0", show_default=True,
              help="Whether GOLD's token indices start at 0 or 1 (the awesome-align en-fr gold is 1-based).")
@click.option("--pairs", "pairs_file", default=None, metavar="FILE",
              help="The aligned pairs (any `align run` input): checks every link is inside its sentences.")
@click.option("--json", "json_out", default=None, metavar="FILE", help="Also write the scores as JSON.")
def evaluate(pred: str, gold: str, gold_index_base: str, pairs_file: str | None, json_out: str | None) -> None:
    """Score PRED (Pharaoh or alignment JSONL, 0-based) against GOLD (i-j sure, ipj possible).

    \b
      align evaluate links.txt enfr.gold --gold-index-base 1 --pairs enfr.src-tgt
    """
    from align.evaluate import check_bounds, read_gold, score
    from align.readers import read_pairs
    from augment.core.alignment import read_pharaoh
    from augment.core.errors import DataError
    from augment.core.fileio import atomic_write

    predicted = read_pharaoh(pred)
    gold_links = read_gold(gold, int(gold_index_base))
    for path, lines in ((pred, predicted), (gold, gold_links)):
        if not lines:
            raise DataError("empty file: no alignments", path=path)
    if len(predicted) != len(gold_links):
        raise DataError(f"{len(predicted)} predicted alignments but {len(gold_links)} gold lines in {gold}",
                        path=pred)
    if pairs_file:
        pairs = read_pairs(pairs_file)
        if len(pairs) != len(gold_links):
            raise DataError(f"{len(pairs)} pairs but {len(gold_links)} gold lines", path=pairs_file)
        lengths = [(len(p.src), len(p.tgt)) for p in pairs]
        check_bounds(gold_links, lengths, gold)
        for n, (a, (ls, lt)) in enumerate(zip(predicted, lengths, strict=True), 1):
            bad = [(i, j) for i, j in a.links if i >= ls or j >= lt]
            if bad:
                raise DataError(f"link {bad[0][0]}-{bad[0][1]} out of range for a pair of {ls} and {lt} tokens",
                                path=pred, line=n)
    result = score(predicted, gold_links)
    click.echo(f"pairs {result['pairs']}  precision {result['precision']:.4f}  recall {result['recall']:.4f}  "
               f"F1 {result['f1']:.4f}  AER {result['aer']:.4f}")
    if json_out:
        with atomic_write(json_out) as fh:
            json.dump(result, fh, indent=2)
