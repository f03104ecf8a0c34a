"""``ner train`` on real MasakhaNER yor data with a tiny BERT: it learns, and it is deterministic."""

from __future__ import annotations

import json

import pytest
from safetensors.torch import load_file

from tests.fixtures.ner import TEACHER_ARGS, read_metrics


@pytest.mark.slow
def test_tiny_bert_learns_yor_ner(ner_teacher):
    records = read_metrics(ner_teacher)
    assert [r["epoch"] for r in records] == [1, 2, 3]
    assert records[-1]["ce"] < records[0]["ce"]
    summary = json.loads((ner_teacher / "summary.json").read_text())
    assert summary["best_dev_f1"] == max(r["dev_f1"] for r in records) > 0.08
    labels = json.loads((ner_teacher / "labels.json").read_text())["labels"]
    assert labels == ["O", "B-DATE", "I-DATE", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER"]
    config = json.loads((ner_teacher / "train_config.json").read_text())
    assert config["seed"] == 13 and config["lambda_label"] == 0
    for name in ("model.safetensors", "ner_head.safetensors", "config.json", "metrics.png"):
        assert (ner_teacher / name).stat().st_size > 0
    assert (ner_teacher / "metrics.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (ner_teacher / "checkpoint").exists()  # removed once finished


@pytest.mark.slow
def test_same_seed_gives_same_metrics_and_weights(ner_teacher, tiny_bert, yor_files, run_cli, tmp_path, ner_threads):
    out = tmp_path / "again"
    code, stdout, err = run_cli("ner", ["train", "--train", yor_files["train"], "--dev", yor_files["dev"],
                                        "--model", tiny_bert, "--out", out, *TEACHER_ARGS])
    assert code == 0, err
    assert "best dev F1" in stdout
    assert read_metrics(out) == read_metrics(ner_teacher)
    a, b = load_file(out / "model.safetensors"), load_file(ner_teacher / "model.safetensors")
    assert all((a[k] == b[k]).all() for k in a)
    # rerunning a finished run does nothing and keeps the model
    mtime = (out / "model.safetensors").stat().st_mtime_ns
    assert run_cli("ner", ["train", "--train", yor_files["train"], "--dev", yor_files["dev"], "--model", tiny_bert,
                           "--out", out, *TEACHER_ARGS])[0] == 0
    assert (out / "model.safetensors").stat().st_mtime_ns == mtime
