"""Translation backends behind one small interface, chosen by name.

A backend turns a batch of source strings into target strings for one :class:`ModelSpec`. Each
module here that defines ``BACKEND`` (the class, with a ``name``) is one
(:class:`augment.core.registry.Registry`): adding one is adding a module.
"""

from __future__ import annotations

from typing import Any, Protocol

from augment.core.errors import ConfigError
from augment.core.options import DEVICES
from augment.core.registry import Registry
from augment.translate.batching import NUM_BEAMS

#: The backends, by name (``ctranslate2``, ``transformers``).
PARTS = Registry(__name__, "BACKEND", "backend")
DTYPES = ("auto", "fp32", "fp16", "bf16", "int8")


class Translator(Protocol):
    """What the stage needs from a backend."""

    name: str

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source subwords per text (for length-sorted batching)."""

    def translate(self, texts: list[str], *, num_beams: int = NUM_BEAMS) -> list[str]:
        """Target text for each source text, in order (special tokens removed)."""

    def info(self) -> dict[str, Any]:
        """Model, backend, codes, device and dtype, for the output records."""


def load_backend(name: str, spec, tokenizer, *, device: str = "auto", dtype: str = "auto",
                 cache_dir: str | None = None) -> Translator:
    """Instantiate the backend called ``name`` for a resolved model."""
    cls = PARTS.get(name)
    if device not in DEVICES:
        raise ConfigError(f"unknown device '{device}'; known: {', '.join(DEVICES)}")
    if dtype not in DTYPES:
        raise ConfigError(f"unknown dtype '{dtype}'; known: {', '.join(DTYPES)}")
    return cls(spec, tokenizer, device=device, dtype=dtype, cache_dir=cache_dir)
