"""The data the viewers render (spans, pairs, links, statuses, counts), on real files."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from augment.core import read_corpus
from augment.core.errors import ConfigError
from augment.show.load import dropped_sidecar, load_view
from augment.show.model import (
    BASE_COLORS,
    detect_kind,
    filter_items,
    make_items,
    projection_item,
    translation_item,
    type_colors,
)
from tests.fixtures.show import translation_record

EUROPARL = "europarl_ner_parallel"


def test_corpus_view_counts_every_gold_entity(data_dir):
    path = data_dir / EUROPARL / "en-europarl.test.conll02"
    view = load_view(path)
    sentences = read_corpus(path)
    want = Counter(sp.label for s in sentences for sp in s.spans)
    assert view["kind"] == "corpus"
    assert view["counts"]["sentences"] == len(sentences) == 799
    assert view["counts"]["entities"] == dict(want)
    assert view["counts"]["entities_total"] == 702  # the README's count for en
    first = next(it for it in view["items"] if it["ents"])
    s = next(s for s in sentences if s.id == first["id"])
    assert [e[:3] for e in first["ents"]] == [list(sp) for sp in s.spans]
    assert all(e[3] == -1 for it in view["items"] for e in it["ents"])
    assert set(view["colors"]) == set(want)


def test_masakhaner_corpus_with_repair_and_type_filter(data_dir):
    path = data_dir / "masakhaner2_yor" / "dev.txt"
    view = load_view(path, repair=True, filters=["type=DATE"], limit=7)
    assert view["kind"] == "corpus" and len(view["items"]) == 7
    assert all(any(e[2] == "DATE" for e in it["ents"]) for it in view["items"])
    assert view["total"] == len(read_corpus(path, repair=True))


def test_projection_items_follow_the_records(europarl_projection):
    path, records = europarl_projection
    assert dropped_sidecar(path) is not None
    view = load_view(path)
    assert view["kind"] == "projection"
    by_id = {r["id"]: r for r in records}
    assert sorted(it["id"] for it in view["items"]) == sorted(by_id)
    for it in view["items"]:
        rec = by_id[it["id"]]
        ents = rec["projection"]["entities"]
        assert it["status"] == ("kept" if rec["projection"]["kept"] else "dropped")
        assert it["filter"] == rec["projection"]["filter"]
        assert [p["status"] for p in it["pairs"]] == [e["status"] for e in ents]
        assert [e[:3] for e in it["src"]["ents"]] == [e["src"] for e in ents]
        # a projected entity appears on the target side with its source's pair number and type
        for p, e in zip(it["pairs"], ents):
            if e["tgt"] is None:
                assert not any(t[3] == p["k"] for t in it["tgt"]["ents"])
            else:
                assert [e["tgt"][0], e["tgt"][1], e["src"][2], p["k"]] in it["tgt"]["ents"]
        assert it["links"] == sorted(rec["alignment"])
    counts = view["counts"]
    assert counts["status"] == dict(Counter("kept" if r["projection"]["kept"] else "dropped" for r in records))
    assert counts["entity_status"] == dict(
        Counter(e["status"] for r in records for e in r["projection"]["entities"]))
    assert counts["entities_total"] == sum(len(r["projection"]["entities"]) for r in records)
    # without the sidecar only the kept sentences are there
    kept_only = load_view(path, include_dropped=False)
    assert {it["status"] for it in kept_only["items"]} == {"kept"}


def test_projection_filters(europarl_projection):
    path, records = europarl_projection
    dropped = load_view(path, filters=["dropped"])
    want = {r["id"] for r in records if not r["projection"]["kept"]
            or any(e["status"] == "dropped" for e in r["projection"]["entities"])}
    assert {it["id"] for it in dropped["items"]} == want
    kept = load_view(path, filters=["kept"])
    assert {it["id"] for it in kept["items"]} == {r["id"] for r in records if r["projection"]["kept"]}
    org_dropped = load_view(path, filters=["type=ORG", "status=dropped"])
    assert org_dropped["items"]
    assert all(any(e[2] == "ORG" for e in it["src"]["ents"]) for it in org_dropped["items"])
    assert all(any(p["status"] == "dropped" for p in it["pairs"]) for it in org_dropped["items"])
    word = load_view(path, filters=["text=Parlament"])
    assert word["items"] and all("Parlament" in it["tgt"]["tokens"] for it in word["items"])


def test_bad_links_are_dropped_with_a_note(europarl_projection):
    path, _ = europarl_projection
    s = read_corpus(path)[0]
    n_src, n_tgt = len(s.meta["src"]["tokens"]), len(s.tokens)
    s.meta["alignment"] = [[0, 0], [n_src, 0], [0, n_tgt], "x", [1, 1]]
    it = projection_item(s)
    assert it["links"] == [[0, 0], [1, 1]]
    assert it["notes"] == ["3 alignment link(s) out of range ignored"]


def test_translation_items_pair_spans_by_type_and_order(data_dir, tmp_path):
    en = read_corpus(data_dir / EUROPARL / "en-europarl.test.conll02")[:40]
    de = read_corpus(data_dir / EUROPARL / "de-europarl.test.conll02")[:40]
    recs = [translation_record(f"t{k}", s, t, markers_ok=k % 5 != 0) for k, (s, t) in enumerate(zip(en, de))]
    path = tmp_path / "de.translated.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    sentences = read_corpus(path)
    assert detect_kind(sentences) == "translation"
    items = make_items(sentences, "translation")
    for it, s, t in zip(items, en, de):
        assert [e[:3] for e in it["src"]["ents"]] == [list(sp) for sp in s.spans]
        # every German gold span is shown, paired with an English entity of its type when one is left
        assert sorted(e[:3] for e in it["tgt"]["ents"]) == sorted(list(sp) for sp in t.spans)
        for p in it["pairs"]:
            if p["tgt"] is not None:
                assert [*p["tgt"], p["type"], p["k"]] in it["tgt"]["ents"]
    assert Counter(it["status"] for it in items) == {"markers ok": 32, "markers broken": 8}
    broken = filter_items(items, ["markers=broken"])
    assert len(broken) == 8 and all(it["notes"] == ["marker [1] missing"] for it in broken)


def test_translation_span_with_explicit_source_index(data_dir):
    en = read_corpus(data_dir / EUROPARL / "en-europarl.test.conll02")
    s = next(x for x in en if len({sp.label for sp in x.spans}) == 1 and len(x.spans) >= 2)
    rec = translation_record("x", s, s)
    a, b, typ = s.spans[0]
    c, d, _ = s.spans[1]
    rec["spans"] = [[c, d, typ, 0], [a, b, typ, 1]]  # reordered in the target, indices say so
    from augment.core import Sentence

    sent = Sentence(id="x", tokens=rec["tokens"], lang="de", meta={k: v for k, v in rec.items()
                                                                   if k not in ("id", "lang", "tokens", "tags")})
    it = translation_item(sent)
    assert it["pairs"][0]["tgt"] == [c, d] and it["pairs"][1]["tgt"] == [a, b]


@pytest.mark.parametrize("spec", ["nonsense", "type=", "markers=maybe", "status"])
def test_unknown_filter_is_a_config_error(spec):
    with pytest.raises(ConfigError, match="unknown filter"):
        filter_items([], [spec])


def test_type_colors_are_stable_and_distinct():
    cols = type_colors(["PER", "LOC", "ORG", "MISC", "DATE", "X-UNKNOWN"])
    assert cols == type_colors(["X-UNKNOWN", "DATE", "MISC", "ORG", "LOC", "PER"])
    assert {cols[t] for t in ("PER", "LOC", "ORG", "MISC")} == {BASE_COLORS[t] for t in ("PER", "LOC", "ORG", "MISC")}
    assert len({cols[t] for t in ("PER", "LOC", "ORG", "MISC")}) == 4
    assert cols["X-UNKNOWN"].startswith("#")


def test_plain_translation_has_no_pairs(data_dir):
    from augment.core import Sentence

    en = read_corpus(data_dir / EUROPARL / "en-europarl.test.conll02")
    s = next(x for x in en if x.spans)
    meta = {"src": {"id": s.id, "lang": "en", "tokens": s.tokens, "tags": s.tags}, "method": "plain",
            "text": " ".join(s.tokens), "mt": {}}
    it = translation_item(Sentence(id=s.id, tokens=list(s.tokens), lang="de", meta=meta))
    assert it["pairs"] == [] and it["status"] is None
    assert [e[:3] for e in it["src"]["ents"]] == [list(sp) for sp in s.spans]
    assert all(e[3] == -1 for e in it["src"]["ents"]) and it["tgt"]["ents"] == []
