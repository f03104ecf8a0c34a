"""Training with projected translations and both contrastive losses; resume after a kill."""

from __future__ import annotations

import pytest
from safetensors.torch import load_file

from ner.train import TrainConfig, train_model
from tests.fixtures.ner import Killed, kill_after, read_metrics


@pytest.fixture(scope="module")
def small_train(yor_files, tmp_path_factory):
    from augment.core import read_corpus, write_corpus

    path = tmp_path_factory.mktemp("small") / "train300.jsonl"
    write_corpus(read_corpus(yor_files["train"])[:300], path)
    return {"train": path, "dev": yor_files["dev"]}


def config(out, tiny_bert, yor_files, parallel_files) -> TrainConfig:
    return TrainConfig(train=[str(yor_files["train"])], augmented=[str(parallel_files["augmented"])],
                       dev=str(yor_files["dev"]), model=str(tiny_bert), out=str(out), epochs=2, lr=2e-3,
                       batch_size=32, max_length=48, lambda_label=0.3, lambda_translation=0.3, temperature=0.1,
                       o_keep=0.3, warmup=0.1, seed=7)


@pytest.mark.slow
def test_contrastive_training_resumes_to_identical_metrics(tiny_bert, small_train, parallel_files, tmp_path,
                                                           ner_threads, run_cli):
    """Two runs of one seeded command (CLI, then library with a kill and a rerun) agree exactly."""
    yor_files = small_train
    whole = tmp_path / "whole"
    args = ["train", "--train", yor_files["train"], "--augmented", parallel_files["augmented"], "--dev",
            yor_files["dev"], "--model", tiny_bert, "--out", whole, "--epochs", "2", "--lr", "2e-3",
            "--batch-size", "32", "--max-length", "48", "--lambda-label", "0.3", "--lambda-translation", "0.3",
            "--temperature", "0.1", "--o-keep", "0.3", "--warmup", "0.1", "--seed", "7"]
    code, stdout, err = run_cli("ner", args)
    assert code == 0, err
    assert "best dev F1" in stdout
    records = read_metrics(whole)
    assert [r["epoch"] for r in records] == [1, 2]
    for r in records:  # every term is logged and active
        assert r["label"] > 0 and r["translation"] > 0 and r["ce"] > 0
        assert r["loss"] == pytest.approx(r["ce"] + 0.3 * r["label"] + 0.3 * r["translation"], rel=1e-6)
    assert records[1]["translation"] < records[0]["translation"]  # pairs are pulled together
    labels = (whole / "labels.json").read_text()
    assert "B-MISC" in labels and "B-DATE" in labels  # Europarl pairs bring MISC

    out = tmp_path / "killed"
    with pytest.raises(Killed):
        train_model(config(out, tiny_bert, yor_files, parallel_files), extra_hooks=[kill_after(1)])
    assert (out / "checkpoint" / "state.json").is_file() and not (out / "summary.json").exists()
    assert [r["epoch"] for r in read_metrics(out)] == [1]
    train_model(config(out, tiny_bert, yor_files, parallel_files))  # the same command again
    assert read_metrics(out) == records
    assert not (out / "checkpoint").exists()
    weights_a, weights_b = load_file(whole / "model.safetensors"), load_file(out / "model.safetensors")
    assert all((weights_a[k] == weights_b[k]).all() for k in weights_a)
    # rerunning a finished command does nothing
    mtime = (whole / "model.safetensors").stat().st_mtime_ns
    assert run_cli("ner", args)[0] == 0
    assert (whole / "model.safetensors").stat().st_mtime_ns == mtime
