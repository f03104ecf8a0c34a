"""The training-loop settings ``train`` and ``distill`` share, with the same names and defaults as
the fields of ``ner.train.TrainConfig`` and ``ner.distill.DistillConfig`` they are passed to."""

from __future__ import annotations

from pipelines.stages.base import Setting


def loop_settings(freeze_help: str, repair_help: str) -> dict[str, Setting]:
    """Optimiser, batching, model-size and run settings, in the order ``docs/pipelines.md`` lists
    them; ``freeze_help`` and ``repair_help`` say what freezing and tag repair mean for the stage."""
    return {
        "epochs": Setting(int, 3, "training epochs"),
        "lr": Setting(float, 5e-5, "peak learning rate"),
        "weight_decay": Setting(float, 0.01, "AdamW weight decay"),
        "warmup": Setting(float, 0.1, "fraction of warmup steps"),
        "batch_size": Setting(int, 16, "sentences per batch"),
        "grad_accum": Setting(int, 1, "gradient accumulation steps"),
        "clip": Setting(float, 1.0, "gradient-norm clipping (0 = off)"),
        "max_length": Setting(int, 128, "subwords per sentence"),
        "dropout": Setting(float, 0.1, "dropout"),
        "freeze_layers": Setting(int, 0, freeze_help),
        "repair_tags": Setting(bool, True, repair_help),
        "seed": Setting(int, 42, "random seed (usually ${seed})"),
        "device": Setting(str, "auto", "auto, cpu or cuda"),
        "precision": Setting(str, "auto", "auto (bf16 where native), fp32, bf16 or fp16",
                             ("auto", "fp32", "bf16", "fp16")),
    }
