"""The learning curve of ``train_mt``: dev chrF every N steps, weight averaging, early stopping.

:class:`DevCurve` is a hook of the core loop. Every ``every`` optimizer steps it translates the
held-out dev pairs with the model in memory (greedy, the decoding-length rule of ``augment
translate``) and records a point: step, epoch, CPU and wall minutes so far, the mean training
loss since the previous point, dev chrF/BLEU and marker survival. The points live in the
trainer's state, so a resumed run continues the same curve; ``OUT/learning_curve.csv`` and
``train_mt.json`` get them at the end.

It also keeps the weights of the last ``keep`` points (saved in the resume checkpoint): at the
end :meth:`DevCurve.finish` averages them (checkpoint averaging, a cheap gain for small NMT
models) and keeps whichever of the average and the last weights scores better on dev. With
``patience`` the run stops once that many points in a row brought no better chrF.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from augment.core.hub import quietly
from augment.core.training import Hook
from augment.mt.data import MTPair
from augment.translate import markers as mk

SNAPSHOTS = "snapshots"
CURVE_FILE = "learning_curve.csv"
COLUMNS = ("step", "epoch", "cpu_minutes", "wall_minutes", "train_loss", "dev_chrf", "dev_bleu",
           "dev_marker_survival", "distinct_outputs")


class DevCurve(Hook):
    def __init__(self, tok, spec, dev: Sequence[MTPair], *, every: int, keep: int = 1, patience: int = 0,
                 precision: str = "fp32", max_length: int = 128, batch_tokens: int = 4000,
                 open_marker: str = mk.DEFAULT_OPEN, close_marker: str = mk.DEFAULT_CLOSE):
        self.tok, self.spec, self.dev = tok, spec, list(dev)
        self.every, self.keep, self.patience = every, max(1, keep), patience
        self.precision, self.max_length, self.batch_tokens = precision, max_length, batch_tokens
        self.markers = (open_marker, close_marker)
        self.snapshots: list[tuple[int, dict[str, torch.Tensor]]] = []
        self.clock = (0.0, 0.0)  # process CPU and wall time when this process started training
        self.base = (0.0, 0.0)  # CPU and wall seconds of earlier processes (a resumed run)
        self.loss = (0.0, 0)  # sum and count of step losses since the last point

    # -- timing and state -------------------------------------------------------------------
    def _seconds(self) -> tuple[float, float]:
        return (self.base[0] + time.process_time() - self.clock[0], self.base[1] + time.time() - self.clock[1])

    def on_start(self, trainer) -> None:
        st = trainer.state.setdefault("curve", {"points": [], "cpu_seconds": 0.0, "wall_seconds": 0.0,
                                                "loss_sum": 0.0, "loss_n": 0})
        self.base = (st["cpu_seconds"], st["wall_seconds"])
        self.loss = (st["loss_sum"], st["loss_n"])
        self.clock = (time.process_time(), time.time())
        if st.get("stopped_at"):  # stopped early before a kill: do not train on
            trainer.settings.max_steps = st["stopped_at"]

    def on_step_end(self, trainer, terms: dict[str, float]) -> None:
        self.loss = (self.loss[0] + terms.get("nll", terms["loss"]), self.loss[1] + 1)
        st = trainer.state["curve"]
        st["cpu_seconds"], st["wall_seconds"] = self._seconds()
        st["loss_sum"], st["loss_n"] = self.loss
        if self.dev and trainer.step % self.every == 0:
            self.point(trainer)

    # -- points -------------------------------------------------------------------------------
    @quietly  # transformers warns that max_new_tokens wins over the config's max_length: it should
    def translate(self, model, device) -> list[str]:
        """The dev sources translated greedily by ``model`` as it is now."""
        from augment.core.training import autocast
        from augment.translate.batching import max_new_tokens, plan_batches

        srcs = [self.spec.prefix + p.src for p in self.dev]
        ids = self.tok(srcs, truncation=True, max_length=self.max_length)["input_ids"]
        out = [""] * len(srcs)
        was_training = model.training
        model.eval()
        with torch.inference_mode(), autocast(device, self.precision):
            for batch in plan_batches([len(x) for x in ids], self.batch_tokens, None):
                enc = self.tok([srcs[i] for i in batch], return_tensors="pt", padding=True, truncation=True,
                               max_length=self.max_length).to(device)
                gen = model.generate(**enc, num_beams=1, do_sample=False,
                                     max_new_tokens=max_new_tokens(enc["input_ids"].shape[1], self.max_length))
                for i, text in zip(batch, self.tok.batch_decode(gen, skip_special_tokens=True)):
                    out[i] = text
        model.train(was_training)
        return out

    def score(self, model, device) -> dict[str, Any]:
        from augment.mt.score import score_outputs

        outputs = self.translate(model, device)
        scores = score_outputs(self.dev, outputs, *self.markers)
        scores["distinct_outputs"] = len(set(outputs))
        return scores

    def point(self, trainer) -> None:
        from augment.core.progress import summary

        scores = self.score(trainer.model, trainer.device)
        cpu, wall = self._seconds()
        st = trainer.state["curve"]
        point = {"step": trainer.step, "epoch": round(trainer.epoch + trainer.progress.batch
                                                      / max(trainer.progress.n_batches, 1), 3),
                 "cpu_minutes": round(cpu / 60, 3), "wall_minutes": round(wall / 60, 3),
                 "train_loss": round(self.loss[0] / max(self.loss[1], 1), 4), "dev_chrf": scores["chrf"],
                 "dev_bleu": scores["bleu"], "dev_marker_survival": scores["marker_survival"],
                 "distinct_outputs": scores["distinct_outputs"]}
        st["points"].append(point)
        self.loss = (0.0, 0)
        st["loss_sum"], st["loss_n"] = self.loss
        self.snapshots = (self.snapshots + [(trainer.step, {k: v.detach().to("cpu", copy=True)
                                                            for k, v in trainer.model.state_dict().items()})])[-self.keep:]
        summary(f"train-mt dev at step {trainer.step}: chrF {point['dev_chrf']}, BLEU {point['dev_bleu']}, "
                f"markers {point['dev_marker_survival']}, {point['cpu_minutes']} CPU min")
        best = max(p["dev_chrf"] for p in st["points"])
        # points since the first that reached the best chrF (a tie is no improvement)
        since = len(st["points"]) - 1 - min(i for i, p in enumerate(st["points"]) if p["dev_chrf"] == best)
        if self.patience and since >= self.patience:
            st["stopped_at"] = trainer.step
            trainer.settings.max_steps = trainer.step  # the loop ends after this step
            summary(f"train-mt: no better dev chrF in {since} evaluations; stopping at step {trainer.step}")

    # -- snapshots in the checkpoint ----------------------------------------------------------
    def save_snapshots(self, folder: Path) -> None:
        from safetensors.torch import save_file

        if not self.snapshots or self.keep < 2:
            return
        (folder / SNAPSHOTS).mkdir()
        for step, weights in self.snapshots:
            save_file({k: v.contiguous() for k, v in weights.items()}, str(folder / SNAPSHOTS / f"{step}.safetensors"))

    def load_snapshots(self, folder: Path) -> None:
        from safetensors.torch import load_file

        files = sorted((folder / SNAPSHOTS).glob("*.safetensors"), key=lambda f: int(f.stem))
        self.snapshots = [(int(f.stem), load_file(str(f))) for f in files][-self.keep:]

    # -- the end ------------------------------------------------------------------------------
    def finish(self, trainer) -> dict[str, Any]:
        """Average the kept snapshots into the model when that scores better on dev than the last
        weights; returns what was done (``{"averaged": [steps], "chrf_last", "chrf_average",
        "kept": "average" | "last"}``)."""
        if len(self.snapshots) < 2 or not self.dev:
            return {"kept": "last"}
        model = trainer.model
        last = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
        last_chrf = self.score(model, trainer.device)["chrf"]
        average = {k: (torch.stack([w[k].float() for _, w in self.snapshots]).mean(0).to(v.dtype)
                       if v.is_floating_point() else v) for k, v in last.items()}
        model.load_state_dict(average)
        avg_chrf = self.score(model, trainer.device)["chrf"]
        kept = "average" if avg_chrf >= last_chrf else "last"
        if kept == "last":
            model.load_state_dict(last)
        return {"averaged": [s for s, _ in self.snapshots], "chrf_last": last_chrf, "chrf_average": avg_chrf,
                "kept": kept}


def write_curve(points: Sequence[dict[str, Any]], path: Path) -> None:
    """The curve's points as CSV (:data:`COLUMNS`)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(points)
