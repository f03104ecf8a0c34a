"""``ner distill`` end to end: a tiny yor teacher distilled into a student on MENYO-20k Yoruba."""

from __future__ import annotations

import json

import pytest

from augment.core.training import Hook
from ner.distill import DistillConfig, distill
from tests.fixtures.ner import read_metrics

MARGIN = 0.10  # the student's best dev F1 may trail the teacher's by at most this (absolute)


class Killed(Exception):
    pass


class KillAfter(Hook):
    def on_epoch_end(self, trainer, record):
        if record["epoch"] == 1:
            raise Killed


@pytest.mark.slow
def test_student_learns_close_to_teacher(ner_student, ner_teacher):
    teacher = json.loads((ner_teacher / "summary.json").read_text())["best_dev_f1"]
    student = json.loads((ner_student / "summary.json").read_text())["best_dev_f1"]
    assert student > 0.05
    assert student >= teacher - MARGIN, (teacher, student)
    records = read_metrics(ner_student)
    assert [r["epoch"] for r in records] == [1, 2] and all(r["distill"] > 0 for r in records)
    weights = json.loads((ner_student / "distill_weights.json").read_text())
    assert weights["method"] == "uniform" and weights["weights"] == [1.0]
    assert (ner_student / "labels.json").read_text() == (ner_teacher / "labels.json").read_text()
    assert any((ner_student / "soft_labels" / "teacher-0").glob("chunk-*.safetensors"))
    assert json.loads((ner_student / "train_config.json").read_text())["command"] == "distill"


@pytest.mark.slow
def test_distill_resumes_to_the_same_student(ner_student, ner_teacher, menyo_text, yor_files, tmp_path, ner_threads):
    """A second run of the same seeded settings, killed after epoch 1 and rerun, matches exactly."""
    config = DistillConfig(teachers=[str(ner_teacher)], unlabeled=str(menyo_text["yo"]), dev=str(yor_files["dev"]),
                           out=str(tmp_path / "st"), epochs=2, lr=2e-3, batch_size=32, max_length=64, seed=5,
                           loss="kl", freeze_layers=1)
    with pytest.raises(Killed):
        distill(config, extra_hooks=[KillAfter()])
    assert [r["epoch"] for r in read_metrics(tmp_path / "st")] == [1]
    distill(config)
    assert read_metrics(tmp_path / "st") == read_metrics(ner_student)


@pytest.mark.slow
def test_multi_source_weights(ner_student, ner_teacher, menyo_text, yor_files, data_dir, tmp_path, run_cli,
                              ner_threads):
    """Two teachers (the yor teacher and its distilled student, whose source text is Yoruba) with an
    English-text stand-in for teacher 1: similarity weights favour the Yoruba source on Yoruba text."""
    english = tmp_path / "en.conll"
    from augment.core import read_corpus, write_corpus

    write_corpus(read_corpus(data_dir / "conll2003_en" / "eng.train")[:300], english)
    base = ["distill", "--teacher", ner_teacher, "--teacher", ner_student, "--unlabeled", menyo_text["yo300"],
            "--epochs", "1", "--lr", "2e-3", "--batch-size", "32", "--max-length", "64", "--seed", "5"]
    code, out, err = run_cli("ner", [*base, "--out", tmp_path / "sim", "--weights", "similarity",
                                     "--source-text", english, "--source-text", yor_files["train"]])
    assert code == 0, err
    used = json.loads((tmp_path / "sim" / "distill_weights.json").read_text())
    assert used["weights"][1] > used["weights"][0] and used["lid_accuracy"] > 0.9
    assert "teacher weights (similarity)" in out and f"{used['weights'][1]:.4f}" in out

    code, out, err = run_cli("ner", [*base, "--out", tmp_path / "expl", "--weights", "0.9,0.1", "--loss", "kl",
                                     "--temperature", "2", "--hard-label-weight", "0.5"])
    assert code == 0, err
    assert json.loads((tmp_path / "expl" / "distill_weights.json").read_text())["weights"] == [0.9, 0.1]
    record = read_metrics(tmp_path / "expl")[0]
    assert record["loss"] == pytest.approx(record["distill"] + 0.5 * record["hard"], rel=1e-6)


def test_teachers_with_different_label_sets(tmp_path, run_cli, menyo_text):
    from ner.labels import LabelMap

    a, b = tmp_path / "a", tmp_path / "b"
    for d, types in ((a, ["PER", "LOC"]), (b, ["PER", "MISC"])):
        d.mkdir()
        LabelMap.from_types(types).save(d)
    code, _, err = run_cli("ner", ["distill", "--teacher", a, "--teacher", b, "--unlabeled", menyo_text["yo"],
                                   "--out", tmp_path / "o"])
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert err.startswith("error: teachers have different label sets") and "MISC" in err
