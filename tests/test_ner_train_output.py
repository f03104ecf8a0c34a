"""``ner train``'s output folder: one writer at a time, --overwrite that always works, and a
failed run (a full disk, a bad option) leaves nothing half-written (issue 18, findings 6 and 10;
issue 20, item 4)."""

from __future__ import annotations

import subprocess

import pytest

from augment.core.training import Hook
from ner.train import TrainConfig, train_model


@pytest.fixture(scope="module")
def small_yor(yor_files, tmp_path_factory):
    from augment.core import read_corpus, write_corpus

    path = tmp_path_factory.mktemp("small") / "train200.jsonl"
    write_corpus(read_corpus(yor_files["train"])[:200], path)
    return path


def _args(train, dev, model, out, *extra) -> list:
    return ["train", "--train", train, "--dev", dev, "--model", model, "--out", out, "--epochs", "1", "--lr", "2e-3",
            "--batch-size", "32", "--max-length", "48", "--lambda-label", "0", "--lambda-translation", "0",
            "--seed", "5", *extra]


def test_ner_train_output_second_writer_refused(tiny_bert, small_yor, yor_files, tmp_path, run_cli, ner_threads):
    """While one `ner train --out DIR` runs, a second one on DIR is refused in one line (it does
    not resume from the first's checkpoint while that is still being written)."""
    out = tmp_path / "run"
    seen = []

    class SecondRun(Hook):
        def on_epoch_end(self, trainer, record):
            seen.append(run_cli("ner", _args(small_yor, yor_files["dev"], tiny_bert, out)))

    config = TrainConfig(train=[str(small_yor)], dev=str(yor_files["dev"]), model=str(tiny_bert), out=str(out),
                         epochs=1, lr=2e-3, batch_size=32, max_length=48, lambda_label=0, lambda_translation=0, seed=5)
    train_model(config, extra_hooks=[SecondRun()])
    code, _, err = seen[0]
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"error: {out}: another process") and "is writing this training output" in err
    assert (out / "summary.json").is_file() and not (out / "checkpoint").exists()


@pytest.fixture
def small_disk(tmp_path):
    """A real 64 KiB tmpfs (root can mount here); unmounted afterwards."""
    folder = tmp_path / "disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_ner_train_output_full_disk_one_line_nothing_left(tiny_bert, small_yor, yor_files, small_disk, run_cli,
                                                          ner_threads):
    out = small_disk / "run"
    code, _, err = run_cli("ner", _args(small_yor, yor_files["dev"], tiny_bert, out))
    assert code == 1
    assert err == f"error: {out}: cannot write: no space left on the device\n"
    assert list(small_disk.iterdir()) == []  # no train_config.json, no empty metrics.jsonl, no folder


def test_ner_train_output_failed_run_leaves_no_empty_folder(small_yor, yor_files, tmp_path, run_cli):
    out = tmp_path / "run"
    code, _, err = run_cli("ner", _args(small_yor, yor_files["dev"], tmp_path / "no-such-model", out))
    assert code == 1 and err.count("\n") == 1 and "no-such-model" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("planted", ["symlink", "damaged"])
def test_ner_train_output_overwrite_works_over_any_checkpoint(planted, tiny_bert, small_yor, yor_files, tmp_path,
                                                              run_cli, ner_threads):
    """--overwrite starts over whatever the old checkpoint is: a symlink (removed, its target left
    alone) or damaged files."""
    out = tmp_path / "run"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "state.json").write_text("{}\n")
    if planted == "symlink":
        (out / "checkpoint").symlink_to(elsewhere, target_is_directory=True)
    else:
        (out / "checkpoint").mkdir()
        (out / "checkpoint" / "state.json").write_text('{"epoch": 1')
        (out / "summary.json").write_text("{not json")
    code, _, err = run_cli("ner", _args(small_yor, yor_files["dev"], tiny_bert, out, "--overwrite"))
    assert code == 0, err
    assert (elsewhere / "state.json").read_text() == "{}\n"
    assert (out / "summary.json").is_file() and not (out / "checkpoint").exists()
