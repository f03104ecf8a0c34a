"""``ner distill``: teacher-student distillation on unlabeled target-language text."""

from __future__ import annotations

import json

import click

from ner.cli._options import run_options
from ner.distill.run import DistillConfig

_D = DistillConfig(teachers=[], unlabeled="", out="")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--teacher", "teachers", multiple=True, required=True, metavar="DIR",
              help="A trained NER model (from ner train). Repeat for multi-source distillation.")
@click.option("--unlabeled", required=True, metavar="FILE",
              help="Target-language text: plain text (one sentence per line) or any corpus (tags ignored).")
@click.option("--out", required=True, metavar="DIR", help="Output directory of the student.")
@click.option("--student", default=None, metavar="NAME_OR_PATH",
              help="Encoder the student starts from (default: the first teacher's encoder, new head).")
@click.option("--weights", default=_D.weights, show_default=True,
              help="Teacher weights: uniform, similarity (Wu et al. 2020 language similarity) or w1,w2,...")
@click.option("--source-text", multiple=True, metavar="FILE",
              help="For --weights similarity: text in each teacher's source language, in --teacher order "
                   "(default: each teacher's first --train file).")
@click.option("--similarity-temperature", type=float, default=_D.similarity_temperature, show_default=True,
              help="Temperature of the language-ID softmax for similarity weights.")
@click.option("--loss", type=click.Choice(["mse", "kl"]), default=_D.loss, show_default=True,
              help="mse between probabilities (Wu et al.) or KL with --temperature.")
@click.option("--temperature", type=float, default=_D.temperature, show_default=True, help="KL temperature.")
@click.option("--hard-label-weight", type=float, default=_D.hard_label_weight, show_default=True,
              help="Add this times CE on the teachers' argmax labels.")
@click.option("--dev", metavar="FILE", help="Tagged target-language dev file (best epoch kept).")
@click.option("--repair-tags", is_flag=True, help="Repair invalid IOB sequences in --dev.")
@click.option("--epochs", type=int, default=_D.epochs, show_default=True)
@click.option("--lr", type=float, default=_D.lr, show_default=True)
@click.option("--batch-size", type=int, default=_D.batch_size, show_default=True)
@click.option("--max-length", type=int, default=_D.max_length, show_default=True)
@click.option("--freeze-layers", type=int, default=_D.freeze_layers, show_default=True,
              help="Freeze the student's embeddings and this many bottom layers (Wu et al.: 3).")
@run_options(_D)
def distill(teachers, unlabeled, out, student, weights, source_text, similarity_temperature, loss, temperature,
            hard_label_weight, dev, repair_tags, epochs, lr, batch_size, max_length, freeze_layers, seed, device,
            precision, overwrite):
    """Train a student on unlabeled target text from one or more teachers' soft labels.

    Each teacher's per-word probabilities are computed once (cached in OUT/soft_labels/), combined
    with the teacher weights, and the student minimises MSE (or KL) to them. The weights used are
    printed and saved in OUT/distill_weights.json. Rerun the same command to resume.

    \b
      ner distill --teacher run_en/ --unlabeled yo.txt --out student/
      ner distill --teacher run_en/ --teacher run_ha/ --weights similarity --unlabeled yo.txt --out st/
    """
    from ner.distill.run import WEIGHTS_FILE
    from ner.distill.run import distill as run_distill
    from ner.train import SUMMARY_FILE, env_threads

    env_threads()
    config = DistillConfig(teachers=list(teachers), unlabeled=unlabeled, out=out, student=student, weights=weights,
                           source_text=list(source_text), similarity_temperature=similarity_temperature, loss=loss,
                           temperature=temperature, hard_label_weight=hard_label_weight, dev=dev,
                           repair_tags=repair_tags, epochs=epochs, lr=lr, batch_size=batch_size,
                           max_length=max_length, freeze_layers=freeze_layers, seed=seed, device=device,
                           precision=precision or "auto", overwrite=overwrite)
    path = run_distill(config)
    used = json.loads((path / WEIGHTS_FILE).read_text("utf-8"))
    click.echo("teacher weights (" + used["method"] + "): " + ", ".join(
        f"{t}={w:.4f}" for t, w in zip(used["teachers"], used["weights"], strict=True)))
    summary = json.loads((path / SUMMARY_FILE).read_text("utf-8"))
    best = summary.get("best_dev_f1")
    click.echo(f"student saved to {path}" + (f" (best dev F1 {best:.4f} at epoch {summary['best_epoch']})"
                                              if best is not None else ""))
