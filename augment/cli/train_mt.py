"""``augment train-mt``: fine-tune or train a translation model, optionally marker-aware."""

from __future__ import annotations

import click

from augment.core.options import click_options, options_from_click
from augment.mt.train import TrainMTOptions


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("pairs", nargs=-1)
@click.argument("out")
@click_options(TrainMTOptions)
def train_mt(pairs: tuple[str, ...], out: str, **kwargs) -> None:
    """Train a translation model on PAIRS (TSV, 'src ||| tgt' or translation JSONL; any number,
    none with --tagged-src/--tagged-tgt) into OUT.

    With --markers, pairs whose id has a span record get the entity markers of
    `augment translate --method markers` on both sides (EasyProject); --tagged-src/--tagged-tgt
    add pairs of tagged corpora (sentence i translates sentence i), marked from both sides' tags.
    So the model learns to carry the markers. OUT loads in `augment translate --model OUT` (either backend). A killed run resumes from
    its last checkpoint (OUT.ckpt) when started again with the same arguments.

    \b
    Examples:
      augment train-mt menyo/train.tsv mt-en-yo --src en --tgt yo --model Helsinki-NLP/opus-mt-en-yo
      augment train-mt menyo/train.tsv mt-en-yo --src en --tgt yo --scratch --epochs 10
      augment train-mt menyo/train.tsv mt-en-yo-m --src en --tgt yo --markers menyo.projected.jsonl
      augment train-mt menyo/train.tsv mt-en-yo --src en --tgt yo --scratch --tagged-src en.conll
          --tagged-tgt yor.tprojection.conll --exclude masakhaner2_yor/test.txt
    """
    from augment.mt.train import train_mt as run

    summary = run(list(pairs), out, options_from_click(TrainMTOptions, kwargs))
    line = f"trained {summary['steps']} steps -> {out}"
    dev = summary.get("dev")
    if dev:
        line += f"; held-out chrF {dev['chrf']}, BLEU {dev['bleu']}"
        if dev.get("marker_survival") is not None:
            line += f", markers kept {dev['marker_survival']:.1%}"
    click.echo(line, err=True)
