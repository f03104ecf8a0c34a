"""Teacher-student distillation on unlabeled target text (Wu et al. 2020; ConCNER's last step)."""

from ner.distill.run import DistillConfig, distill

__all__ = ["DistillConfig", "distill"]
