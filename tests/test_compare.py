"""``augment compare A B`` and ``project-labels --reference``: entity agreement between two labelings
of the same target tokens, on T-Projection's real Yoruba labels (issue 19)."""

from __future__ import annotations

import json

import pytest

from augment.compare import compare_files, compare_sentences
from augment.core import read_corpus, write_corpus
from augment.core.errors import DataError
from augment.core.record import Sentence


@pytest.fixture(scope="module")
def tproj_yor(data_dir):
    return data_dir / "conll2003_mt_tprojection" / "yor"


def test_compare_reference_against_itself_is_perfect(tproj_yor, run_cli):
    path = tproj_yor / "yor.tprojection.conll"
    code, out, err = run_cli("augment", ["compare", path, path, "--json"])
    assert code == 0, err
    result = json.loads(out)
    assert result["compared"] == 13986 and result["skipped"] == {"only_in_a": 0, "only_in_b": 0}
    assert result["scores"]["f1"] == 1.0 and set(result["scores"]["per_type"]) == {"PER", "ORG", "LOC"}
    assert [result["scores"]["per_type"][t]["support"] for t in ("PER", "ORG", "LOC")] == [6573, 6286, 7091]
    code, out, _ = run_cli("augment", ["compare", path, path, "--types", "PER"])
    assert code == 0 and "compared 13986 sentences (matched by id); none skipped; types PER" in out
    assert "overall" in out and "1.0000" in out and "LOC" not in out


def test_compare_perturbed_copy_scores_below_one_exactly(tproj_yor, tmp_path):
    ref = read_corpus(tproj_yor / "yor.tprojection.conll")
    perturbed, removed = [], 0
    for k, s in enumerate(ref):  # drop every LOC of the first 2,000 sentences: LOC recall falls, nothing else
        tags = list(s.tags)
        if k < 2000:
            removed += sum(sp.label == "LOC" for sp in s.spans)
            tags = ["O" if t.endswith("-LOC") else t for t in tags]
        perturbed.append(Sentence(s.id, s.tokens, tags, s.lang))
    write_corpus(perturbed, tmp_path / "a.conll")
    scores = compare_files(tmp_path / "a.conll", tproj_yor / "yor.tprojection.conll")["scores"]
    loc = scores["per_type"]["LOC"]
    assert removed > 0 and loc["precision"] == 1.0 and loc["recall"] == pytest.approx((7091 - removed) / 7091)
    assert scores["per_type"]["PER"]["f1"] == scores["per_type"]["ORG"]["f1"] == 1.0
    assert scores["f1"] < 1.0 and scores["recall"] == pytest.approx((6573 + 6286 + 7091 - removed) / 19950)


def test_compare_toolkit_projection_against_tprojection(tproj_yor, tmp_path, run_cli):
    """The toolkit's eflomal projection of the English gold onto 1,000 real translations, scored against
    T-Projection's labels of the same tokens, through ``project-labels --reference``."""
    en, yo = read_corpus(tproj_yor / "en.conll")[:1000], read_corpus(tproj_yor / "yor.tprojection.conll")[:1000]
    write_corpus(en, tmp_path / "en.conll")
    write_corpus(yo, tmp_path / "yo.conll")
    out = tmp_path / "yo.projected.jsonl"
    code, stdout, err = run_cli("augment", ["project-labels", "--source", tmp_path / "en.conll", "--target",
                                            tmp_path / "yo.conll", out, "--reference", tmp_path / "yo.conll"])
    assert code == 0, err
    report = json.loads((tmp_path / "yo.projected.jsonl.report.json").read_text())
    ref = report["reference"]
    assert ref["compared"] == report["sentences_kept"] and ref["skipped"]["only_in_b"] == report["sentences_dropped"]
    assert ref["types"] == ["LOC", "ORG", "PER"]  # the reference's types: English MISC is not counted against it
    assert 0.8 < ref["scores"]["f1"] < 1.0  # two projections of the same text agree, not perfectly (0.907 measured)
    assert f"entity F1 {ref['scores']['f1']:.4f}" in stdout
    assert "## Agreement with the reference" in (tmp_path / "yo.projected.jsonl.report.md").read_text()
    # the same numbers from `augment compare` on the kept output (matched by id, dropped ones skipped)
    again = compare_files(out, tmp_path / "yo.conll", types=["LOC", "ORG", "PER"])
    assert again["scores"] == ref["scores"] and again["skipped"]["only_in_b"] == report["sentences_dropped"]


def test_compare_tokens_must_match_one_line_error(tmp_path, run_cli):
    a = [Sentence("s0", ["Ade", "lọ"], ["B-PER", "O"]), Sentence("s1", ["Ìbàdàn", "ni"], ["B-LOC", "O"])]
    b = [Sentence("s0", ["Ade", "lọ"], ["B-PER", "O"]), Sentence("s1", ["Ibadan", "ni"], ["B-LOC", "O"])]
    write_corpus(a, tmp_path / "a.conll")
    write_corpus(b, tmp_path / "b.conll")
    code, out, err = run_cli("augment", ["compare", tmp_path / "a.conll", tmp_path / "b.conll"])
    assert code == 1 and out == ""
    assert err.strip() == (f"error: {tmp_path / 'a.conll'}:4: sentence a-1: tokens differ from "
                           f"{tmp_path / 'b.conll'}:4 (token 0: 'Ìbàdàn' vs 'Ibadan')")
    with pytest.raises(DataError, match="3 sentences but 2 in B, and neither file's sentence ids all occur"):
        compare_sentences(a + [Sentence("x", ["a"], ["O"])], [Sentence("y", ["a"], ["O"]), b[0]])
    code, _, err = run_cli("augment", ["compare", tmp_path / "a.conll", tmp_path / "b.conll", "--types", "DATE"])
    assert code == 1 and "DATE is not an entity type of the data" in err
