"""Projection through alignments on hand-built cases with known answers, and identity on real CoNLL."""

import pytest

from augment.core.alignment import Alignment
from augment.core.errors import DataError
from augment.core.record import Span
from augment.project import ProjectionOptions, project_corpus, project_spans
from augment.project.spans import LinkStats


def _project(src, spans, tgt, links, **opts):
    return project_spans(src.split(), spans, tgt.split(), Alignment.from_links(links), ProjectionOptions(**opts))


def test_project_spans_reordering_and_one_to_many():
    src = "the European Parliament met Burtone"
    tgt = "el Parlamento Europeo se reunió con el señor Burtone"
    links = [(0, 0), (1, 2), (2, 1), (3, 3), (3, 4), (4, 8), (4, 7)]
    (org, per) = _project(src, [Span(1, 3, "ORG"), Span(4, 5, "PER")], tgt, links, identity=False)
    assert org.tgt == (1, 3) and org.status == "projected" and org.via == "align"
    # one source token to two target tokens: the span covers both
    assert per.tgt == (7, 9)
    # with identity on, the copied name wins over the alignment to "señor"
    (_, per) = _project(src, [Span(1, 3, "ORG"), Span(4, 5, "PER")], tgt, links)
    assert per.tgt == (8, 9) and per.via == "identity"


def test_project_spans_dropped_and_split_entities():
    src = "Mr Smith visited Oslo yesterday"
    tgt = "gestern besuchte Herr Schmidt die Stadt"
    # Oslo has no link and no copy in the target: dropped, not guessed
    (per, loc) = _project(src, [Span(0, 2, "PER"), Span(3, 4, "LOC")], tgt, [(0, 2), (1, 3), (2, 1), (4, 0)])
    assert per.tgt == (2, 4)
    assert (loc.tgt, loc.status, loc.reason) == (None, "dropped", "unaligned")
    # a split entity: links to tokens far apart -> the cluster with most links, not min..max
    src = "the United Nations Economic Commission said"
    tgt = "a Comissão Económica das Nações Unidas disse ontem que a Comissão"
    links = [(1, 5), (2, 4), (3, 2), (4, 1), (4, 10), (5, 6)]
    (org,) = _project(src, [Span(1, 5, "ORG")], tgt, links, identity=False, token_identity=False)
    assert org.tgt == (1, 6)


def test_project_spans_overlap_resolved_in_source_order():
    src = "Paris Hilton met Paris"
    tgt = "Paris Hilton traf Paris"
    # both source entities aligned onto the same target token 0
    links = [(0, 0), (1, 0), (3, 0)]
    per, loc = _project(src, [Span(0, 2, "PER"), Span(3, 4, "LOC")], tgt, links, identity=False,
                        token_identity=False)
    assert per.tgt == (0, 1)
    assert (loc.tgt, loc.reason) == (None, "overlap")
    # with identity the second "Paris" finds its own copy, not the taken one
    per, loc = _project(src, [Span(0, 2, "PER"), Span(3, 4, "LOC")], tgt, links)
    assert per.tgt == (0, 2) and loc.tgt == (3, 4)


def test_project_spans_dice_cleanup_trims_weak_article_and_extends():
    # corpus statistics: "States" links to "Stati" and "membri" often, to "gli" only by chance
    stats = LinkStats()
    for _ in range(5):
        stats.add(["Member", "States"], ["Stati", "membri"], Alignment(((0, 1), (1, 0))))
    for w in ["the", "of", "to", "a", "in", "is", "that", "we"]:
        stats.add([w], ["gli"], Alignment(((0, 0),)))
    src, tgt = ["Member", "States"], ["gli", "Stati", "membri"]
    (ent,) = project_spans(src, [Span(0, 2, "ORG")], tgt, Alignment(((1, 0), (1, 1))), stats=stats)
    assert ent.tgt == (1, 3)  # "gli" cut (weak), "membri" added (strong tie to "Member")
    (ent,) = project_spans(src, [Span(0, 2, "ORG")], tgt, Alignment(((1, 0), (1, 1))))  # no stats: no clean-up
    assert ent.tgt == (0, 2)


def test_project_identity_alignment_gives_back_source_tags(data_dir):
    from augment.core import read_corpus

    sentences = read_corpus(data_dir / "conll2003_en" / "eng.testa", to_scheme="iob2")[:400]
    records = [{"id": s.id, "lang": "en", "tokens": s.tokens,
                "src": {"id": s.id, "lang": "en", "tokens": s.tokens, "tags": s.tags}} for s in sentences]
    identity = [Alignment(tuple((i, i) for i in range(len(s.tokens))), len(s.tokens), len(s.tokens))
                for s in sentences]
    kept, dropped, report = project_corpus(records, identity, strategy="align")
    assert not dropped and report["entities_projected"] == report["entities_in"] > 500
    assert [p.target.tags for p in kept] == [s.tags for s in sentences]


def test_project_parallel_keeps_target_tokens_and_ids(data_dir):
    from augment.core import Sentence
    from augment.project import project_parallel

    src = [Sentence("e0", ["Mr", "Prodi", "spoke", "in", "Rome"], ["O", "B-PER", "O", "O", "B-LOC"], "en")]
    tgt = [Sentence("i0", ["Il", "signor", "Prodi", "ha", "parlato", "a", "Roma"], None, "it")]
    links = [Alignment(((0, 1), (1, 2), (2, 3), (2, 4), (3, 5), (4, 6)), 5, 7)]
    kept, dropped, report = project_parallel(src, tgt, alignments=links)
    (rec,) = [p.to_dict() for p in kept]
    assert rec["id"] == "i0" and rec["lang"] == "it" and rec["tokens"] == tgt[0].tokens
    assert rec["tags"] == ["O", "O", "B-PER", "O", "O", "O", "B-LOC"]
    assert [e["via"] for e in rec["projection"]["entities"]] == ["identity", "align"]
    assert rec["src"] == {"id": "e0", "lang": "en", "tokens": src[0].tokens, "tags": src[0].tags}
    with pytest.raises(DataError, match="1 source sentences but 2 target sentences"):
        project_parallel(src, tgt * 2, alignments=links)
