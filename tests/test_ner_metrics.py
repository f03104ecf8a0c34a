"""Entity P/R/F1 equals seqeval's default mode, also on invalid (leniently decoded) sequences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

from augment.core import Span
from augment.core.metrics import entity_scores, format_table, restrict_spans

TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
sentence = st.lists(st.sampled_from(TAGS), min_size=1, max_size=12)


@st.composite
def gold_and_pred(draw):
    gold = draw(st.lists(sentence, min_size=1, max_size=6))
    pred = [draw(st.lists(st.sampled_from(TAGS), min_size=len(g), max_size=len(g))) for g in gold]
    return gold, pred


@settings(max_examples=150, deadline=None)
@given(gold_and_pred())
def test_scores_equal_seqeval_default_mode(pair):
    gold, pred = pair
    ours = entity_scores(gold, pred)
    assert ours["precision"] == pytest.approx(precision_score(gold, pred, zero_division=0))
    assert ours["recall"] == pytest.approx(recall_score(gold, pred, zero_division=0))
    assert ours["f1"] == pytest.approx(f1_score(gold, pred, zero_division=0))
    report = classification_report(gold, pred, output_dict=True, zero_division=0)
    for typ, s in ours["per_type"].items():
        assert s["f1"] == pytest.approx(report[typ]["f1-score"])
        assert s["support"] == report[typ]["support"]


def test_restricting_types_drops_them_on_both_sides():
    gold = [["B-PER", "I-PER", "O", "B-DATE", "I-DATE"]]
    pred = [["B-PER", "I-PER", "O", "B-DATE", "O"]]  # the DATE is wrong
    assert entity_scores(gold, pred)["f1"] == pytest.approx(0.5)
    only = entity_scores(gold, pred, types=["PER", "LOC"])
    assert only["f1"] == 1.0 and set(only["per_type"]) == {"PER"}
    renamed = entity_scores([["B-GPE"]], [["B-LOC"]], mapping={"GPE": "LOC"})
    assert renamed["f1"] == 1.0
    assert restrict_spans([Span(0, 1, "MISC")], mapping={"MISC": None}) == []


def test_table_lists_types_and_overall():
    table = format_table(entity_scores([["B-PER", "O"]], [["B-PER", "B-LOC"]]))
    lines = table.splitlines()
    assert lines[1].split()[0] == "LOC" and lines[2].split()[0] == "PER"
    assert lines[-1].split()[0] == "overall" and float(lines[-1].split()[3]) == pytest.approx(2 / 3, abs=1e-4)
