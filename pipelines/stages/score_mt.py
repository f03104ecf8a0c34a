"""``score_mt``: a translation model on one test set (``augment.mt.evaluate.score_mt``).

The stage form of ``augment score-mt``: chrF/BLEU on parallel text (``source`` + ``reference``
line files such as NTREX-128, or a pair file), or marker survival on a tagged corpus
(``markers: true``). ``label`` names the test set in results tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import options_from_settings, pipeline_settings
from augment.mt.evaluate import ScoreMTOptions
from pipelines.stages.base import Setting, Slot, Stage


class ScoreMT(Stage):
    kind = "score_mt"
    help = "Score a translation model on a test set: chrF/BLEU beside copying the source, or marker survival."
    inputs = {
        "model": Slot("a translation model (e.g. a train_mt stage's model)"),
        "source": Slot("source lines, a pair file, or (markers: true) a tagged corpus"),
        "reference": Slot("reference lines, line-aligned with source", required=False),
    }
    settings = {
        **{k: v for k, v in pipeline_settings(ScoreMTOptions).items() if k != "reference"},
        "label": Setting(str, None, "name of the test set in results tables"),
    }
    outputs = {"scores": "scores.json", "translations": "translations.jsonl"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.mt.evaluate import score_mt

        settings = dict(settings)
        label = settings.pop("label")
        opts = options_from_settings(ScoreMTOptions, settings)
        if inputs.get("reference") is not None:
            opts.reference = str(inputs["reference"])
        scores = score_mt(inputs["model"], inputs["source"], out, opts, show_progress=False)
        return {**{k: v for k, v in scores.items() if k not in ("options", "model", "source")}, "label": label,
                "src": opts.src, "tgt": opts.tgt}


STAGE = ScoreMT
