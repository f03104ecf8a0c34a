"""Damaged resume state of training and distillation is discarded with a warning and redone."""

from __future__ import annotations

import logging

import pytest

from ner.train import TrainConfig, train_model
from tests.fixtures.ner import Killed, kill_after, read_metrics


@pytest.fixture(scope="module")
def small_yor(yor_files, tmp_path_factory):
    from augment.core import read_corpus, write_corpus

    path = tmp_path_factory.mktemp("small") / "train200.jsonl"
    write_corpus(read_corpus(yor_files["train"])[:200], path)
    return path


def _config(out, tiny_bert, train, dev) -> TrainConfig:
    return TrainConfig(train=[str(train)], dev=str(dev), model=str(tiny_bert), out=str(out), epochs=2,
                       lr=2e-3, batch_size=32, max_length=48, lambda_label=0, lambda_translation=0, seed=5)


@pytest.mark.parametrize("damaged", ["optimizer.pt", "model.safetensors"])
def test_ner_resume_damaged_checkpoint_discarded_and_redone(damaged, tiny_bert, small_yor, yor_files, tmp_path,
                                                            ner_threads, caplog):
    clean = tmp_path / "clean"
    train_model(_config(clean, tiny_bert, small_yor, yor_files["dev"]))
    out = tmp_path / "killed"
    with pytest.raises(Killed):
        train_model(_config(out, tiny_bert, small_yor, yor_files["dev"]), extra_hooks=[kill_after(1)])
    target = out / "checkpoint" / damaged
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])  # truncated by a full disk
    with caplog.at_level(logging.WARNING, logger="xner.state"):
        train_model(_config(out, tiny_bert, small_yor, yor_files["dev"]))
    assert "resume checkpoint fails its content check" in caplog.text
    assert read_metrics(out) == read_metrics(clean)  # redone from the start, same result
    assert not (out / "checkpoint").exists()


def test_ner_resume_damaged_soft_label_chunk_recomputed(tiny_bert, small_yor, yor_files, tmp_path, ner_threads,
                                                        caplog):
    from augment.core import read_corpus
    from ner.distill.soft_labels import teacher_soft_labels

    teacher = tmp_path / "teacher"
    cfg = _config(teacher, tiny_bert, small_yor, yor_files["dev"])
    cfg.epochs = 1
    train_model(cfg)
    sentences = read_corpus(yor_files["dev"])[:60]
    cache = tmp_path / "soft"
    first = teacher_soft_labels(teacher, sentences, cache, chunk=25)
    chunk = cache / "chunk-00001.safetensors"
    chunk.write_bytes(chunk.read_bytes()[:100])
    (cache / "chunk-00002.safetensors").write_bytes(b"not a safetensors file")
    with caplog.at_level(logging.WARNING, logger="xner.state"):
        again = teacher_soft_labels(teacher, sentences, cache, chunk=25)
    assert caplog.text.count("soft-label chunk fails its check") == 2
    assert len(again) == len(first) and all((a == b).all() for a, b in zip(first, again))
    (cache / "meta.json").write_text("{broken")  # damaged meta: the cache starts over
    assert len(teacher_soft_labels(teacher, sentences, cache, chunk=25)) == 60


def test_ner_resume_edited_epoch_discarded_and_redone(tiny_bert, small_yor, yor_files, tmp_path, ner_threads, caplog):
    """``"epoch": 1`` edited to 3 in checkpoint/state.json (valid JSON): the state's own checksum
    fails, so the rerun does not report a finished 3-epoch run holding epoch-1 weights."""
    import json

    from safetensors.torch import load_file

    clean = tmp_path / "clean"
    train_model(_config(clean, tiny_bert, small_yor, yor_files["dev"]))
    out = tmp_path / "killed"
    with pytest.raises(Killed):
        train_model(_config(out, tiny_bert, small_yor, yor_files["dev"]), extra_hooks=[kill_after(1)])
    state_file = out / "checkpoint" / "state.json"
    state = json.loads(state_file.read_text("utf-8"))
    assert state["epoch"] == 1
    state_file.write_text(json.dumps({**state, "epoch": 3}), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="xner.state"):
        train_model(_config(out, tiny_bert, small_yor, yor_files["dev"]))
    assert caplog.text.count("resume checkpoint fails its content check") == 1
    assert read_metrics(out) == read_metrics(clean) and [r["epoch"] for r in read_metrics(out)] == [1, 2]
    a, b = load_file(clean / "model.safetensors"), load_file(out / "model.safetensors")
    assert all((a[k] == b[k]).all() for k in a)


def test_ner_distill_random_bytes_in_soft_label_chunk_recomputed(tiny_bert, small_yor, yor_files, menyo_text,
                                                                 tmp_path, ner_threads, caplog):
    """Bytes overwritten inside a soft-label chunk (the file still loads, its numbers are finite):
    its recorded digest no longer matches, so the chunk is computed again, not used silently, and
    the resumed student is the uninterrupted one."""
    import struct

    from safetensors.torch import load_file

    from ner.distill import DistillConfig, distill

    teacher = tmp_path / "teacher"
    cfg = _config(teacher, tiny_bert, small_yor, yor_files["dev"])
    cfg.epochs = 1
    train_model(cfg)

    def config(out):
        return DistillConfig(teachers=[str(teacher)], unlabeled=str(menyo_text["yo300"]), out=str(out), epochs=2,
                             lr=2e-3, batch_size=32, max_length=48, seed=5, loss="kl")

    distill(config(tmp_path / "clean"))
    out = tmp_path / "student"
    with pytest.raises(Killed):
        distill(config(out), extra_hooks=[kill_after(1)])
    chunk = out / "soft_labels" / "teacher-0" / "chunk-00000.safetensors"
    data = bytearray(chunk.read_bytes())
    mid = len(data) // 2
    data[mid:mid + 64] = struct.pack("<16f", *([0.25] * 16))
    chunk.write_bytes(bytes(data))
    assert load_file(chunk)["probs"].isfinite().all()  # a plain load check cannot see it
    with caplog.at_level(logging.WARNING, logger="xner.state"):
        distill(config(out))
    assert caplog.text.count("soft-label chunk fails its check") == 1
    assert read_metrics(out) == read_metrics(tmp_path / "clean")
    a, b = load_file(tmp_path / "clean" / "model.safetensors"), load_file(out / "model.safetensors")
    assert all((a[k] == b[k]).all() for k in a)
