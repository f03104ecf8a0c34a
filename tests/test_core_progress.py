"""``augment.core.progress``: a bar with rate and ETA in a terminal, one line per epoch elsewhere,
nothing with ``--quiet``; checked on the module and on a real (tiny) ``ner train`` run."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from augment.core import progress as pg
from tests.fixtures.ner import one_thread


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture()
def progress_env(monkeypatch):
    """Progress on (the test session turns it off) and no --quiet/--verbose left behind."""
    for name in ("XNER_NO_PROGRESS", "XNER_QUIET", "XNER_VERBOSE"):
        monkeypatch.setenv(name, "")


def _run(stream, body):
    with redirect_stderr(stream):
        body()
    return stream.getvalue()


def test_progress_terminal_draws_a_bar_with_rate_and_eta(progress_env, monkeypatch):
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    assert pg.mode() == "bar"
    for _ in pg.progress(range(5), desc="work", unit="batch", mininterval=0):
        pass
    text = tty.getvalue()
    assert "work" in text and "5/5" in text and "batch/s" in text and "<00:00" in text  # rate and ETA


def test_progress_not_a_terminal_draws_no_bar_but_prints_summaries(progress_env, monkeypatch):
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    assert pg.mode() == "lines"
    bar = pg.progress(range(3), desc="work")
    assert list(bar) == [0, 1, 2]
    bar.set_postfix(loss="0.1")  # still accepted when disabled
    pg.summary(pg.epoch_line({"epoch": 2, "loss": 0.5, "ce": 0.25, "dev_precision": 0.1, "dev_f1": 0.4,
                              "seconds": 1.26, "lr": 1e-3}, 3))
    assert pipe.getvalue() == "epoch 2/3: loss 0.5000, ce 0.2500, dev F1 0.4000, 1.3 s\n"


@pytest.mark.parametrize("stream", [FakeTTY, io.StringIO])
def test_progress_quiet_silences_bar_and_lines(progress_env, monkeypatch, stream):
    out = stream()
    monkeypatch.setattr(sys, "stderr", out)
    monkeypatch.setenv("XNER_QUIET", "1")
    assert pg.mode() == "quiet"
    list(pg.progress(range(3), desc="work"))
    pg.summary("epoch 1/1: loss 1.0")
    assert out.getvalue() == ""


def _train(args, stream, tiny_bert, yor_files, tmp_path):
    from ner.cli import main

    argv = ["ner", "train", "--train", str(yor_files["train"]), "--dev", str(yor_files["dev"]), "--model",
            str(tiny_bert), "--out", str(tmp_path / "m"), "--epochs", "2", "--max-length", "32",
            "--lambda-label", "0", "--lambda-translation", "0", *args]
    old = sys.argv
    sys.argv = argv
    stdout = io.StringIO()
    try:
        with one_thread(), redirect_stderr(stream), redirect_stdout(stdout):
            with pytest.raises(SystemExit) as exit_info:
                main()
                raise SystemExit(0)
    finally:
        sys.argv = old
    assert exit_info.value.code in (0, None), stream.getvalue()
    return stream.getvalue(), stdout.getvalue()


@pytest.fixture(scope="module")
def small_yor(tmp_path_factory, yor_files):
    """60 training and 20 dev sentences: seconds per run."""
    from augment.core import read_corpus, write_corpus

    root = tmp_path_factory.mktemp("small_yor")
    write_corpus(read_corpus(yor_files["train"])[:60], root / "train.jsonl")
    write_corpus(read_corpus(yor_files["dev"])[:20], root / "dev.jsonl")
    return {"train": root / "train.jsonl", "dev": root / "dev.jsonl"}


def test_progress_ner_train_not_a_terminal_prints_one_line_per_epoch(progress_env, tiny_bert, small_yor, tmp_path):
    err, out = _train([], io.StringIO(), tiny_bert, small_yor, tmp_path)
    lines = err.splitlines()
    assert [ln.split(":")[0] for ln in lines] == ["epoch 1/2", "epoch 2/2"]
    assert all("loss" not in ln or "ce " in ln for ln in lines) and all(" dev F1 " in ln for ln in lines)
    assert "model saved" in out


def test_progress_ner_train_in_a_terminal_shows_bar_and_loss(progress_env, tiny_bert, small_yor, tmp_path):
    err, _ = _train([], FakeTTY(), tiny_bert, small_yor, tmp_path)
    assert "epoch 1/2" in err and "batch/s" in err and "loss=" in err and "dev F1" in err


def test_progress_ner_train_quiet_after_the_command_prints_nothing(progress_env, tiny_bert, small_yor, tmp_path):
    err, out = _train(["--quiet"], FakeTTY(), tiny_bert, small_yor, tmp_path)
    assert err == "" and "model saved" in out


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_pipeline_run_prints_one_line_per_stage_run_unless_quiet(progress_env, quick_config, run_cli,
                                                                          tmp_path, quiet):
    cfg = quick_config()
    code, _, err = run_cli("pipelines", ["run", cfg, "--workdir", tmp_path / "w", *(["-q"] if quiet else [])])
    assert code == 0, err
    lines = [ln for ln in err.splitlines() if ln.startswith("ran ")]
    assert len(lines) == (0 if quiet else 7) and "7 ran, 0 cached" in err
