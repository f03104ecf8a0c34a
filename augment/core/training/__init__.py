"""The one training loop and its parts, shared by NER training, distillation, MLM pretraining
and MT training: the loop and its hooks (:mod:`.loop`), mixed precision (:mod:`.precision`),
optimizer and schedule (:mod:`.optim`), verified checkpoints (:mod:`.checkpoint`), progress
(:mod:`.report`) and the locked, failure-clean output folder (:mod:`.output`)."""

from augment.core.training.checkpoint import Checkpoint, discard, read_sealed, seal, unseal
from augment.core.training.loop import (
           BatchPlan,
           Hook,
           LoopSettings,
    ModelLoss,
           Objective,
           Trainer,
           steps_per_epoch,
           total_steps,
)
from augment.core.training.optim import linear_schedule, make_optimizer
from augment.core.training.output import training_output
from augment.core.training.precision import PRECISIONS, autocast, resolve_precision
from augment.core.training.report import EpochSummary, Progress

__all__ = ["PRECISIONS", "BatchPlan", "Checkpoint", "EpochSummary", "Hook", "LoopSettings", "ModelLoss", "Objective", "Progress",
           "Trainer", "autocast", "discard", "linear_schedule", "make_optimizer", "read_sealed", "resolve_precision",
           "seal", "steps_per_epoch", "total_steps", "training_output", "unseal"]
