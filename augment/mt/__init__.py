"""Fine-tune or train a translation model on parallel text, optionally with entity markers on
both sides (EasyProject's recipe) so that it learns to carry ``[...]`` across. See docs/mt.md."""

from augment.mt.train import TrainMTOptions, train_mt

__all__ = ["TrainMTOptions", "train_mt"]
