"""``augment train-mt``: fine-tune or train a translation model, optionally marker-aware."""

from __future__ import annotations

import click

from augment.mt.train import TrainMTOptions

_D = TrainMTOptions()


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("pairs")
@click.argument("out")
@click.option("--src", required=True, help="Source language (ISO 639-1 or 639-3).")
@click.option("--tgt", required=True, help="Target language (ISO 639-1 or 639-3).")
@click.option("--model", default=_D.model, help="Hub name or local path of a Marian/NLLB/M2M100 model to "
                                                "fine-tune (default: the pair's default); ignored with --scratch.")
@click.option("--scratch", is_flag=True, help="Train a new Marian model from scratch (vocabulary from the pairs).")
@click.option("--vocab-size", type=int, default=_D.vocab_size, show_default=True, help="--scratch: vocabulary size.")
@click.option("--d-model", type=int, default=_D.d_model, show_default=True, help="--scratch: hidden size.")
@click.option("--layers", type=int, default=_D.layers, show_default=True, help="--scratch: layers per side.")
@click.option("--heads", type=int, default=_D.heads, show_default=True, help="--scratch: attention heads.")
@click.option("--ffn-dim", type=int, default=_D.ffn_dim, show_default=True, help="--scratch: feed-forward size.")
@click.option("--markers", "markers", default=None, metavar="SPANS",
              help="JSONL of records with source and target tags (e.g. project-labels output), matched to "
                   "the pairs by id: those pairs get entity markers on both sides.")
@click.option("--open-marker", default=_D.open_marker, show_default=True, help="String that opens an entity.")
@click.option("--close-marker", default=_D.close_marker, show_default=True, help="String that closes an entity.")
@click.option("--format", type=click.Choice(["jsonl", "text", "tsv"]), default=None,
              help="Pair file format (default: sniffed).")
@click.option("--epochs", type=int, default=_D.epochs, show_default=True)
@click.option("--max-steps", type=int, default=_D.max_steps, show_default=True,
              help="Stop after this many optimizer steps (0: no limit).")
@click.option("--batch-size", type=int, default=_D.batch_size, show_default=True)
@click.option("--lr", type=float, default=_D.lr, show_default=True,
              help="Peak learning rate (0: 5e-5 to fine-tune, 1e-3 from scratch).")
@click.option("--warmup-ratio", type=float, default=_D.warmup_ratio, show_default=True)
@click.option("--weight-decay", type=float, default=_D.weight_decay, show_default=True)
@click.option("--max-length", type=int, default=_D.max_length, show_default=True, help="Subwords per side.")
@click.option("--dev-size", type=int, default=_D.dev_size, show_default=True,
              help="Held-out pairs scored at the end (chrF, BLEU, marker survival).")
@click.option("--save-steps", type=int, default=_D.save_steps, show_default=True,
              help="Checkpoint every N steps (0: after every epoch).")
@click.option("--precision", type=click.Choice(["auto", "fp32", "bf16"]), default=_D.precision, show_default=True,
              help="auto: bf16 autocast where the CPU/GPU has native bf16.")
@click.option("--num-beams", type=int, default=_D.num_beams, show_default=True, help="Beams when scoring.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default=_D.device, show_default=True)
@click.option("--seed", type=int, default=_D.seed, show_default=True)
@click.option("--overwrite", is_flag=True, help="Replace a run with other settings in OUT.")
def train_mt(pairs: str, out: str, **kwargs) -> None:
    """Train a translation model on PAIRS (TSV, 'src ||| tgt' or translation JSONL) into OUT.

    With --markers, pairs whose id has a span record get the entity markers of
    `augment translate --method markers` on both sides (EasyProject), so the model learns to carry
    them. OUT loads in `augment translate --model OUT` (either backend). A killed run resumes from
    its last checkpoint (OUT.ckpt) when started again with the same arguments.

    \b
    Examples:
      augment train-mt menyo/train.tsv mt-en-yo --src en --tgt yo --model Helsinki-NLP/opus-mt-en-yo
      augment train-mt menyo/train.tsv mt-en-yo --src en --tgt yo --scratch --epochs 10
      augment train-mt menyo/train.tsv mt-en-yo-m --src en --tgt yo --markers menyo.projected.jsonl
    """
    from augment.mt.train import train_mt as run

    summary = run(pairs, out, TrainMTOptions(**kwargs))
    line = f"trained {summary['steps']} steps -> {out}"
    dev = summary.get("dev")
    if dev:
        line += f"; held-out chrF {dev['chrf']}, BLEU {dev['bleu']}"
        if dev.get("marker_survival") is not None:
            line += f", markers kept {dev['marker_survival']:.1%}"
    click.echo(line, err=True)
