"""Bad input to ner train / evaluate / predict: one-line errors naming the problem, exit 1."""

from __future__ import annotations

import pytest


@pytest.fixture()
def empty_file(tmp_path):
    path = tmp_path / "empty.conll"
    path.write_text("\n\n", encoding="utf-8")
    return path


def one_line_error(code, err, *needles):
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_missing_model(run_cli, data_dir, tmp_path):
    dev = data_dir / "masakhaner1" / "yor" / "dev.txt"
    code, _, err = run_cli("ner", ["evaluate", tmp_path / "nope", dev, "--repair-tags"])
    one_line_error(code, err, "nope", "no such model directory")
    code, _, err = run_cli("ner", ["train", "--train", dev, "--repair-tags", "--model", tmp_path / "no-encoder",
                                   "--out", tmp_path / "o", "--epochs", "1"])
    one_line_error(code, err, "cannot load", "no-encoder", "no such model directory")


def test_empty_file(run_cli, empty_file, tmp_path, tiny_bert):
    code, _, err = run_cli("ner", ["train", "--train", empty_file, "--model", tiny_bert, "--out", tmp_path / "o"])
    one_line_error(code, err, str(empty_file), "empty file")


def test_invalid_tags_name_the_line(run_cli, data_dir, tmp_path, tiny_bert):
    # MasakhaNER yor train has an I- tag opening an entity: without --repair-tags it is an error
    code, _, err = run_cli("ner", ["train", "--train", data_dir / "masakhaner1" / "yor" / "train.txt",
                                   "--model", tiny_bert, "--out", tmp_path / "o"])
    one_line_error(code, err, "train.txt:", "--repair-tags")


@pytest.mark.slow
def test_label_set_mismatch(run_cli, ner_teacher, data_dir, ner_threads):
    europarl = data_dir / "europarl_ner_parallel" / "en-europarl.test.conll02"
    code, _, err = run_cli("ner", ["evaluate", ner_teacher, europarl])
    one_line_error(code, err, "label set mismatch", "MISC")
    code, out, err = run_cli("ner", ["evaluate", ner_teacher, europarl, "--types", "PER,ORG,LOC", "--json"])
    assert code == 0, err


def test_bad_option_values(run_cli, data_dir, tmp_path, tiny_bert):
    dev = data_dir / "masakhaner1" / "yor" / "dev.txt"
    code, _, err = run_cli("ner", ["train", "--train", dev, "--model", tiny_bert, "--out", tmp_path / "o",
                                   "--temperature", "0"])
    one_line_error(code, err, "--temperature")
