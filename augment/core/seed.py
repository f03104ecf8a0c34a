"""The one place that seeds every random number generator."""

from __future__ import annotations

import random

#: Set by the CLI entry point (:func:`augment.core.process.configure_process`): a command-line run
#: asks torch for deterministic kernels; library callers decide for themselves.
DETERMINISTIC_KERNELS = False


def set_seed(seed: int, deterministic: bool = True) -> None:
    """Seed Python, NumPy and torch (CPU and CUDA). Deterministic kernels (a process-wide torch
    switch) are turned on only in a CLI run (``DETERMINISTIC_KERNELS``) and with ``deterministic``."""
    random.seed(seed)
    try:
        import numpy as np

        np.random.seed(seed % (2**32))
    except ImportError:  # pragma: no cover
        pass
    try:
        import torch
    except ImportError:  # pragma: no cover
        return
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    if deterministic and DETERMINISTIC_KERNELS:
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cudnn.benchmark = False
