"""In a log (not a terminal), every training command prints progress lines inside an epoch:
step, running loss and rate (issue 20, item 4: an epoch was silent for 16 min under load). The
lines come at least every 30 s (tests/test_training_loop.py); here the interval is 0, so each
optimizer step prints one."""

from __future__ import annotations

import csv
import re

import pytest

LINE = r"^{} 1/1: step (\d+), batch \d+/\d+, loss \d+\.\d{{4}}, \d+\.\d\d batch/s$"


@pytest.fixture
def every_step(monkeypatch):
    import augment.core.training.report as report

    monkeypatch.setattr(report, "LINE_INTERVAL", 0.0)
    monkeypatch.delenv("XNER_NO_PROGRESS", raising=False)  # the test suite's default: quiet


def _steps(text: str, prefix: str) -> list[int]:
    pattern = re.compile(LINE.format(re.escape(prefix)))
    return [int(m.group(1)) for line in text.splitlines() if (m := pattern.match(line))]


def test_training_progress_lines_ner_train_and_distill(every_step, tiny_bert, yor_files, menyo_text, tmp_path,
                                                       run_cli, ner_threads):
    from augment.core import read_corpus, write_corpus

    train = tmp_path / "train.jsonl"
    write_corpus(read_corpus(yor_files["train"])[:100], train)
    code, _, err = run_cli("ner", ["train", "--train", train, "--model", tiny_bert, "--out", tmp_path / "t",
                                   "--epochs", "1", "--batch-size", "32", "--max-length", "32", "--lr", "2e-3",
                                   "--lambda-label", "0", "--lambda-translation", "0"])
    assert code == 0, err
    assert _steps(err, "epoch") == [1, 2, 3, 4]
    code, _, err = run_cli("ner", ["distill", "--teacher", tmp_path / "t", "--unlabeled", menyo_text["yo300"],
                                   "--out", tmp_path / "s", "--epochs", "1", "--batch-size", "100",
                                   "--max-length", "32"])
    assert code == 0, err
    assert _steps(err, "epoch") == [1, 2, 3]


def test_training_progress_lines_mlm_and_mt(every_step, tiny_bert, data_dir, tmp_path, capsys, torch_one_thread):
    from augment.mt import TrainMTOptions, train_mt
    from ner.mlm import pretrain_mlm

    with open(data_dir / "menyo20k/train.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[1:101]
    pretrain_mlm(tiny_bert, [r[1] for r in rows], tmp_path / "mlm", batch_size=50, max_length=32, seed=1)
    assert _steps(capsys.readouterr().err, "mlm epoch") == [1, 2]
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("".join(f"{en}\t{yo}\n" for en, yo in rows), encoding="utf-8")
    train_mt(pairs, tmp_path / "mt", TrainMTOptions(src="en", tgt="yo", scratch=True, vocab_size=300, d_model=32,
                                                     layers=1, heads=2, ffn_dim=64, max_length=32, epochs=1,
                                                     batch_size=40, dev_size=0), show_progress=False)
    assert _steps(capsys.readouterr().err, "train-mt epoch") == [1, 2, 3]
