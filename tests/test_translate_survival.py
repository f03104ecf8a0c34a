"""Marker survival is counted per sentence with entities and per entity, never crediting a sentence
without entities as a survivor (issue 19: a report's 22.9% counted 179 such sentences among 229)."""

from __future__ import annotations

from augment.core import read_corpus
from augment.translate import summary, translate_corpus
from augment.translate.markers import MarkerSurvival, record_survival


def test_survival_sentences_without_entities_are_not_survivors():
    s = MarkerSurvival()
    for n_entities, ok in [(0, True)] * 179 + [(2, True)] * 50 + [(3, False)] * 698:
        s.add(n_entities, ok)
    assert (s.sentences, s.intact, s.entities, s.entities_carried, s.without_entities) == (748, 50, 2194, 100, 179)
    assert s.describe() == ("markers intact in 50 of 748 sentences with entities (6.7%), carrying 100 of 2,194 "
                            "entities (4.6%); 179 sentences without entities not counted")
    assert MarkerSurvival.from_counts(s.counts()) == s
    assert MarkerSurvival().describe() == "no sentence with entities to carry (0 without)"


def test_survival_of_real_translations_with_broken_markers(data_dir, copy_translator):
    """MasakhaNER yor dev through a translator that drops the first closing marker: every sentence
    with entities loses its markers, every one without keeps markers_ok and is not a survivor."""
    dev = read_corpus(data_dir / "masakhaner1" / "yor" / "dev.txt", repair=True, to_scheme="iob2")[:60]
    broken = copy_translator(lambda t: t.replace("]", "", 1))
    records = translate_corpus(dev, src="yo", tgt="en", backend=broken, show_progress=False)
    with_entities = [s for s in dev if s.spans]
    survival = record_survival(records)
    assert survival.sentences == len(with_entities) > 0 and survival.without_entities == len(dev) - len(with_entities)
    assert survival.entities == sum(len(s.spans) for s in dev)
    # a source holding '[' is translated without markers ('conflict'): that sentence fails too, so none survive
    assert survival.intact == survival.entities_carried == 0
    counts = summary(records)
    assert counts["markers_ok"] == len(dev) - len(with_entities)  # the old count: all of them entity-free
    assert counts["survival_with_entities"] == len(with_entities) and counts["survival_with_entities_intact"] == 0
    intact = record_survival(translate_corpus(dev, src="yo", tgt="en", backend=copy_translator(), show_progress=False))
    assert intact.sentence_rate > 0.9 and intact.entities_carried <= intact.entities
