"""ner.ensemble: entity voting and probability averaging, on hand-checkable cases and real files."""

from __future__ import annotations

import json

import pytest

from augment.core.errors import ConfigError, DataError
from augment.core.record import Sentence, Span
from ner.ensemble import average_tags, ensemble, score_against, vote_spans

TOKENS = ["Ade", "lọ", "sí", "Ìbàdàn", "ní", "Ọjọ́", "Ajé"]


def _s(tags: list[str], sid: str = "s1", **meta) -> Sentence:
    return Sentence(sid, list(TOKENS), tags, "yo", dict(meta))


def test_ensemble_vote_majority_and_threshold():
    a = _s(["B-PER", "O", "O", "B-LOC", "O", "B-DATE", "I-DATE"])
    b = _s(["B-PER", "O", "O", "B-ORG", "O", "O", "O"])
    c = _s(["B-PER", "O", "O", "B-LOC", "O", "O", "O"])
    (out,) = [x for x in ensemble([[a], [b], [c]])]
    # PER 3/3, LOC 2/3 kept; ORG 1/3 and DATE 1/3 dropped
    assert out.tags == ["B-PER", "O", "O", "B-LOC", "O", "O", "O"]
    (union,) = ensemble([[a], [b], [c]], threshold=0.3)
    # at 1/3 all pass; LOC (2 votes) beats the overlapping ORG (1 vote)
    assert union.tags == ["B-PER", "O", "O", "B-LOC", "O", "B-DATE", "I-DATE"]
    (unanimous,) = ensemble([[a], [b], [c]], threshold=1.0)
    assert unanimous.tags == ["B-PER", "O", "O", "O", "O", "O", "O"]


def test_ensemble_vote_weights_and_overlaps():
    # two systems disagree on the span of one entity; weights decide
    long = [Span(5, 7, "DATE")]
    short = [Span(6, 7, "DATE")]
    assert vote_spans([long, short], [2.0, 1.0], 0.3) == [Span(5, 7, "DATE")]
    assert vote_spans([long, short], [1.0, 2.0], 0.3) == [Span(6, 7, "DATE")]
    # equal votes: the longer span wins
    assert vote_spans([long, short], [1.0, 1.0], 0.5) == [Span(5, 7, "DATE")]
    # a system's duplicate proposal counts once
    assert vote_spans([long + long, []], [1.0, 1.0], 0.6) == []


def test_ensemble_probability_averaging():
    labels = ["B-PER", "I-PER", "O"]
    p1 = [[0.6, 0.0, 0.4], [0.0, 0.3, 0.7]]
    p2 = [[0.2, 0.0, 0.8], [0.0, 0.9, 0.1]]
    # mean: word 0 B-PER .4 / O .6 -> O; word 1 I-PER .6 -> a lenient I- opens an entity
    assert average_tags([(labels, p1), (labels, p2)], [1, 1], 3) == ["O", "B-PER", "O"]
    # system 1 weighted 4x: word 0 B-PER .52 > O .48; word 1 I-PER .42 < O .58
    assert average_tags([(labels, p1), (labels, p2)], [4, 1], 2) == ["B-PER", "O"]
    # different label sets: a missing label has probability 0
    assert average_tags([(["B-LOC", "O"], [[0.9, 0.1]]), (["O"], [[1.0]])], [1, 1], 1) == ["O"]
    a = _s(["O"] * 7, labels=labels, probs=[[0.9, 0.0, 0.1]] + [[0, 0, 1]] * 6)
    b = _s(["O"] * 7, labels=labels, probs=[[0.7, 0.0, 0.3]] + [[0, 0, 1]] * 6)
    (out,) = ensemble([[a], [b]], method="probs")
    assert out.tags[0] == "B-PER" and "probs" not in out.meta


def test_ensemble_errors_name_the_file():
    a, b = _s(["O"] * 7), _s(["O"] * 7)
    other = Sentence("s1", TOKENS[:-1], ["O"] * 6, "yo", line=4)
    with pytest.raises(DataError, match="b.conll:4: sentence s1: tokens differ"):
        ensemble([[a], [other]], names=["a.conll", "b.conll"])
    with pytest.raises(DataError, match="2 sentences"):
        ensemble([[a], [b, b]], names=["a", "b"])
    with pytest.raises(DataError, match="no saved probabilities"):
        ensemble([[a], [b]], method="probs")
    with pytest.raises(ConfigError, match="at least two"):
        ensemble([[a]])
    with pytest.raises(ConfigError, match="threshold"):
        ensemble([[a], [b]], threshold=0)


def test_ensemble_cli_on_real_files(tmp_path, data_dir, run_cli):
    """Three 'systems' made from MasakhaNER yor test gold: each loses a different entity type.
    Voting restores every entity two of them kept; the ensemble beats each system on F1."""
    from augment.core import read_corpus, write_corpus

    gold = read_corpus(data_dir / "masakhaner1" / "yor" / "test.txt", repair=True, to_scheme="iob2")[:200]
    paths = []
    for k, drop in enumerate(("PER", "ORG", "LOC")):
        damaged = [Sentence(s.id, s.tokens, [("O" if t.endswith("-" + drop) else t) for t in s.tags], s.lang)
                   for s in gold]
        paths.append(tmp_path / f"sys{k}.conll")
        write_corpus(damaged, paths[-1])
    out = tmp_path / "ens.jsonl"
    code, stdout, err = run_cli("ner", ["ensemble", *paths, out, "--gold", data_dir / "masakhaner1" / "yor" / "test.txt"])
    # --gold names the whole test file, which has more sentences: one line error, exit 1
    assert code == 1 and err.startswith("error: ") and err.count("\n") == 1
    assert not out.exists()
    gold_file = tmp_path / "gold.conll"
    write_corpus(gold, gold_file)
    code, stdout, err = run_cli("ner", ["ensemble", *paths, out, "--gold", gold_file])
    assert code == 0, err
    combined = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["tags"] for r in combined] == [s.tags for s in gold]
    scores = dict(line.split("\tF1 ") for line in stdout.strip().splitlines())
    assert float(scores["ensemble"]) == 1.0
    assert all(float(scores[str(p)]) < 1.0 for p in paths)
    systems = [read_corpus(p) for p in paths]
    assert score_against(gold, ensemble(systems, threshold=1.0))["recall"] < 1.0
