"""``augment.core.training.optim.linear_schedule``: transformers' linear warmup/decay, counted from step 1."""

from __future__ import annotations

import pytest
import torch

from augment.core.training.optim import linear_schedule


def _rates(total: int, ratio: float, lr: float = 1e-3) -> list[float]:
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.AdamW([p], lr=lr)
    sched = linear_schedule(opt, total, ratio)
    rates = []
    for _ in range(total):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return rates


@pytest.mark.parametrize("total, ratio", [(10, 0.0), (10, 0.1), (40, 0.25), (7, 0.5)])
def test_ner_schedule_warms_up_then_decays_without_a_zero_step(total, ratio):
    lr, warmup = 1e-3, int(total * ratio)
    rates = _rates(total, ratio, lr)
    assert rates[0] == pytest.approx(lr / (warmup + 1))  # the first step trains
    assert rates[warmup] == pytest.approx(lr)  # the peak ends the warmup
    assert all(a < b for a, b in zip(rates[: warmup + 1], rates[1 : warmup + 1]))
    assert all(a > b for a, b in zip(rates[warmup:], rates[warmup + 1 :]))
    assert rates[-1] == pytest.approx(lr / max(1, total - warmup))  # one step before 0
