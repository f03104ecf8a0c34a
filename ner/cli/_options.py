"""Options ``ner train`` and ``ner distill`` share: how a training run runs, not what it learns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click


def run_options(defaults: Any) -> Callable[[Callable], Callable]:
    """``--seed``, ``--device``, ``--bf16``/``--fp16`` (as ``precision``) and ``--overwrite``,
    with defaults from ``defaults`` (a ``TrainConfig`` or ``DistillConfig``)."""
    options = [
        click.option("--seed", type=int, default=defaults.seed, show_default=True),
        click.option("--device", default=defaults.device, show_default=True, help="auto, cpu or cuda."),
        click.option("--bf16", "precision", flag_value="bf16", help="bfloat16 autocast (CUDA or CPU). Default: "
                     "bf16 where the CPU/GPU runs it natively (AVX-512 BF16, AMX, CUDA), else fp32."),
        click.option("--fp32", "precision", flag_value="fp32", help="No autocast (full fp32)."),
        click.option("--fp16", "precision", flag_value="fp16", help="float16 autocast with loss scaling (CUDA)."),
        click.option("--overwrite", is_flag=True, help="Discard a run with other settings already in --out."),
    ]

    def apply(f: Callable) -> Callable:
        for option in reversed(options):  # click lists options in decorator order, top first
            f = option(f)
        return f

    return apply
