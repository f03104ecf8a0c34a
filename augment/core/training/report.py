"""How a training run reports itself: a bar in a terminal, lines in a log.

In a terminal (:func:`augment.core.progress.mode` is ``bar``) each epoch draws a tqdm bar with
the running loss; elsewhere (a log, a pipe, a pipeline stage) a line with the step, the running
loss and the rate is printed at least every ``interval`` seconds, so a long epoch is never silent.
Each finished epoch prints one summary line (loss terms, dev F1, seconds) in both modes.
"""

from __future__ import annotations

import time
from typing import Any

from augment.core.progress import epoch_line, mode, progress, summary
from augment.core.training.loop import Hook, Trainer

#: Seconds between two progress lines in a log.
LINE_INTERVAL = 30.0
clock = time.monotonic  # the time source of the lines (a test replaces it)


class Progress(Hook):
    """The bar (``bar=False``: none) or the periodic lines of the running epoch."""

    def __init__(self, prefix: str = "epoch", bar: bool = True, interval: float | None = None):
        self.prefix, self.show_bar = prefix, bar
        self.interval = LINE_INTERVAL if interval is None else interval
        self.bar: Any = None
        self.last = 0.0
        self.start = (0, 0.0)  # (batch, time) when this epoch (or its resumed part) began

    def _head(self, trainer: Trainer) -> str:
        return f"{self.prefix} {trainer.epoch + 1}/{trainer.settings.epochs}"

    def on_epoch_start(self, trainer: Trainer) -> None:
        p = trainer.progress
        self.last = clock()
        self.start = (p.batch, self.last)
        if self.show_bar and mode() == "bar":
            self.bar = progress(total=p.n_batches, desc=self._head(trainer), unit="batch", initial=p.batch)

    def on_step_end(self, trainer: Trainer, terms: dict[str, float]) -> None:
        p = trainer.progress
        if self.bar is not None:
            self.bar.update(p.batch - self.bar.n)
            self.bar.set_postfix(loss=f"{p.mean():.4f}", refresh=False)
            return
        now = clock()
        if mode() != "lines" or now - self.last < self.interval:
            return
        self.last = now
        rate = (p.batch - self.start[0]) / max(now - self.start[1], 1e-9)
        summary(f"{self._head(trainer)}: step {trainer.step}, batch {p.batch}/{p.n_batches}, "
                f"loss {p.mean():.4f}, {rate:.2f} batch/s")

    def on_epoch_end(self, trainer: Trainer, record: dict[str, Any]) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class EpochSummary(Hook):
    """One line per epoch (loss terms, dev F1, seconds) through :func:`augment.core.progress.summary`:
    printed when not in a terminal, above the bar in one, not at all with ``--quiet``."""

    def __init__(self, prefix: str = "epoch"):
        self.prefix = prefix

    def on_epoch_end(self, trainer: Trainer, record: dict[str, Any]) -> None:
        summary(epoch_line(record, trainer.settings.epochs, self.prefix))
