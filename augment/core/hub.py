"""Models named by hub id or local path, loaded the same way everywhere (translation, alignment, NER).

One rule tells a local directory from a hub name, so a mistyped path fails at once with one line
instead of a hub lookup error; transformers' load reports are silenced; a load failure becomes one
:class:`~augment.core.errors.ModelError` line.

Every load by hub name goes through :func:`from_pretrained`, which keeps an unreachable hub from
costing minutes: huggingface_hub retries a refused connection five times with back-off (~25 s per
file, ~3 min for a pipeline that loads one model per seed) and offers no per-call setting for it
through transformers. So before a hub load we probe the endpoint once (DNS + TCP connect, at most
:data:`PROBE_TIMEOUT` seconds, in a thread so a hanging resolver cannot block us); when it does not
answer, the load is made from the local cache only (``local_files_only=True``, this call only) and
fails in one line naming the model and the way out. A hub model that failed is remembered for the
rest of the process and fails again at once with the same error.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from augment.core.errors import ModelError

T = TypeVar("T")
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[\w.-]+)?")
#: Seconds the hub probe may take (DNS and connect together).
PROBE_TIMEOUT = 5.0
_NO_ANSWER = re.compile(r"couldn't connect|connection (refused|reset|error)|timed? ?out", re.I)
_TRUE = {"1", "on", "yes", "true"}

_failed: dict[str, ModelError] = {}  # hub name -> the error it failed with (this process)
_probed: dict[str, str | None] = {}  # endpoint -> why it is unreachable (None: it answered)


@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """``with quiet_transformers():`` silences transformers' load reports inside the block and
    restores the caller's verbosity after it (a CLI run is quiet anyway, through
    ``TRANSFORMERS_VERBOSITY``, set by :func:`augment.core.process.configure_process`; a library
    caller's process is left as it was). :func:`quietly` wraps a whole function."""
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


def quietly(fn: Callable[..., T]) -> Callable[..., T]:
    """A function that runs inside :func:`quiet_transformers` (tiny-model builders, converters)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        with quiet_transformers():
            return fn(*args, **kwargs)

    return wrapper


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


def is_hub_name(location: str) -> bool:
    """Whether a :func:`model_location` result names a hub model (not a local directory)."""
    return not Path(location).is_dir()


def hub_offline() -> bool:
    """Whether the user switched the hub off (``HF_HUB_OFFLINE`` / ``TRANSFORMERS_OFFLINE``)."""
    return any(os.environ.get(v, "").strip().lower() in _TRUE for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def hub_endpoint() -> str:
    """The hub URL huggingface_hub talks to (``HF_ENDPOINT`` or huggingface.co)."""
    try:
        from huggingface_hub import constants

        return constants.ENDPOINT
    except ImportError:  # pragma: no cover
        return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def _probe_target(endpoint: str) -> tuple[str, int]:
    """The host and port a connection to ``endpoint`` opens first (the proxy's when one is set)."""
    url = urlsplit(endpoint)
    proxy = next((os.environ[v] for v in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy",
                                          "HTTP_PROXY", "http_proxy") if os.environ.get(v)), None)
    if proxy:
        if "://" not in proxy:
            proxy = "http://" + proxy
        url = urlsplit(proxy)
    port = url.port or (443 if url.scheme == "https" else 80)
    return url.hostname or "", port


