"""Models named by hub id or local path, loaded the same way everywhere (translation, alignment, NER).

One rule tells a local directory from a hub name, so a mistyped path fails at once with one line
instead of a hub lookup error; transformers' load reports are silenced; a load failure becomes one
:class:`~augment.core.errors.ModelError` line.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from augment.core.errors import ModelError

_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[\w.-]+)?")


@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """``with quiet_transformers():`` silences transformers' load reports inside the block and
    restores the caller's verbosity after it (a bare call changes nothing: a CLI run is quiet
    through ``TRANSFORMERS_VERBOSITY``, set by :func:`augment.core.process.configure_process`)."""
    from transformers.utils import logging as hf_logging

    before, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(before)
        if bars:
            hf_logging.enable_progress_bar()


def model_location(model: str | os.PathLike) -> str:
    """A local directory as an absolute path, anything else as a hub name; a bad path is an error."""
    model = str(model)
    p = Path(model).expanduser()
    if p.is_dir():
        return str(p.resolve())
    if p.exists() or not _HUB_ID.fullmatch(model):
        raise ModelError(f"model directory not found: {model}")
    return model


def load_location(what: str, model: str | os.PathLike) -> str:
    """:func:`model_location` for loading ``what`` (encoder, tokenizer): a bad path says
    ``cannot load <what> '<model>': no such model directory``."""
    try:
        return model_location(model)
    except ModelError:
        raise ModelError(f"cannot load {what} '{model}': no such model directory") from None


def load_errors() -> tuple[type[BaseException], ...]:
    """What a failed model load raises for a bad file: a missing or unreadable one, a damaged
    safetensors file, a pickle checkpoint that ``weights_only`` loading refuses, shapes that do
    not fit. Each is the user's file, not a bug: one :func:`load_error` line."""
    import pickle

    errors: list[type[BaseException]] = [OSError, ValueError, KeyError, RuntimeError, EOFError,
                                         pickle.UnpicklingError]
    try:
        from safetensors import SafetensorError

        errors.append(SafetensorError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def load_error(what: str, model: str | os.PathLike, err: BaseException) -> ModelError:
    """``cannot load <what> '<model>': <first line of err>`` (transformers' messages run long)."""
    text = str(err).strip()
    first = text.splitlines()[0] if text else type(err).__name__
    return ModelError(f"cannot load {what} '{model}': {first}")
