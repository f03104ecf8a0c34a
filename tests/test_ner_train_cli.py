"""``ner train`` on real MasakhaNER yor data with a tiny BERT learns (determinism: see
test_ner_contrastive_resume, where two runs of one command must agree exactly)."""

from __future__ import annotations

import json

import pytest

from tests.fixtures.ner import read_metrics


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
