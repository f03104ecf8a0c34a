"""``dev-choice``: pick one of several systems by its entity F1 on dev and report its test predictions.

Which route is best differs by language: T-Projection finds the English-only model best for
Swahili and translate-train best for Yoruba. A user who cannot look at test chooses on dev; this
stage makes that choice part of the experiment instead of a person's: given each candidate's
predictions on dev and on the evaluation split (same order), it scores every candidate on dev,
keeps the best (the first of equals) and writes that candidate's evaluation predictions, scored
like an evaluate stage (its summary has ``metrics``, so it is a row of the results table), with the
choice and every candidate's dev F1 in the summary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages.base import Setting, Slot, Stage


class DevChoice(Stage):
    kind = "dev-choice"
    version = "1"
    help = "Choose one of several systems by dev F1; write and score its predictions on the evaluation split."
    inputs = {
        "dev": Slot("each candidate's predictions on the dev sentences (predict / ensemble outputs)", many=True),
        "eval": Slot("each candidate's predictions on the evaluation sentences, same order as 'dev'", many=True),
        "dev_gold": Slot("the labelled dev sentences"),
        "eval_gold": Slot("the labelled evaluation sentences (scored; never used to choose)"),
    }
    settings = {
        "names": Setting(list, None, "one name per candidate, for the summary (default: c1, c2, ...)"),
        "lang": Setting(str, None, "language of the data, for the results table"),
    }
    outputs = {"predictions": "predictions.jsonl"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import read_corpus, write_corpus
        from augment.core.errors import ConfigError
        from ner.ensemble import prediction_summary, score_against

        dev, test = inputs["dev"], inputs["eval"]
        names = settings["names"] or [f"c{i + 1}" for i in range(len(dev))]
        if len(dev) != len(test) or len(names) != len(dev) or len(dev) < 2:
            raise ConfigError(f"dev-choice needs two or more candidates with one dev file, one evaluation file and "
                              f"one name each; got {len(dev)} dev, {len(test)} evaluation files, {len(names)} names")
        dev_gold = read_corpus(inputs["dev_gold"], repair=True, to_scheme="iob2")
        read = lambda p: read_corpus(p, repair=True, to_scheme="iob2")  # noqa: E731
        dev_f1 = {n: score_against(dev_gold, read(p), str(inputs["dev_gold"]))["f1"] for n, p in zip(names, dev, strict=True)}
        best = max(range(len(names)), key=lambda i: (dev_f1[names[i]], -i))
        chosen = [s for s in read(test[best])]
        for s in chosen:
            s.meta = {k: v for k, v in s.meta.items() if k not in ("probs", "labels")}
        write_corpus(chosen, out / "predictions.jsonl", "jsonl")
        gold = read_corpus(inputs["eval_gold"], repair=True, to_scheme="iob2")
        summary = prediction_summary(gold, chosen, out, settings["lang"], scored=True)
        summary.update({"choice": names[best], "dev_f1": {n: round(f, 6) for n, f in dev_f1.items()}})
        return summary


STAGE = DevChoice
