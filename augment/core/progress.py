"""Progress bars on stderr (tqdm); silent when stderr is not a terminal or XNER_NO_PROGRESS is set."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any


def progress(iterable: Iterable | None = None, *, total: int | None = None, desc: str = "", unit: str = "it", **kw: Any):
    from tqdm.auto import tqdm

    disable = True if os.environ.get("XNER_NO_PROGRESS") else None
    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=disable, dynamic_ncols=True, **kw)
