"""``augment score-mt``: chrF/BLEU of a translation model on a test set, or its marker survival."""

from __future__ import annotations

import click

from augment.core.options import click_options, options_from_click
from augment.mt.evaluate import ScoreMTOptions


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model")
@click.argument("source")
@click.argument("out", required=False)
@click_options(ScoreMTOptions)
def score_mt(model: str, source: str, out: str | None, **kwargs) -> None:
    """Translate SOURCE with MODEL and score it; with OUT (a folder) keep scores.json and every
    translation (translations.jsonl).

    Parallel text (NTREX-128's line files with --reference, or a pair file): chrF and BLEU
    (sacrebleu, NFC text), beside the copy-the-source baseline. A tagged corpus with --markers:
    the share of entities (and of sentences with entities) whose markers come back intact.

    \b
    Examples:
      augment score-mt mt-en-yo ntrex128/newstest2019-src.eng.txt --reference ntrex128/newstest2019-ref.yor.txt \\
          --src en --tgt yo
      augment score-mt mt-yo-en menyo20k/test.tsv --src yo --tgt en --swap
      augment score-mt mt-en-yo conll2003_en/eng.testa scores/ --src en --tgt yo --markers
    """
    from augment.mt.evaluate import score_mt as run

    scores = run(model, source, out, options_from_click(ScoreMTOptions, kwargs))
    if "per_entity" in scores:
        click.echo(scores["describe"])
    else:
        click.echo(f"{scores['sentences']} sentences: chrF {scores['chrf']}, BLEU {scores['bleu']} "
                   f"(copying the source: chrF {scores['copy_chrf']}, BLEU {scores['copy_bleu']}); "
                   f"{scores['distinct_outputs']} distinct outputs")
