"""Wu et al. (2020) similarity weights on real text: the target's own language gets the weight."""

from __future__ import annotations

from augment.core import read_corpus
from ner.distill.weights import similarity_weights


def test_similarity_prefers_the_targets_language(tiny_bert, data_dir, menyo_text, ner_threads):
    english = read_corpus(data_dir / "conll2003_en" / "eng.train")[:300]
    yoruba = read_corpus(data_dir / "masakhaner1" / "yor" / "train.txt", repair=True)[:300]
    target_yo = read_corpus(menyo_text["yo"])[:300]
    target_en = read_corpus(menyo_text["en"])[:300]
    w_yo, info = similarity_weights(tiny_bert, [english, yoruba], target_yo, seed=0)
    assert info["lid_accuracy"] > 0.95
    assert abs(float(w_yo.sum()) - 1.0) < 1e-5
    assert w_yo[1] > 0.75  # Yoruba text -> the Yoruba-source teacher
    w_en, _ = similarity_weights(tiny_bert, [english, yoruba], target_en, seed=0)
    assert w_en[0] > 0.75  # English text -> the English-source teacher
    # a higher temperature smooths the weights towards uniform
    w_soft, _ = similarity_weights(tiny_bert, [english, yoruba], target_yo, temperature=20.0, seed=0)
    assert 0.5 < w_soft[1] < w_yo[1]
