"""How long work reports itself, decided in one place.

In a terminal (stderr is a tty) :func:`progress` is a tqdm bar with rate and ETA (the trainer adds
the running loss); elsewhere (logs, pipes, CI) there is no bar, and :func:`summary` prints one
line per finished unit (an epoch: loss, dev F1). ``--quiet`` (``XNER_QUIET``) or
``XNER_NO_PROGRESS`` silences both. Errors and results are not progress and always print.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any

QUIET_ENVS = ("XNER_QUIET", "XNER_NO_PROGRESS")


def quiet() -> bool:
    """True when ``--quiet`` was given (or ``XNER_QUIET`` / ``XNER_NO_PROGRESS`` is set)."""
    return any(os.environ.get(name) for name in QUIET_ENVS)


def interactive() -> bool:
    """True when stderr is a terminal (bars are drawn only there)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


def mode() -> str:
    """``"bar"`` (terminal), ``"lines"`` (not a terminal) or ``"quiet"``."""
    if quiet():
        return "quiet"
    return "bar" if interactive() else "lines"


def progress(iterable: Iterable | None = None, *, total: int | None = None, desc: str = "", unit: str = "it", **kw: Any):
    """A tqdm bar on stderr with rate and ETA; disabled (a plain pass-through that still supports
    ``update``, ``set_postfix`` and ``close``) unless :func:`mode` is ``"bar"``."""
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=mode() != "bar", dynamic_ncols=True,
                file=sys.stderr, **kw)


def summary(line: str) -> None:
    """One line on stderr for a finished unit of long work (an epoch, a stage), unless quiet; in
    a terminal it goes above any bar still drawn."""
    m = mode()
    if m == "quiet":
        return
    if m == "bar":
        from tqdm.auto import tqdm

        tqdm.write(line, file=sys.stderr)
    else:
        print(line, file=sys.stderr, flush=True)


def epoch_line(record: dict[str, Any], epochs: int | None = None, prefix: str = "epoch") -> str:
    """``epoch 2/3: loss 0.4123, ce 0.3012, dev F1 0.5120, 12.3 s`` from a trainer record."""
    head = f"{prefix} {record.get('epoch')}" + (f"/{epochs}" if epochs else "")
    parts = []
    skip = {"epoch", "step", "lr", "seconds", "tokens_per_s", "best_epoch"}
    for k, v in record.items():
        if k in skip or not isinstance(v, (int, float)) or isinstance(v, bool):
            continue
        if k.endswith(("_precision", "_recall")):
            continue
        name = k[:-3] + " F1" if k.endswith("_f1") else k
        parts.append(f"{name} {v:.4f}")
    if "seconds" in record:
        parts.append(f"{record['seconds']:.1f} s")
    return head + ": " + ", ".join(parts)
