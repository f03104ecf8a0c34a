"""``ner train``: ConCNER training (CE + label- and translation-contrastive losses)."""

from __future__ import annotations

import json

import click

from ner.cli._options import run_options
from ner.train import TrainConfig

_D = TrainConfig(train=[], out="")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--train", "train_files", multiple=True, metavar="FILE",
              help="Tagged source-language corpus (CoNLL, JSONL, Parquet, hf:...). Repeatable.")
@click.option("--augmented", multiple=True, metavar="FILE",
              help="Projection output (JSONL): target sentences with their source in 'src'. Each "
                   "(source, target) pair is a positive pair of the translation loss. Repeatable.")
@click.option("--dev", metavar="FILE", help="Tagged dev file, scored each epoch; the best model is kept.")
@click.option("--model", default=_D.model, show_default=True, help="Encoder: hub name or local path.")
@click.option("--out", required=True, metavar="DIR", help="Output directory (model, logs, plot, checkpoint).")
@click.option("--repair-tags", is_flag=True, help="Repair invalid IOB sequences (I-X opening an entity) when reading.")
@click.option("--lambda-label", type=float, default=_D.lambda_label, show_default=True,
              help="Weight of the label-contrastive (SupCon) loss; 0 turns it off.")
@click.option("--lambda-translation", type=float, default=_D.lambda_translation, show_default=True,
              help="Weight of the translation-contrastive (InfoNCE) loss; 0 turns it off.")
@click.option("--temperature", type=float, default=_D.temperature, show_default=True,
              help="Temperature of both contrastive losses.")
@click.option("--o-keep", type=float, default=_D.o_keep, show_default=True,
              help="Fraction of O tokens kept in the label-contrastive loss (O dominates).")
@click.option("--projection-dim", type=int, default=_D.projection_dim, show_default=True,
              help="Output size of the projection head for the label loss (0: use hidden states).")
@click.option("--epochs", type=int, default=_D.epochs, show_default=True)
@click.option("--lr", type=float, default=_D.lr, show_default=True, help="Peak AdamW learning rate.")
@click.option("--warmup", type=float, default=_D.warmup, show_default=True, help="Fraction of steps of linear warmup.")
@click.option("--batch-size", type=int, default=_D.batch_size, show_default=True,
              help="Sentences per batch (a translation pair counts as two).")
@click.option("--grad-accum", type=int, default=_D.grad_accum, show_default=True, help="Batches per optimizer step.")
@click.option("--max-length", type=int, default=_D.max_length, show_default=True,
              help="Subwords per sentence; words beyond it are not trained on.")
@click.option("--freeze-layers", type=int, default=_D.freeze_layers, show_default=True,
              help="Freeze the embeddings and this many bottom encoder layers.")
@run_options(_D)
def train(train_files, augmented, dev, model, out, repair_tags, lambda_label, lambda_translation, temperature,
          o_keep, projection_dim, epochs, lr, warmup, batch_size, grad_accum, max_length, freeze_layers, seed,
          device, precision, overwrite):
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
    config = TrainConfig(train=list(train_files), out=out, model=model, augmented=list(augmented), dev=dev,
                         repair_tags=repair_tags, lambda_label=lambda_label, lambda_translation=lambda_translation,
                         temperature=temperature, o_keep=o_keep, projection_dim=projection_dim, epochs=epochs,
                         lr=lr, warmup=warmup, batch_size=batch_size, grad_accum=grad_accum, max_length=max_length,
                         freeze_layers=freeze_layers, seed=seed, device=device, precision=precision or "auto",
                         overwrite=overwrite)
    path = train_model(config)
    summary = json.loads((path / SUMMARY_FILE).read_text("utf-8"))
    best = summary.get("best_dev_f1")
    click.echo(f"model saved to {path}" + (f" (best dev F1 {best:.4f} at epoch {summary['best_epoch']})"
                                            if best is not None else ""))
