"""Scoring MT models: chrF/BLEU beside the copy baseline on NTREX-128, and marker survival on
CoNLL-2003 testa counted per entity and per sentence with entities."""

from __future__ import annotations

import pytest

from augment.core.errors import DataError
from augment.mt.evaluate import marker_survival, read_parallel, score_parallel
from tests.fixtures.translate import CopyTranslator


def test_ntrex_copy_baseline_and_a_copying_model(data_dir):
    ntrex = data_dir / "ntrex128"
    src, ref = read_parallel(ntrex / "newstest2019-src.eng.txt", ntrex / "newstest2019-ref.yor.txt")
    assert len(src) == len(ref) == 1997
    scores, outputs = score_parallel(CopyTranslator(), src[:60], ref[:60])
    # the figure issue 21 quotes for copying the source on the first 60 lines
    assert scores["copy_chrf"] == scores["chrf"] == pytest.approx(13.1, abs=0.05)
    assert scores["distinct_outputs"] == 60 and outputs[0] == src[0]
    empty, _ = score_parallel(CopyTranslator(lambda s: "ó"), src[:60], ref[:60])
    assert empty["chrf"] < 2 and empty["distinct_outputs"] == 1 and empty["copy_chrf"] == scores["copy_chrf"]
    back, _ = read_parallel(ntrex / "newstest2019-src.eng.txt", ntrex / "newstest2019-ref.yor.txt", swap=True)
    assert back == ref


def test_read_parallel_refuses_misaligned_files(data_dir, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("one\ntwo\n", encoding="utf-8")
    with pytest.raises(DataError, match="1997 lines here but 2"):
        read_parallel(data_dir / "ntrex128" / "newstest2019-src.eng.txt", short)


def test_marker_survival_per_entity_and_sentence(data_dir):
    testa = data_dir / "conll2003_en" / "eng.testa"
    kept, rows = marker_survival(CopyTranslator(), testa, src="en", tgt="yo", limit=200)
    assert kept["with_entities"] == 200 == kept["with_entities_intact"] and kept["per_entity"] == 1.0
    assert kept["entities"] == kept["entities_carried"] == sum(r["entities"] for r in rows) > 200
    assert "MISC" not in kept["types"] and rows[0]["source"].count("[") == rows[0]["entities"]

    def drop_last_close(text):  # the last entity of every sentence loses its closing marker
        i = text.rfind("]")
        return text[:i] + text[i + 1:]

    lost, _ = marker_survival(CopyTranslator(drop_last_close), testa, src="en", tgt="yo", limit=200)
    assert lost["with_entities_intact"] == 0 and lost["entities_carried"] == 0 and lost["issues"]
    assert lost["per_entity"] == 0.0 and "of 200 sentences with entities" in lost["describe"]
