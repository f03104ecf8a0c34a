"""What a command-line run sets for its whole process; library code never changes process state.

Library functions take per-call arguments or use context managers that restore what they
change (:func:`augment.core.hub.quiet_transformers`, the pipeline's per-job threads). Only
:func:`configure_process`, called once by each CLI entry point (``run_main``), sets process-wide
defaults, and only where the user has not set them already.

Threads: a command runs as many compute threads as it has cores (:func:`cpu_budget`: the
``XNER_THREADS`` the user gave, else the CPUs it may run on, capped by its cgroup's CPU quota),
and its OpenMP threads wait passively. OpenMP's default is to spin while waiting; on a machine
another process shares, a spinning thread holds a core its partner needs, and a torch training
step beside two CPU-bound processes took 5-17x as long instead of 2x (benchmarks/shared_cpu.py).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Iterator
from pathlib import Path

#: Defaults a CLI run wants; an environment variable the user set wins.
CLI_ENV = {
    "TRANSFORMERS_VERBOSITY": "error",  # no load report on every from_pretrained
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",  # nor its weight-loading bars
    "MPLBACKEND": "Agg",  # plots are written to files; never open a window
    "CUBLAS_WORKSPACE_CONFIG": ":4096:8",  # needed by torch's deterministic CUDA kernels
    "OMP_WAIT_POLICY": "PASSIVE",  # idle OpenMP threads sleep instead of spinning on a shared core
}
#: Thread-pool sizes of the libraries under torch, numpy, eflomal and tokenizers; all set to
#: :func:`cpu_budget` (a subprocess such as eflomal inherits them).
THREAD_ENVS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "RAYON_NUM_THREADS")
THREADS_ENV = "XNER_THREADS"
_CGROUP_V2 = Path("/sys/fs/cgroup/cpu.max")
_CGROUP_V1 = (Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us"))


def cgroup_cpus(v2: Path = _CGROUP_V2, v1: tuple[Path, Path] = _CGROUP_V1) -> int | None:
    """The cgroup's CPU quota in whole cores, rounded up (``None`` when there is no quota)."""
    try:
        quota, period = v2.read_text().split()[:2]
        if quota == "max":
            return None
        return max(1, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    try:
        quota, period = (int(p.read_text().strip()) for p in v1)
        return max(1, math.ceil(quota / period)) if quota > 0 and period > 0 else None
    except (OSError, ValueError):
        return None


def machine_cpus() -> int:
    """The CPUs this process may run on (its affinity mask), capped by its cgroup's quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cpus = os.cpu_count() or 1
    quota = cgroup_cpus()
    return max(1, min(cpus, quota) if quota else cpus)


def cpu_budget() -> int:
    """The threads this process may use: ``XNER_THREADS`` when set (a pipeline job sets it to its
    ``cpus``), else :func:`machine_cpus`."""
    value = os.environ.get(THREADS_ENV, "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            pass
    return machine_cpus()


def configure_process() -> None:
    """Set the CLI's process-wide defaults: quiet transformers, headless plots, deterministic
    torch kernels when a seed is set (:func:`augment.core.seed.set_seed` reads the flag), passive
    OpenMP waiting, and thread pools sized to :func:`cpu_budget` (``XNER_THREADS`` overrides a
    thread variable the user set; otherwise the user's own value wins)."""
    from augment.core import seed

    for key, value in CLI_ENV.items():
        os.environ.setdefault(key, value)
    threads = str(cpu_budget())
    for key in THREAD_ENVS:
        if os.environ.get(THREADS_ENV):
            os.environ[key] = threads
        else:
            os.environ.setdefault(key, threads)
    seed.DETERMINISTIC_KERNELS = True


def set_torch_threads(n: int) -> None:
    """torch's intra-op threads to ``n``; its inter-op pool too where torch still allows it (once,
    before any inter-op work: later calls keep the pool it has)."""
    import torch

    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    if torch.get_num_interop_threads() != n:
        with contextlib.suppress(RuntimeError):
            torch.set_num_interop_threads(n)


@contextlib.contextmanager
def threads(n: int | None) -> Iterator[int]:
    """``with threads(k):`` runs the block with ``k`` threads (at most :func:`cpu_budget`; ``None``:
    all of it): torch's pool, and ``XNER_THREADS`` plus :data:`THREAD_ENVS` for the subprocesses it
    starts. Everything is restored afterwards; yields the count used."""
    budget = cpu_budget()
    n = max(1, min(n, budget)) if n else budget
    names = (THREADS_ENV, *THREAD_ENVS)
    before = {k: os.environ.get(k) for k in names}
    os.environ.update({k: str(n) for k in names})
    torch = sys.modules.get("torch")  # not imported yet: it reads OMP_NUM_THREADS when it is
    torch_before = torch.get_num_threads() if torch is not None else None
    if torch is not None and torch_before != n:
        torch.set_num_threads(n)
    try:
        yield n
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if torch is not None and torch.get_num_threads() != torch_before:
            torch.set_num_threads(torch_before)
