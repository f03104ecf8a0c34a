"""``ner distill``: teacher-student distillation on unlabeled target-language text.

The options are the fields of :class:`ner.distill.run.DistillConfig` (the training-loop ones
shared with ``ner train``); this file only parses them and calls :func:`ner.distill.run.distill`.
"""

from __future__ import annotations

import json

import click

from augment.core.options import click_options, options_from_click
from ner.options import DistillConfig


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click_options(DistillConfig)
def distill(**options):
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
    path = run_distill(options_from_click(DistillConfig, options))
    used = json.loads((path / WEIGHTS_FILE).read_text("utf-8"))
    click.echo("teacher weights (" + used["method"] + "): " + ", ".join(
        f"{t}={w:.4f}" for t, w in zip(used["teachers"], used["weights"], strict=True)))
    summary = json.loads((path / SUMMARY_FILE).read_text("utf-8"))
    best = summary.get("best_dev_f1")
    click.echo(f"student saved to {path}" + (f" (best dev F1 {best:.4f} at epoch {summary['best_epoch']})"
                                              if best is not None else ""))
