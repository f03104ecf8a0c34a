"""Every real corpus in ../shared/data reads with the counts its README gives."""

from __future__ import annotations

import pytest

from augment.core import read_corpus, tags_to_spans
from augment.core.io import detect_format
from augment.core.stats import corpus_stats

# (path, sentences, tokens, B- starts) from the data READMEs
MASAKHANER = [
    ("masakhaner1/yor/train.txt", 2171, 56274, 2862),
    ("masakhaner1/yor/dev.txt", 305, 7115, 360),
    ("masakhaner1/yor/test.txt", 645, 19896, 1132),
    ("masakhaner1/hau/train.txt", 1912, 55010, 4143),
    ("masakhaner1/hau/dev.txt", 276, 8301, 667),
    ("masakhaner1/hau/test.txt", 552, 16841, 1147),
    ("masakhaner1/swa/train.txt", 2109, 56599, 4591),
    ("masakhaner1/swa/dev.txt", 300, 7263, 674),
    ("masakhaner1/swa/test.txt", 604, 15409, 1179),
    ("masakhaner2_yor/train.txt", 6876, 175835, 11590),
    ("masakhaner2_yor/dev.txt", 983, 22787, 995),
    ("masakhaner2_yor/test.txt", 1964, 45653, 2008),
]

# (path, sentences, tokens, entities) from conll2003_en/README.md (published counts)
CONLL = [
    ("conll2003_en/eng.train", 14041, 203621, 23499),
    ("conll2003_en/eng.testa", 3250, 51362, 5942),
    ("conll2003_en/eng.testb", 3453, 46435, 5648),
]


@pytest.mark.parametrize(("path", "n_sent", "n_tok", "n_b"), MASAKHANER)
def test_corpus_masakhaner_counts(data_dir, path, n_sent, n_tok, n_b):
    # lenient and with mark-only tokens kept apart: as in the file (MasakhaNER 2.0 yor train has 15)
    raw = read_corpus(data_dir / path, repair=False, scheme="iob1", join_marks=False)
    assert detect_format(data_dir / path) == "conll"
    assert len(raw) == n_sent
    assert sum(len(s.tokens) for s in raw) == n_tok
    assert sum(t.startswith("B-") for s in raw for t in s.tags) == n_b
    # Read as IOB2 with repair: every I- that opens an entity becomes B-, entities are unchanged.
    fixed = read_corpus(data_dir / path, repair=True, join_marks=False)
    i_opens = sum(len(tags_to_spans(s.tags)) for s in raw) - n_b
    assert sum(t.startswith("B-") for s in fixed for t in s.tags) == n_b + i_opens
    assert [s.spans for s in fixed] == [s.spans for s in raw]
    assert {sp.label for s in fixed for sp in s.spans} == {"PER", "ORG", "LOC", "DATE"}


@pytest.mark.parametrize(("path", "n_sent", "n_tok", "n_ent"), CONLL)
def test_corpus_conll2003_counts_and_iob1_to_iob2(data_dir, path, n_sent, n_tok, n_ent):
    iob1 = read_corpus(data_dir / path)
    stats = corpus_stats(iob1)
    assert (stats["sentences"], stats["tokens"], stats["entities_total"]) == (n_sent, n_tok, n_ent)
    iob2 = read_corpus(data_dir / path, to_scheme="iob2")
    assert sum(t.startswith("B-") for s in iob2 for t in s.tags) == n_ent  # one B- per entity
    assert [s.spans for s in iob2] == [s.spans for s in iob1]
    assert not any(t.startswith("I-") and (i == 0 or s.tags[i - 1][2:] != t[2:])
                   for s in iob2 for i, t in enumerate(s.tags))


def test_corpus_masakhaner_strict_iob2_names_the_line(data_dir):
    from augment.core.errors import DataError

    with pytest.raises(DataError) as err:
        read_corpus(data_dir / "masakhaner1/yor/train.txt")
    path, line = err.value.path, err.value.line
    with open(path, encoding="utf-8") as fh:
        bad = fh.read().splitlines()[line - 1]
    assert bad.split()[-1].startswith("I-")
    assert "repair" in str(err.value)


def test_corpus_europarl_counts(data_dir):
    for lang, n_tok, n_ent in [("en", 22320, 702), ("de", 20187, 693), ("es", 23279, 697), ("it", 21918, 693)]:
        s = corpus_stats(read_corpus(data_dir / f"europarl_ner_parallel/{lang}-europarl.test.conll02"))
        assert (s["sentences"], s["tokens"], s["entities_total"]) == (799, n_tok, n_ent)


def test_corpus_map_types_drops_misc_from_conll(data_dir):
    from augment.core.transform import map_types

    sents = read_corpus(data_dir / "conll2003_en/eng.testb")
    mapped = map_types(sents, keep={"PER", "ORG", "LOC"})
    before = corpus_stats(sents)["entities"]
    after = corpus_stats(mapped)["entities"]
    assert after == {k: v for k, v in before.items() if k != "MISC"}
    assert all(not t.endswith("MISC") for s in mapped for t in s.tags)
    renamed = map_types(sents, rename={"MISC": "O_MISC", "LOC": "GPE"}, keep={"GPE"})
    assert corpus_stats(renamed)["entities"] == {"GPE": before["LOC"]}
