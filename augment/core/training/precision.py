"""Mixed precision: which autocast a device supports, and the context that applies it.

``auto`` means bfloat16 autocast where the hardware runs bf16 matmuls natively (CUDA with bf16,
or a CPU with AVX-512 BF16 or AMX tiles, where a tiny-BERT training step measured 1.4x faster,
see docs/mt.md) and fp32 elsewhere (bf16 emulated on an older CPU is slower than fp32).
``fp16`` is CUDA only (it needs loss scaling, which the training loop does with ``GradScaler``).
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any

import torch

PRECISIONS = ("auto", "fp32", "bf16", "fp16")


@functools.cache
def cpu_bf16_supported() -> bool:
    """True when the CPU has native bf16 matmul instructions (AVX-512 BF16 or AMX)."""
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    for name in checks:
        fn = getattr(torch.cpu, name, None)
        if fn is not None:
            try:
                if fn():
                    return True
            except RuntimeError:  # pragma: no cover - old torch builds
                continue
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            flags = fh.read()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def resolve_precision(precision: str, device: torch.device | str) -> str:
    """The precision actually used: ``auto`` becomes bf16 where it is native, else fp32;
    fp16 on a CPU falls back to fp32 (CPU fp16 autocast is slow and needs no scaler)."""
    kind = torch.device(device).type
    if precision == "auto":
        if kind == "cuda":
            return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
        return "bf16" if kind == "cpu" and cpu_bf16_supported() else "fp32"
    if precision == "fp16" and kind != "cuda":
        return "fp32"
    return precision


def autocast(device: torch.device | str, precision: str) -> Any:
    """An autocast context for ``precision`` on ``device`` (a no-op for fp32)."""
    kind = torch.device(device).type
    resolved = resolve_precision(precision, device)
    if resolved == "bf16" and kind in ("cpu", "cuda"):
        return torch.autocast(kind, dtype=torch.bfloat16)
    if resolved == "fp16" and kind == "cuda":
        return torch.autocast("cuda", dtype=torch.float16)
    return contextlib.nullcontext()