def hub_unreachable(timeout: float = PROBE_TIMEOUT) -> str | None:
    """Why the hub cannot be reached (``"connection refused"``, ...), or None when it answers.

    One DNS lookup and TCP connect, bounded by ``timeout`` seconds; the answer is kept for the
    process (per endpoint), so a pipeline probes once."""
    endpoint = hub_endpoint()
    if endpoint in _probed:
        return _probed[endpoint]
    host, port = _probe_target(endpoint)
    result: dict[str, str | None] = {}

    def probe() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as err:
            result["why"] = f"cannot resolve {host} ({getattr(err, 'strerror', None) or err})"
            return
        why = "no address"
        for family, kind, proto, _, address in infos[:3]:
            try:
                with socket.socket(family, kind, proto) as s:
                    s.settimeout(timeout)
                    s.connect(address)
                result["why"] = None
                return
            except OSError as err:
                why = (getattr(err, "strerror", None) or str(err) or type(err).__name__).lower()
        result["why"] = f"{host}:{port}: {why}"

    thread = threading.Thread(target=probe, name="xner-hub-probe", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive() or "why" not in result:
        why: str | None = f"{host}:{port}: no answer within {timeout:g} s"
    else:
        why = result["why"]
    _probed[endpoint] = why
    return why


def _way_out(what: str, model: str, problem: str) -> ModelError:
    """The one line for a hub model that cannot be had: the model, why, and what to do instead."""
    if hub_offline():
        fix = "pass a local model directory, or download it first where the hub is reachable"
    else:
        fix = "pass a local model directory, or set HF_HUB_OFFLINE=1 where a cached copy exists"
    return ModelError(f"cannot load {what} '{model}': {problem}, and it is not in the local cache; {fix} "
                      "(no network at all: pipelines tiny-models DIR builds tiny local models)")


def hub_problem() -> str | None:
    """Why the hub cannot be used now (offline by choice, or unreachable), or None."""
    if hub_offline():
        return "HF_HUB_OFFLINE is set"
    why = hub_unreachable()
    return f"the hub ({hub_endpoint()}) is unreachable ({why})" if why else None


def remembered_failure(model: str | os.PathLike) -> ModelError | None:
    """The error a hub model already failed with in this process, if any."""
    return _failed.get(str(model))


def from_pretrained(loader: Any, model: str | os.PathLike, what: str = "model", **kwargs: Any) -> Any:
    """``loader.from_pretrained(model, trust_remote_code=False, **kwargs)`` with the rules above.

    ``loader``: a transformers class (``AutoConfig``, ``AutoTokenizer``, ``AutoModel``, ...).
    ``what`` names the thing in the error line. Raises :class:`ModelError` (one line) on failure."""
    location = load_location(what, model)
    hub = is_hub_name(location)
    if hub and location in _failed:
        raise _failed[location]
    problem = hub_problem() if hub else None
    if problem:
        kwargs["local_files_only"] = True
    try:
        with quiet_transformers():
            return loader.from_pretrained(location, trust_remote_code=False, **kwargs)
    except load_errors() as err:  # a damaged safetensors file or a refused pickle too
        if not problem and hub and _NO_ANSWER.search(str(err)):
            problem = f"the hub ({hub_endpoint()}) did not answer"
        error = _way_out(what, str(model), problem) if problem else load_error(what, model, err)
        if hub:
            _failed[location] = error
        raise error from None


def preflight(model: str | os.PathLike, what: str = "model") -> None:
    """Fail at once, before torch and transformers are imported, when a hub model cannot be had.

    Nothing happens for a local directory, a reachable hub, or a model whose ``config.json`` is in
    the local cache; otherwise the one-line :class:`ModelError` of :func:`from_pretrained` is
    raised (and remembered). Commands call it first, so the user does not wait for heavy imports
    (13 s on a loaded 2-core machine) to learn that the model is out of reach."""
    location = load_location(what, model)
    if not is_hub_name(location):
        return
    if location in _failed:
        raise _failed[location]
    problem = hub_problem()
    if not problem:
        return
    from huggingface_hub import try_to_load_from_cache

    if isinstance(try_to_load_from_cache(location, "config.json"), str):
        return
    _failed[location] = _way_out(what, location, problem)
    raise _failed[location]


def local_copy(model: str | os.PathLike, what: str = "model") -> str:
    """A path or hub name safe to hand to code that loads by itself (CTranslate2's converter).

    A local directory stays as is; a hub name becomes its cached snapshot directory when the hub is
    off or unreachable (an error in one line when there is none), and stays a name otherwise."""
    location = load_location(what, model)
    if not is_hub_name(location):
        return location
    if location in _failed:
        raise _failed[location]
    problem = hub_problem()
    if not problem:
        return location
    from huggingface_hub import snapshot_download

    try:
        return snapshot_download(location, local_files_only=True)
    except Exception:  # noqa: BLE001 - any failure here means "no usable cached copy"
        _failed[location] = _way_out(what, location, problem)
        raise _failed[location] from None
