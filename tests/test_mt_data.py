"""MT training data from real files: CoNLL-2003 English paired with a real MT model's Yoruba
(markers from both sides' tags), mark-only tokens joined, test-set text kept out, MENYO's mixed
normalisation, the reverse direction."""

from __future__ import annotations

import unicodedata

import pytest

from augment.core.errors import ConfigError, DataError
from augment.mt.data import build_pairs
from augment.mt.sources import gather_pairs
from augment.mt.tagged import cut_after, tagged_pairs
from augment.translate import markers as mk


@pytest.fixture(scope="module")
def tp_yor(data_dir, tmp_path_factory):
    """The first 400 sentence pairs of conll2003_mt_tprojection/yor (English, Yoruba), as files."""
    folder = data_dir / "conll2003_mt_tprojection" / "yor"
    out = tmp_path_factory.mktemp("tp")
    paths = []
    for name in ("en.conll", "yor.tprojection.conll"):
        blocks = (folder / name).read_text("utf-8").split("\n\n")
        if blocks[0].startswith("-DOCSTART-"):
            blocks = blocks[1:]
        path = out / name
        path.write_text("\n\n".join(b.strip("\n") for b in blocks[:400] if b.strip()) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_tagged_pairs_mark_both_sides_on_real_translations(tp_yor):
    en, yo = tp_yor
    pairs, stats = tagged_pairs(en, yo)
    assert stats.pairs == 400 and len(pairs) == 400 - stats.empty
    assert stats.marks_joined > 100  # the real files split tone marks off (about 2.8 a sentence)
    assert not any(unicodedata.category(c) == "Mn" and (i == 0 or t[i - 1] == " ")
                   for p in pairs for t in (p.tgt,) for i, c in enumerate(t))
    marked = [p for p in pairs if p.n_spans]
    assert stats.marked == len(marked) > 200
    for p in marked:  # the same number of intact pairs on both sides, and markers only there
        for side in (p.src, p.tgt):
            parsed = mk.parse_markers(side, ["X"] * p.n_spans)
            assert parsed.ok, side
        assert "[" not in p.ref and "]" not in p.src_ref
    first = pairs[0]  # "EU rejects German call to boycott British lamb ." (MISC is not marked)
    assert first.src == "[EU] rejects German call to boycott British lamb."
    assert first.tgt.startswith("[EU] kò fara mọ́ ìkésíni ilẹ̀ Jámánì")
    back = first.swapped()
    assert (back.src, back.tgt, back.ref) == (first.tgt, first.src, "EU rejects German call to boycott British lamb.")


def test_tagged_pairs_need_as_many_sentences(tp_yor, tmp_path):
    en, yo = tp_yor
    short = tmp_path / "short.conll"
    short.write_text("\n\n".join(yo.read_text("utf-8").split("\n\n")[:10]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="400 sentences here but 10"):
        tagged_pairs(en, short)


def test_menyo_text_is_nfc_without_bom(data_dir):
    pairs, stats = build_pairs(data_dir / "menyo20k" / "train.tsv")
    assert stats.pairs == 10070 and len(pairs) == 10070
    assert all(unicodedata.is_normalized("NFC", p.tgt) and "\ufeff" not in p.tgt for p in pairs)
    raw = (data_dir / "menyo20k" / "train.tsv").read_text("utf-8")
    assert not unicodedata.is_normalized("NFC", raw)  # the file itself mixes both forms


def test_gather_pairs_drops_test_set_text(data_dir):
    """MENYO-20k train shares a few sentences (and 8-grams) with MasakhaNER 1.0 yor test: gone."""
    from augment.core.overlap import OverlapIndex

    test = data_dir / "masakhaner1" / "yor" / "test.txt"
    menyo = data_dir / "menyo20k" / "train.tsv"
    pairs, counts = gather_pairs([menyo], exclude=[test])
    overlap = counts["overlap"]
    assert overlap["dropped_exact"] >= 3 and 3 <= counts["overlap_dropped"] <= 20
    assert len(pairs) == 10070 - counts["marker_text_dropped"] - counts["overlap_dropped"]
    index = OverlapIndex.from_files([test])
    assert not any(index.match(p.src) or index.match(p.tgt) for p in pairs)


def test_gather_pairs_sources_and_errors(data_dir, tp_yor):
    en, yo = tp_yor
    pairs, counts = gather_pairs([], tagged_src=[en], tagged_tgt=[yo], swap=True,
                                 exclude=[data_dir / "masakhaner2_yor" / "test.txt"])
    assert counts["sources"][0]["pairs"] == 400
    assert len(pairs) == 400 - counts["overlap_dropped"] - counts["marker_text_dropped"]
    assert pairs[0].src.startswith("[EU] kò")  # reversed: Yoruba is the source
    with pytest.raises(ConfigError, match="--tagged-src given 1 times but --tagged-tgt 0"):
        gather_pairs([], tagged_src=[en])
    with pytest.raises(ConfigError, match="no training data"):
        gather_pairs([])


def test_fragment_joiner_rejoins_words_cut_at_tone_marks(data_dir, tp_yor):
    """MENYO-20k's Yoruba words decide which pieces cut at a mark form one word: the first real
    sentence comes back as written, with tags still one per token."""
    from augment.core.io import read_corpus
    from augment.mt.fragments import FragmentJoiner, lexicon

    pairs, _ = build_pairs(data_dir / "menyo20k" / "train.tsv")
    joiner = FragmentJoiner(lexicon(p.tgt for p in pairs))
    first = read_corpus(tp_yor[1])[0]  # the reader joined the 8 mark-only tokens to their words
    assert first.tokens_joined == 8 and " ".join(first.tokens).startswith("EU kò fara mọ́ ìkésíni ilẹ̀ Jámánì pé kí wọ́ n")
    tokens, tags, pieces = joiner(first.tokens, first.tags, cut_after(first))
    assert " ".join(tokens) == ("EU kò fara mọ́ ìkésíni ilẹ̀ Jámánì pé kí wọ́n pa ọ̀dọ́ àgùntàn ilẹ̀ Gẹ̀ẹ́sì tì .")
    assert pieces == 4 and tags[0] == "B-ORG" and len(tags) == len(tokens)
    # a join must make a known word, and never glues across an entity boundary
    assert joiner(["mọ́", "ìkésíni"], ["O", "O"], [True, False])[0] == ["mọ́", "ìkésíni"]
    assert joiner(["wọ́", "n"], ["O", "O"], [True, False])[0] == ["wọ́n"]
    assert joiner(["wọ́", "n"], ["O", "O"], [False, False])[0] == ["wọ́", "n"]
    assert joiner(["ilẹ̀", "Gẹ̀ẹ́sì"], ["O", "B-LOC"], [True, False])[0] == ["ilẹ̀", "Gẹ̀ẹ́sì"]
    with_joiner, stats = gather_pairs([data_dir / "menyo20k" / "train.tsv"], tagged_src=[tp_yor[0]],
                                      tagged_tgt=[tp_yor[1]])
    assert stats["sources"][1]["pieces_joined"] > 100
    first_pair = next(p for p in with_joiner if p.id.endswith(":yor.tprojection-0"))
    assert "kí wọ́n pa ọ̀dọ́ àgùntàn" in first_pair.tgt


def test_gather_pairs_leaves_out_plain_pairs_with_marker_strings(data_dir, tp_yor):
    """T-Projection's Yoruba sometimes adds a bracketed gloss; MENYO has a few brackets too: an
    unmarked pair holding '[' or ']' would teach the model stray markers."""
    pairs, counts = gather_pairs([data_dir / "menyo20k" / "train.tsv"], tagged_src=[tp_yor[0]], tagged_tgt=[tp_yor[1]])
    assert counts["marker_text_dropped"] > 0
    assert not any(not p.n_spans and ("[" in p.src + p.tgt or "]" in p.src + p.tgt) for p in pairs)
    assert sum(p.n_spans > 0 for p in pairs) == counts["sources"][1]["marked"]
    assert counts["marked"] == sum(p.n_spans > 0 for p in pairs)  # the total a report reads
