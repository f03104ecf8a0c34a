"""What a command-line run sets for its whole process; library code never changes process state.

Library functions take per-call arguments or use context managers that restore what they
change (:func:`augment.core.hub.quiet_transformers`, the pipeline's per-job threads). Only
:func:`configure_process`, called once by each CLI entry point (``run_main``), sets process-wide
defaults, and only where the user has not set them already.
"""

from __future__ import annotations

import os

#: Defaults a CLI run wants; an environment variable the user set wins.
CLI_ENV = {
    "TRANSFORMERS_VERBOSITY": "error",  # no load report on every from_pretrained
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",  # nor its weight-loading bars
    "MPLBACKEND": "Agg",  # plots are written to files; never open a window
    "CUBLAS_WORKSPACE_CONFIG": ":4096:8",  # needed by torch's deterministic CUDA kernels
}


def configure_process() -> None:
    """Set the CLI's process-wide defaults: quiet transformers, headless plots, deterministic
    torch kernels when a seed is set (:func:`augment.core.seed.set_seed` reads the flag)."""
    from augment.core import seed

    for key, value in CLI_ENV.items():
        os.environ.setdefault(key, value)
    seed.DETERMINISTIC_KERNELS = True
