"""Models named by hub id or local path, loaded the same way everywhere (translation, alignment, NER).

One rule tells a local directory from a hub name, so a mistyped path fails at once with one line
instead of a hub lookup error; transformers' load reports are silenced; a load failure becomes one
:class:`~augment.core.errors.ModelError` line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from augment.core.errors import ModelError

_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[\w.-]+)?")


def quiet_transformers() -> None:
    """Silence transformers' load reports (library code must not configure the user's logging)."""
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()


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


def load_error(what: str, model: str | os.PathLike, err: BaseException) -> ModelError:
    """``cannot load <what> '<model>': <first line of err>`` (transformers' messages run long)."""
    text = str(err).strip()
    first = text.splitlines()[0] if text else type(err).__name__
    return ModelError(f"cannot load {what} '{model}': {first}")
