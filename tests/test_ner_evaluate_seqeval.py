"""``ner evaluate`` gives seqeval's numbers on real MasakhaNER test predictions; ``ner predict``."""

from __future__ import annotations

import json

import pytest
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

from augment.core import read_corpus


@pytest.fixture(scope="module")
def yor_test(data_dir, tmp_path_factory):
    from augment.core import write_corpus

    sents = read_corpus(data_dir / "masakhaner1" / "yor" / "test.txt", repair=True, to_scheme="iob2")[:250]
    path = tmp_path_factory.mktemp("yortest") / "test.conll"
    write_corpus(sents, path)
    return path


@pytest.mark.slow
def test_evaluate_equals_seqeval_on_predictions(ner_teacher, yor_test, run_cli, tmp_path, ner_threads):
    pred_path = tmp_path / "pred.jsonl"
    code, _, err = run_cli("ner", ["predict", ner_teacher, yor_test, pred_path])
    assert code == 0, err
    gold = [s.tags for s in read_corpus(yor_test)]
    pred = [s.tags for s in read_corpus(pred_path)]
    assert sum(t != "O" for p in pred for t in p) > 0
    code, out, err = run_cli("ner", ["evaluate", ner_teacher, yor_test, "--json"])
    assert code == 0, err
    scores = json.loads(out)
    assert scores["f1"] > 0.05
    assert scores["precision"] == pytest.approx(precision_score(gold, pred))
    assert scores["recall"] == pytest.approx(recall_score(gold, pred))
    assert scores["f1"] == pytest.approx(f1_score(gold, pred))
    report = classification_report(gold, pred, output_dict=True)
    assert set(scores["per_type"]) == {"DATE", "LOC", "ORG", "PER"}
    for typ, s in scores["per_type"].items():
        assert s["precision"] == pytest.approx(report[typ]["precision"])
        assert s["recall"] == pytest.approx(report[typ]["recall"])
        assert s["support"] == report[typ]["support"]

    code, out, _ = run_cli("ner", ["evaluate", ner_teacher, yor_test, "--json", "--types", "PER,ORG,LOC"])
    restricted = json.loads(out)
    no_date = [[t if not t.endswith("DATE") else "O" for t in s] for s in gold]
    no_date_pred = [[t if not t.endswith("DATE") else "O" for t in s] for s in pred]
    assert set(restricted["per_type"]) == {"LOC", "ORG", "PER"}
    assert restricted["f1"] == pytest.approx(f1_score(no_date, no_date_pred))

    code, table, _ = run_cli("ner", ["evaluate", ner_teacher, yor_test])
    assert code == 0 and table.splitlines()[-1].split()[0] == "overall"
    assert float(table.splitlines()[-1].split()[3]) == pytest.approx(scores["f1"], abs=5e-5)


@pytest.mark.slow
def test_predict_tags_plain_text(ner_teacher, data_dir, run_cli, tmp_path, ner_threads):
    lines = (data_dir / "menyo20k" / "dev.tsv").read_text("utf-8").splitlines()[1:31]
    text = tmp_path / "yo.txt"
    text.write_text("\n".join(line.split("\t")[1] for line in lines) + "\n", encoding="utf-8")
    out = tmp_path / "yo.tagged.conll"
    code, _, err = run_cli("ner", ["predict", ner_teacher, text, out, "--batch-size", "8"])
    assert code == 0, err
    tagged = read_corpus(out)
    assert len(tagged) == 30
    assert [s.tokens for s in tagged] == [line.split("\t")[1].split() for line in lines]
    assert all(len(s.tags) == len(s.tokens) for s in tagged)
