"""AER against gold with sure and possible links: a hand-computed case, the CLI, bad input."""

import json

import pytest

from align.evaluate import Gold, read_gold, score
from augment.core.alignment import Alignment


def test_align_evaluate_hand_computed_aer():
    # S = {0-0, 1-1}, P = S + {1-2}; A = {0-0, 1-2, 2-2}
    gold = [Gold({(0, 0), (1, 1)}, {(0, 0), (1, 1), (1, 2)})]
    pred = [Alignment(((0, 0), (1, 2), (2, 2)))]
    r = score(pred, gold)
    # |A∩S| = 1, |A∩P| = 2, |A| = 3, |S| = 2 -> AER = 1 - 3/5
    assert r["precision"] == pytest.approx(2 / 3)
    assert r["recall"] == pytest.approx(1 / 2)
    assert r["aer"] == pytest.approx(0.4)


def test_align_evaluate_simalign_sample_gold(tmp_path, data_dir, run_cli):
    gold_path = data_dir / "align_gold_simalign_sample" / "sample_eng_deu.gold"
    gold = read_gold(gold_path)
    assert len(gold) == 5 and (0, 0) in gold[0].sure and (19, 25) in gold[2].possible
    # predicting exactly the sure links: precision 1, recall 1, AER 0
    (tmp_path / "sure.txt").write_text("\n".join(" ".join(f"{i}-{j}" for i, j in sorted(g.sure)) for g in gold) + "\n")
    code, out, err = run_cli("align", ["evaluate", tmp_path / "sure.txt", gold_path, "--json", tmp_path / "s.json"])
    assert code == 0, err
    assert "AER 0.0000" in out
    assert json.loads((tmp_path / "s.json").read_text())["links_sure"] == sum(len(g.sure) for g in gold)
    # one wrong link per sentence: hand-computed AER over the corpus
    (tmp_path / "off.txt").write_text("\n".join("0-0 0-1" for _ in gold) + "\n")
    code, out, err = run_cli("align", ["evaluate", tmp_path / "off.txt", gold_path, "--json", tmp_path / "o.json"])
    r = json.loads((tmp_path / "o.json").read_text())
    a_s = sum((0, 0) in g.sure for g in gold) + sum((0, 1) in g.sure for g in gold)
    a_p = sum((0, 0) in g.possible for g in gold) + sum((0, 1) in g.possible for g in gold)
    assert r["aer"] == pytest.approx(1 - (a_s + a_p) / (10 + r["links_sure"]))


def test_align_evaluate_errors_are_one_line(tmp_path, data_dir, run_cli):
    gold = data_dir / "align_gold_awesome" / "enfr.gold"
    (tmp_path / "short.txt").write_text("0-0\n")
    code, _, err = run_cli("align", ["evaluate", tmp_path / "short.txt", gold, "--gold-index-base", "1"])
    assert code == 1 and err.startswith("error: ") and "1 predicted alignments but 447 gold lines" in err
    # the 1-based gold read as 0-based reaches past the sentence ends
    pairs = data_dir / "align_gold_awesome" / "enfr.src-tgt"
    (tmp_path / "empty.txt").write_text("\n" * 447)
    code, _, err = run_cli("align", ["evaluate", tmp_path / "empty.txt", gold, "--pairs", pairs])
    assert code == 1 and "enfr.gold:1: link 2-2 (0-based) out of range for a pair of 2 and 2 tokens" in err
    code, out, err = run_cli("align", ["evaluate", tmp_path / "empty.txt", gold, "--pairs", pairs,
                                       "--gold-index-base", "1"])
    assert code == 0 and "recall 0.0000" in out


def test_align_evaluate_empty_or_missing_file_is_an_error(tmp_path, data_dir, run_cli):
    gold = data_dir / "align_gold_awesome" / "enfr.gold"
    (tmp_path / "none.txt").write_text("")
    for args, message in (([tmp_path / "none.txt", gold], "none.txt: empty file: no alignments"),
                          ([gold, tmp_path / "none.txt"], "none.txt: empty file: no alignments"),
                          ([tmp_path / "missing.txt", gold], "missing.txt: no such file")):
        code, out, err = run_cli("align", ["evaluate", *args])
        assert (code, out) == (1, "") and err.count("\n") == 1 and err.startswith("error: ") and message in err
