"""The hub helper: an unreachable hub fails fast, in one line, once per model (augment/core/hub.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from augment.core import hub
from augment.core.errors import ModelError

REPO = Path(__file__).resolve().parents[1]


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hub_env(tmp_path: Path, endpoint: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    env.update(HF_ENDPOINT=endpoint, HF_HOME=str(tmp_path / "hf"), PYTHONPATH=str(REPO))
    return env


@pytest.mark.parametrize("command", [
    ["augment.cli", "translate", "{conll}", "{out}", "--src", "en", "--tgt", "yo"],
    ["ner.cli", "train", "--train", "{conll}", "--model", "bert-base-multilingual-cased", "--out", "{out}"],
    ["align.cli", "run", "{pairs}", "{out}", "--method", "simalign"],
])
def test_hub_closed_port_fails_fast_in_one_line(tmp_path, data_dir, command):
    conll = tmp_path / "en.conll"
    lines = (data_dir / "conll2003_en" / "eng.train").read_text("utf-8").splitlines()[:40]
    conll.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("a house ||| une maison\n", encoding="utf-8")
    args = [a.format(conll=conll, pairs=pairs, out=tmp_path / "out.jsonl" if "translate" in command else tmp_path / "m")
            for a in command[1:]]
    code = f"import sys; from {command[0]} import main; sys.argv = ['x'] + {args!r}; main()"
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code], env=_hub_env(tmp_path, f"http://127.0.0.1:{_closed_port()}"),
                          capture_output=True, text=True, timeout=120)
    took = time.monotonic() - start
    err = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1, proc.stderr
    assert took < 20, took
    assert len(err) == 1, err
    assert err[0].startswith("error: cannot load"), err
    assert "unreachable" in err[0] and "connection refused" in err[0]
    assert "HF_HUB_OFFLINE=1" in err[0] and "local model directory" in err[0]
    assert "Retrying" not in proc.stderr


def test_hub_failed_model_is_not_tried_again(monkeypatch):
    calls = []

    class Loader:
        @staticmethod
        def from_pretrained(location, **kwargs):
            calls.append(kwargs)
            raise OSError("no such file in the cache")

    monkeypatch.setattr(hub, "_failed", {})
    monkeypatch.setattr(hub, "_probed", {hub.hub_endpoint(): "127.0.0.1:1: connection refused"})
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    with pytest.raises(ModelError) as first:
        hub.from_pretrained(Loader, "someone/some-model", "encoder")
    assert calls == [{"trust_remote_code": False, "local_files_only": True}]  # the cache only, this call
    start = time.monotonic()
    with pytest.raises(ModelError) as second:
        hub.from_pretrained(Loader, "someone/some-model", "tokenizer")
    assert second.value is first.value and len(calls) == 1
    assert time.monotonic() - start < 0.1
    assert "'someone/some-model'" in str(first.value) and "\n" not in str(first.value)


def test_hub_preflight_fails_before_heavy_imports_unless_cached(monkeypatch, tmp_path):
    monkeypatch.setattr(hub, "_failed", {})
    monkeypatch.setattr(hub, "_probed", {hub.hub_endpoint(): "127.0.0.1:1: connection refused"})
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    hub.preflight(tmp_path)  # a local directory: nothing to check
    with pytest.raises(ModelError, match=r"cannot load model 'nobody/absent': the hub .* is unreachable"):
        hub.preflight("nobody/absent")
    assert hub.remembered_failure("nobody/absent") is not None


def test_hub_offline_names_the_model_and_way_out(monkeypatch, tmp_path):
    from transformers import AutoConfig

    monkeypatch.setattr(hub, "_failed", {})
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(ModelError, match=r"cannot load encoder 'nobody/absent-model': HF_HUB_OFFLINE is set, "
                                         r"and it is not in the local cache; pass a local model directory"):
        hub.from_pretrained(AutoConfig, "nobody/absent-model", "encoder")


def test_hub_probe_reports_dns_failure_within_bound(monkeypatch):
    monkeypatch.setattr(hub, "_probed", {})
    monkeypatch.setattr(hub, "hub_endpoint", lambda: "https://no-such-host.invalid")
    for var in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(var, raising=False)
    start = time.monotonic()
    why = hub.hub_unreachable(timeout=3)
    assert why is not None and ("cannot resolve" in why or "no answer" in why)
    assert time.monotonic() - start < 4
