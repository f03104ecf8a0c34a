"""``augment train-mt``'s resume state: verified before use, one writer per output, --overwrite
that always works (issue 18, findings 2, 4, 6 and 9)."""

from __future__ import annotations

import json
import logging

import pytest
from safetensors.torch import load_file

from augment.mt import TrainMTOptions, train_mt

TINY = {"scratch": True, "vocab_size": 500, "d_model": 64, "layers": 1, "heads": 2, "ffn_dim": 128,
        "max_length": 32, "lr": 3e-3}
OPTS = dict(src="en", tgt="yo", epochs=2, batch_size=32, save_steps=3, dev_size=0, **TINY)


class Stop(Exception):
    pass


def _stop_at(n: int):
    def on_step(step: int, loss: float) -> None:
        if step == n:
            raise Stop

    return on_step


@pytest.fixture(scope="module")
def pairs(tmp_path_factory, data_dir):
    """The first 300 MENYO-20k train pairs as a TSV (header kept)."""
    lines = (data_dir / "menyo20k" / "train.tsv").read_text("utf-8").splitlines()[:301]
    path = tmp_path_factory.mktemp("menyo") / "pairs.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def whole(pairs, tmp_path_factory):
    """An uninterrupted run's weights (20 steps)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        out = tmp_path_factory.mktemp("whole") / "mt"
        train_mt(pairs, out, TrainMTOptions(**OPTS), show_progress=False)
    finally:
        torch.set_num_threads(threads)
    return load_file(out / "model.safetensors")


def _same(a, b) -> bool:
    return a.keys() == b.keys() and all((a[k] == b[k]).all() for k in a)


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _random_bytes(path, n=64):
    import os

    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid:mid + n] = os.urandom(n)
    path.write_bytes(bytes(data))


def _edit_step(ckpt):
    state = json.loads((ckpt / "train_mt.json").read_text("utf-8"))
    state["step"] = 18
    (ckpt / "train_mt.json").write_text(json.dumps(state), encoding="utf-8")


DAMAGE = {
    "truncated weights": lambda ckpt: _truncate(ckpt / "model.safetensors"),
    "random source.spm": lambda ckpt: (ckpt / "source.spm").write_bytes(bytes(range(256)) * 4),
    "64 random bytes in optimizer.pt": lambda ckpt: _random_bytes(ckpt / "optimizer.pt"),
    "edited step": _edit_step,
}


@pytest.mark.parametrize("overwrite", [False, True], ids=["rerun", "overwrite"])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_mt_train_state_damaged_checkpoint_discarded_and_redone(damage, overwrite, pairs, whole, tmp_path,
                                                                torch_one_thread, caplog):
    """A damaged checkpoint (a full disk's truncation, random bytes, an edited step) is found by
    its checksums: one warning, the run starts over and ends with the uninterrupted run's weights."""
    out = tmp_path / "b"
    with pytest.raises(Stop):
        train_mt(pairs, out, TrainMTOptions(**OPTS), on_step=_stop_at(14), show_progress=False)
    ckpt = tmp_path / "b.ckpt"
    assert json.loads((ckpt / "train_mt.json").read_text("utf-8"))["step"] == 12
    DAMAGE[damage](ckpt)
    with caplog.at_level(logging.WARNING, logger="xner.state"):
        summary = train_mt(pairs, out, TrainMTOptions(**OPTS, overwrite=overwrite), show_progress=False)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "resume checkpoint fails its content check" in warnings[0].getMessage()
    assert summary["steps"] == 20 and not ckpt.exists()
    assert _same(load_file(out / "model.safetensors"), whole)


def test_mt_train_state_overwrite_with_symlinked_checkpoint(pairs, whole, tmp_path, run_cli, torch_one_thread):
    """OUT.ckpt is a symlink: --overwrite removes the link (never what it points to) and trains."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("precious\n")
    (tmp_path / "b.ckpt").symlink_to(elsewhere, target_is_directory=True)
    args = ["train-mt", pairs, tmp_path / "b", "--src", "en", "--tgt", "yo", "--scratch", "--vocab-size", "500",
            "--d-model", "64", "--layers", "1", "--heads", "2", "--ffn-dim", "128", "--max-length", "32",
            "--lr", "3e-3", "--epochs", "2", "--batch-size", "32", "--save-steps", "3", "--dev-size", "0",
            "--precision", "auto", "--overwrite"]
    code, _, err = run_cli("augment", args)
    assert code == 0, err
    assert "Traceback" not in err
    assert (elsewhere / "keep.txt").read_text() == "precious\n" and sorted(p.name for p in elsewhere.iterdir()) == [
        "keep.txt"]
    assert not (tmp_path / "b.ckpt").exists()
    assert _same(load_file(tmp_path / "b" / "model.safetensors"), whole)


def test_mt_train_state_second_writer_refused(pairs, tmp_path, run_cli, torch_one_thread):
    """While one train-mt writes OUT, a second one on the same OUT is refused in one line."""
    out = tmp_path / "b"
    seen = []

    def second_run(step: int, loss: float) -> None:
        if step == 4:
            seen.append(run_cli("augment", ["train-mt", pairs, out, "--src", "en", "--tgt", "yo", "--scratch",
                                            "--epochs", "1", "--dev-size", "0"]))

    train_mt(pairs, out, TrainMTOptions(**{**OPTS, "epochs": 1}), on_step=second_run, show_progress=False)
    code, _, err = seen[0]
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"error: {out}: another process") and "is writing this training output" in err
    assert (out / "model.safetensors").is_file()
