"""Mistakes the operating system reports are one line, exit 1, and leave nothing behind."""

from __future__ import annotations

import pickle
import shutil
import subprocess

import pytest


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture()
def conll(tmp_path, data_dir):
    path = tmp_path / "in.conll"
    path.write_text("".join((data_dir / "conll2003_en" / "eng.train").open().readlines()[:2000]))
    return path


def test_cli_os_errors_output_is_a_directory(tmp_path, conll, run_cli):
    (tmp_path / "outdir").mkdir()
    code, _, err = run_cli("augment", ["convert", conll, tmp_path / "outdir"])
    assert code == 1 and _one_line(err).endswith("outdir: cannot write: is a directory, expected a file")
    (tmp_path / "pairs.txt").write_text("a b ||| c d\ne f ||| g h\n")
    code, _, err = run_cli("align", ["run", tmp_path / "pairs.txt", tmp_path / "outdir"])
    assert code == 1 and "is a directory" in _one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.conll", "outdir", "pairs.txt"]  # no .partial files


def test_cli_os_errors_disk_full_leaves_old_output(tmp_path, conll, run_cli):
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(disk)], check=True)
    try:
        (disk / "out.jsonl").write_text("old\n")
        code, _, err = run_cli("augment", ["convert", conll, disk / "out.jsonl"])
        assert code == 1
        assert _one_line(err) == f"error: {disk / 'out.jsonl'}: cannot write: no space left on the device"
        assert (disk / "out.jsonl").read_text() == "old\n"
        assert [p.name for p in disk.iterdir()] == ["out.jsonl"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)


@pytest.fixture(scope="module")
def small_model(tiny_bert, yor_files, tmp_path_factory):
    from ner.train import TrainConfig, train_model
    from tests.fixtures.ner import one_thread

    out = tmp_path_factory.mktemp("m") / "model"
    with one_thread():
        train_model(TrainConfig(train=[str(yor_files["train"])], model=str(tiny_bert), out=str(out), epochs=1,
                                batch_size=32, max_length=32, lambda_label=0, lambda_translation=0, seed=1))
    return out


def test_cli_os_errors_train_out_is_a_file(tmp_path, tiny_bert, yor_files, run_cli):
    (tmp_path / "afile").write_text("keep\n")
    code, _, err = run_cli("ner", ["train", "--train", yor_files["dev"], "--model", tiny_bert,
                                   "--out", tmp_path / "afile", "--epochs", "1"])
    assert code == 1 and "afile: cannot write an output folder here: is a file" in _one_line(err)
    assert (tmp_path / "afile").read_text() == "keep\n"


def test_cli_os_errors_corrupt_and_pickled_models(tmp_path, small_model, yor_files, run_cli):
    words = tmp_path / "words.txt"
    words.write_text("Ade lọ sí Èkó\n")
    (tmp_path / "outdir").mkdir()
    code, _, err = run_cli("ner", ["predict", small_model, words, tmp_path / "outdir"])
    assert code == 1 and _one_line(err).endswith("outdir: cannot write: is a directory, expected a file")
    bad = tmp_path / "bad"
    shutil.copytree(small_model, bad)
    (bad / "model.safetensors").write_bytes((small_model / "model.safetensors").read_bytes()[:1000])
    code, _, err = run_cli("ner", ["predict", bad, words, tmp_path / "o.conll"])
    assert code == 1 and "cannot load encoder" in _one_line(err) and "header" in _one_line(err)

    class Evil:
        def __reduce__(self):
            return (shutil.rmtree, (str(tmp_path / "victim"),))

    (tmp_path / "victim").mkdir()
    pk = tmp_path / "pk"
    shutil.copytree(small_model, pk)
    (pk / "model.safetensors").unlink()
    (pk / "pytorch_model.bin").write_bytes(pickle.dumps({"w": Evil()}))
    code, _, err = run_cli("ner", ["predict", pk, words, tmp_path / "o.conll"])
    assert code == 1 and "Weights only load failed" in _one_line(err)
    assert (tmp_path / "victim").is_dir() and not (tmp_path / "o.conll").exists()
