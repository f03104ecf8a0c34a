"""NER's plugins of the training loop: dev evaluation, best-model saving, metrics log, plot.

Each is one small class with ``on_start`` / ``on_epoch_end`` / ``on_end`` (see
:class:`augment.core.training.Hook`; the epoch summary, progress and the resume checkpoint are the
core's). They run in list order at each epoch end, so the evaluator must come before the
best-model saver and the log, and the checkpoint last: a run killed before the checkpoint of
epoch ``k`` is written redoes epoch ``k`` and rewrites its log line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from augment.core.fileio import atomic_write, split_lines
from augment.core.metrics import entity_scores
from augment.core.training import Hook, Trainer
from ner.data import Example
from ner.labels import LabelMap
from ner.model import save_model
from ner.predict import ids_to_tags, model_outputs

METRICS_FILE = "metrics.jsonl"
PLOT_FILE = "metrics.png"


class Evaluator(Hook):
    """Scores the model on dev data each epoch; adds ``dev_precision/recall/f1`` to the record."""

    def __init__(self, examples: Sequence[Example], gold: Sequence[Sequence[str]], label_map: LabelMap,
                 batch_size: int = 32, prefix: str = "dev", pad_id: int = 0):
        self.examples, self.gold, self.label_map = examples, gold, label_map
        self.batch_size, self.prefix, self.pad_id = batch_size, prefix, pad_id

    def score(self, trainer: Trainer) -> dict:
        ids = model_outputs(trainer.model, self.examples, self.batch_size, trainer.device,
                            desc=self.prefix, pad_id=self.pad_id)
        pred = [ids_to_tags(i, self.label_map.labels, len(g)) for i, g in zip(ids, self.gold, strict=True)]
        return entity_scores(self.gold, pred)

    def on_epoch_end(self, trainer: Trainer, record: dict[str, Any]) -> None:
        scores = self.score(trainer)
        for key in ("precision", "recall", "f1"):
            record[f"{self.prefix}_{key}"] = scores[key]


class BestModel(Hook):
    """Saves the model directory whenever ``metric`` improves (every epoch when it is absent)."""

    def __init__(self, out_dir: str | os.PathLike, tokenizer, label_map: LabelMap, metric: str = "dev_f1"):
        self.out_dir, self.tokenizer, self.label_map, self.metric = Path(out_dir), tokenizer, label_map, metric

    def on_epoch_end(self, trainer: Trainer, record: dict[str, Any]) -> None:
        best = trainer.state.setdefault("best", {"epoch": 0, "score": None})
        score = record.get(self.metric)
        if score is None or best["score"] is None or score > best["score"]:
            trainer.state["best"] = {"epoch": record["epoch"], "score": score}
            save_model(trainer.model, self.tokenizer, self.label_map, self.out_dir)
        record["best_epoch"] = trainer.state["best"]["epoch"]


class MetricsLog(Hook):
    """One JSON line per epoch in ``metrics.jsonl`` (lines past a resumed epoch are dropped)."""

    def __init__(self, out_dir: str | os.PathLike):
        self.path = Path(out_dir) / METRICS_FILE
        self.records: list[dict[str, Any]] = []

    def on_start(self, trainer: Trainer) -> None:
        self.records = [r for r in read_metrics(self.path) if r.get("epoch", 0) <= trainer.epoch] if trainer.epoch else []
        with atomic_write(self.path) as fh:
            fh.writelines(json.dumps(r) + "\n" for r in self.records)

    def on_epoch_end(self, trainer: Trainer, record: dict[str, Any]) -> None:
        self.records.append(dict(record))
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")
            fh.flush()
            os.fsync(fh.fileno())


def read_metrics(path: str | os.PathLike) -> list[dict[str, Any]]:
    path = Path(path)
    if not path.is_file():
        return []
    out = []
    for line in split_lines(path.read_text("utf-8")):
        try:
            out.append(json.loads(line))
        except ValueError:  # a line cut off by a kill
            break
    return out


class Plot(Hook):
    """``metrics.png``: each loss term (left axis) and dev F1 (right axis) per epoch."""

    def __init__(self, out_dir: str | os.PathLike, log: MetricsLog, terms: Sequence[str]):
        self.path, self.log, self.terms = Path(out_dir) / PLOT_FILE, log, list(terms)

    def on_epoch_end(self, trainer: Trainer, record: dict[str, Any]) -> None:
        plot_metrics(self.log.records, self.terms, self.path)


def plot_metrics(records: Sequence[dict[str, Any]], terms: Sequence[str], path: str | os.PathLike) -> None:
    from matplotlib.figure import Figure  # no pyplot: the process's backend is left alone

    fig = Figure(figsize=(6.4, 4.0), dpi=100)
    ax = fig.add_subplot()
    epochs = [r["epoch"] for r in records]
    for term in terms:
        if any(term in r for r in records):
            ax.plot(epochs, [r.get(term, float("nan")) for r in records], marker="o", label=term)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    handles, labels = ax.get_legend_handles_labels()
    if any("dev_f1" in r for r in records):
        ax2 = ax.twinx()
        ax2.plot(epochs, [r.get("dev_f1", float("nan")) for r in records], color="black", linestyle="--",
                 marker="s", label="dev F1")
        ax2.set_ylabel("dev entity F1")
        ax2.set_ylim(0, 1)
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    if handles:
        ax.legend(handles, labels, loc="upper right", fontsize="small")
    fig.tight_layout()
    with atomic_write(path, "wb") as fh:
        fig.savefig(fh, format="png")
