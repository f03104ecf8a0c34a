"""The core training loop on a toy model: mid-epoch resume is bit-identical (every reseed mode),
max_steps ends the run, and a log gets a progress line at least every 30 s."""

from __future__ import annotations

import random

import pytest
import torch

from augment.core.training import (
    Checkpoint,
    Hook,
    LoopSettings,
    Progress,
    Trainer,
    linear_schedule,
    make_optimizer,
)


class Toy(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.Dropout(0.3), torch.nn.Linear(16, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


class ToyObjective:
    """MSE on a random half of the batch, drawn from the objective's own generator."""

    def __init__(self):
        self.generator = torch.Generator()

    def start_epoch(self, seed: int, epoch: int) -> None:
        self.generator.manual_seed(seed * 31 + epoch)

    def __call__(self, model, batch):
        x, y = batch
        keep = torch.rand(len(y), generator=self.generator) < 0.5
        err = (model(x) - y) ** 2
        return {"loss": (err * keep).sum() / keep.sum().clamp(min=1), "mse": err.mean()}


class ToyPlan:
    def __init__(self, n: int = 60, batch_size: int = 8, seed: int = 0):
        g = torch.Generator().manual_seed(123)
        self.x, self.y = torch.randn(n, 8, generator=g), torch.randn(n, generator=g)
        self.batch_size, self.seed = batch_size, seed

    def batches(self, epoch):
        order = list(range(len(self.y)))
        random.Random(self.seed * 1000 + epoch).shuffle(order)
        return [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]

    def collate(self, idx, device):
        return self.x[idx].to(device), self.y[idx].to(device)

    def tokens(self, batch):
        return len(batch[1])


class Stop(Exception):
    pass


class StopAt(Hook):
    def __init__(self, step: int):
        self.step = step

    def on_step_end(self, trainer, terms):
        if trainer.step == self.step:
            raise Stop


def _trainer(reseed: str, hooks, epochs: int = 3, max_steps: int = 0) -> Trainer:
    torch.manual_seed(0)
    model = Toy()
    optimizer = make_optimizer(model, 1e-2)
    settings = LoopSettings(epochs=epochs, seed=4, reseed=reseed, grad_accum=2, max_steps=max_steps)
    total = settings.max_steps or epochs * 4
    return Trainer(model, ToyObjective(), optimizer, linear_schedule(optimizer, total, 0.1), ToyPlan(), settings,
                   torch.device("cpu"), hooks=hooks)


@pytest.mark.parametrize("reseed", ["epoch", "step", "none"])
def test_training_loop_mid_epoch_resume_is_bit_identical(reseed, tmp_path):
    """Killed mid-epoch (step 7 of 12, checkpoint at step 6) and resumed: same weights, same
    epoch records and the same step-by-step losses as an uninterrupted run."""
    class Record(Hook):
        def __init__(self):
            self.records, self.losses = [], []

        def on_step_end(self, trainer, terms):
            self.losses.append((trainer.step, terms["loss"]))

        def on_epoch_end(self, trainer, record):
            self.records.append({k: v for k, v in record.items() if k not in ("seconds", "tokens_per_s")})

    whole_log = Record()
    whole = _trainer(reseed, [whole_log])
    whole.fit()

    ckpt = Checkpoint(tmp_path / "ckpt", "fp", every_steps=3)
    first_log = Record()
    with pytest.raises(Stop):
        _trainer(reseed, [first_log, ckpt, StopAt(7)]).fit()
    state = ckpt.load()
    assert (state["epoch"], state["step"], state["progress"]["batch"]) == (1, 6, 4)  # 8 batches an epoch
    second_log = Record()
    resumed = _trainer(reseed, [second_log, ckpt])
    ckpt.restore(resumed, state)
    resumed.fit()
    assert all(torch.equal(a, b) for a, b in zip(whole.model.state_dict().values(),
                                                 resumed.model.state_dict().values(), strict=True))
    assert first_log.records + second_log.records == whole_log.records
    assert first_log.losses[:6] + second_log.losses == whole_log.losses


def test_training_loop_max_steps_ends_a_partial_epoch():
    trainer = _trainer("epoch", [], epochs=5, max_steps=6)
    trainer.fit()
    assert (trainer.step, trainer.epoch) == (6, 2)


def test_training_loop_progress_line_every_30_seconds_in_a_log(monkeypatch, capsys):
    """Not in a terminal, a running epoch prints step, loss and rate once 30 s have passed since
    the last line (here a step takes 11 fake seconds: a line every third step)."""
    import augment.core.training.report as report

    ticks = iter(range(0, 10_000, 11))
    monkeypatch.setattr(report, "clock", lambda: next(ticks))
    monkeypatch.delenv("XNER_NO_PROGRESS", raising=False)  # the test suite's default: quiet
    _trainer("epoch", [Progress("toy epoch")], epochs=1).fit()
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(", loss")[0] for line in lines] == ["toy epoch 1/1: step 3, batch 6/8"]
    assert lines[0].endswith(" batch/s")
