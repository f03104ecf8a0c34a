"""Projection over records: markers, markers+align fallback, filters, report, the CLI and its errors."""

import json

import pytest

from augment.core.alignment import Alignment
from augment.core.errors import ConfigError
from augment.project import parse_filters
from augment.project import project_corpus as _project_corpus


@pytest.fixture()
def records(make_record):
    return [
        # markers intact: the two PER markers are taken in order
        make_record("m1", ["Mr", "Smith", "met", "Ms", "Jones", "in", "Oslo"],
                    ["O", "B-PER", "O", "O", "B-PER", "O", "B-LOC"],
                    ["Herr", "Smith", "traf", "Frau", "Jones", "in", "Oslo"],
                    spans=[[1, 2, "PER"], [4, 5, "PER"], [6, 7, "LOC"]]),
        # a marker lost in translation: LOC has no span
        make_record("m2", ["Smith", "visited", "Oslo"], ["B-PER", "O", "B-LOC"],
                    ["Smith", "besuchte", "die", "Stadt"], spans=[[0, 1, "PER"]]),
        # no markers (plain translation): goes through the alignment
        make_record("p1", ["the", "European", "Commission", "agreed"], ["O", "B-ORG", "I-ORG", "O"],
                    ["die", "Europäische", "Kommission", "stimmte", "zu"]),
    ]


def project_corpus(*args, **kw):
    """The projection as JSONL dicts (what OUT holds), to compare with documented shapes."""
    kept, dropped, report = _project_corpus(*args, **kw)
    return [p.to_dict() for p in kept], [p.to_dict() for p in dropped], report


ALIGN = [None, None, Alignment(((0, 0), (1, 1), (2, 2), (3, 3), (3, 4)), 4, 5)]


def test_project_markers_and_fallback_to_alignment(records):
    alignments = [Alignment((), 7, 7), Alignment((), 3, 4), ALIGN[2]]
    kept, dropped, report = project_corpus(records, alignments, strategy="markers+align")
    assert [r["id"] for r in kept] == ["m1", "p1"] and [r["id"] for r in dropped] == ["m2"]
    m1, p1 = kept
    assert m1["tags"] == ["O", "B-PER", "O", "O", "B-PER", "O", "B-LOC"]
    assert m1["projection"]["strategy"] == "markers" and "alignment" not in m1
    assert p1["tags"] == ["O", "B-ORG", "I-ORG", "O", "O"] and p1["projection"]["strategy"] == "align"
    assert p1["alignment"][0] == [0, 0] and p1["src"]["tags"] == ["O", "B-ORG", "I-ORG", "O"]
    assert p1["mt"] == {"backend": "test"}  # other keys of the record are kept
    (m2,) = dropped
    assert m2["projection"]["kept"] is False and m2["projection"]["filter"] == "unaligned_entity"
    assert m2["projection"]["entities"][1] == {"src": [2, 3, "LOC"], "tgt": None, "status": "dropped",
                                               "reason": "marker_missing", "via": "markers"}
    assert report["filters"]["unaligned_entity"] == 1 and report["entity_drop_reasons"] == {"marker_missing": 1}
    assert report["by_type"]["PER"] == {"in": 3, "projected": 3, "kept": 2}
    assert report["examples"]["marker_missing"][0]["src"] == "[PER Smith ] visited [LOC Oslo ]"
    # markers only: the plain record has nothing to project through and needs no alignment
    with pytest.raises(ConfigError, match="needs an alignment"):
        project_corpus(records, None, strategy="align")


def test_project_filters_thresholds(make_record):
    rec = make_record("r", ["a", "b", "c", "d", "Big", "Name"], ["O", "O", "O", "O", "B-ORG", "I-ORG"],
                      ["w", "x", "y", "z", "v", "u", "t", "s", "q"])
    # the 2-token entity lands on 7 tokens (ratio 3.5) and only 2 of 6 source tokens are aligned
    al = [Alignment(((4, 1), (4, 3), (5, 5), (5, 7)), 6, 9)]
    opts = dict(strategy="align")
    _, dropped, _ = project_corpus([rec], al, **opts)
    assert dropped[0]["projection"]["filter"] == "span_ratio"
    kept, _, _ = project_corpus([rec], al, filters=parse_filters([], ["span_ratio=4"]), **opts)
    assert kept  # 2/6 aligned source tokens is above the default coverage 0.3
    _, dropped, _ = project_corpus([rec], al, filters=parse_filters([], ["span_ratio=4", "coverage=0.5"]), **opts)
    assert dropped[0]["projection"]["filter"] == "coverage"
    kept, _, _ = project_corpus([rec], al, filters=parse_filters(["all"]), **opts)
    assert kept
    with pytest.raises(ConfigError):
        parse_filters(["length"])
    with pytest.raises(ConfigError):
        parse_filters([], ["coverage=high"])


def test_project_labels_cli_writes_kept_dropped_and_report(tmp_path, records, run_cli):
    from augment.core import read_corpus

    inp = tmp_path / "tr.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in records))
    (tmp_path / "links.txt").write_text("\n\n0-0 1-1 2-2 3-3 3-4\n")
    out = tmp_path / "proj.jsonl"
    code, _, err = run_cli("augment", ["project-labels", inp, out, "--alignments", tmp_path / "links.txt"])
    assert code == 0, err
    kept = read_corpus(out)
    assert [s.id for s in kept] == ["m1", "p1"] and kept[1].tags == ["O", "B-ORG", "I-ORG", "O", "O"]
    assert kept[1].meta["projection"]["entities"][0]["tgt"] == [1, 3]
    dropped = [json.loads(line) for line in (tmp_path / "proj.jsonl.dropped.jsonl").read_text().splitlines()]
    assert [d["id"] for d in dropped] == ["m2"]
    report = json.loads((tmp_path / "proj.jsonl.report.json").read_text())
    assert (report["sentences_in"], report["sentences_kept"], report["entities_in"]) == (3, 2, 6)
    md = (tmp_path / "proj.jsonl.report.md").read_text()
    assert "| PER | 3 | 3 | 2 |" in md and "| unaligned_entity | — | 1 |" in md
    # CoNLL output keeps exactly the target tokens
    code, _, err = run_cli("augment", ["project-labels", inp, tmp_path / "proj.conll", "--alignments",
                                       tmp_path / "links.txt", "--no-filter", "all"])
    assert code == 0, err
    assert [s.tokens for s in read_corpus(tmp_path / "proj.conll")] == [r["tokens"] for r in records]


def test_project_labels_cli_errors(tmp_path, records, run_cli):
    inp = tmp_path / "tr.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in records))
    (tmp_path / "two.txt").write_text("0-0\n0-0\n")
    code, _, err = run_cli("augment", ["project-labels", inp, tmp_path / "o.jsonl", "--alignments", tmp_path / "two.txt"])
    assert code == 1 and "two.txt: 2 alignments but 3 records" in err
    (tmp_path / "far.txt").write_text("\n\n0-9\n")
    code, _, err = run_cli("augment", ["project-labels", inp, tmp_path / "o.jsonl", "--alignments", tmp_path / "far.txt"])
    assert code == 1 and "alignment link 0-9 out of range" in err
    (tmp_path / "bad.jsonl").write_text(json.dumps(records[0]) + "\n{not json\n")
    code, _, err = run_cli("augment", ["project-labels", tmp_path / "bad.jsonl", tmp_path / "o.jsonl"])
    assert code == 1 and "bad.jsonl:2: invalid JSON" in err
    code, _, err = run_cli("augment", ["project-labels", "--source", inp, tmp_path / "o.jsonl"])
    assert code == 1 and "needs both --source and --target" in err
    code, _, err = run_cli("augment", ["project-labels", tmp_path / "missing.jsonl", tmp_path / "o.jsonl"])
    assert code == 1 and err == f"error: {tmp_path / 'missing.jsonl'}: no such file\n"
    (tmp_path / "src.conll").write_text("EU B-ORG\nrejects O\n\nGerman B-MISC\n\n")
    (tmp_path / "tgt.txt").write_text("EU lehnt ab\n")
    code, _, err = run_cli("augment", ["project-labels", "--source", tmp_path / "src.conll", "--target",
                                       tmp_path / "tgt.txt", tmp_path / "o.jsonl"])
    assert code == 1 and err.count("\n") == 1
    assert "tgt.txt: 1 target sentences but 2 source sentences in " in err and "src.conll" in err
    assert not (tmp_path / "o.jsonl").exists()


def test_project_labels_cli_parallel_text_with_eflomal(tmp_path, europarl, run_cli):
    from augment.core import read_corpus, write_corpus

    en, de = europarl["en"][:60], europarl["de"][:60]
    write_corpus(en, tmp_path / "en.conll")
    (tmp_path / "de.txt").write_text("".join(" ".join(s.tokens) + "\n" for s in de), encoding="utf-8")
    out = tmp_path / "de.proj.jsonl"
    code, _, err = run_cli("augment", ["project-labels", "--source", tmp_path / "en.conll", "--target",
                                       tmp_path / "de.txt", out, "--tgt-lang", "de", "--seed", "1"])
    assert code == 0, err
    kept = read_corpus(out)
    dropped = (tmp_path / "de.proj.jsonl.dropped.jsonl").read_text().splitlines()
    assert len(kept) + len(dropped) == 60 and len(kept) > 40
    assert all(s.tokens == de[int(s.id.rsplit("-", 1)[1])].tokens for s in kept)
    side = tmp_path / "de.proj.jsonl.alignments.jsonl"
    assert len(side.read_text().splitlines()) == 60  # cached for a rerun
    # projected spans hit the German gold more often than not
    gold = {s.id.rsplit("-", 1)[1]: set(s.spans) for s in de}
    pred = [(s.id.rsplit("-", 1)[1], sp) for s in kept for sp in s.spans]
    assert sum(sp in gold[i] for i, sp in pred) > 0.6 * len(pred)


def test_project_labels_cli_parallel_text_with_simalign(tmp_path, europarl, tiny_bert, run_cli):
    from augment.core import read_corpus, write_corpus

    en, es = europarl["en"][:6], europarl["es"][:6]
    write_corpus(en, tmp_path / "en.jsonl")
    write_corpus(es, tmp_path / "es.conll")  # a tagged target: its tags are ignored
    out = tmp_path / "es.proj.jsonl"
    code, _, err = run_cli("augment", ["project-labels", "--source", tmp_path / "en.jsonl", "--target",
                                       tmp_path / "es.conll", out, "--aligner", "simalign", "--model", tiny_bert,
                                       "--layer", "2", "--no-filter", "all"])
    assert code == 0, err
    kept = read_corpus(out)
    assert [s.tokens for s in kept] == [s.tokens for s in es]
    side = (tmp_path / "es.proj.jsonl.alignments.jsonl").read_text().splitlines()
    assert len(side) == 6 and all(json.loads(line)["method"] == "simalign" for line in side)
    # every English entity is accounted for: projected or dropped with a reason
    for s, e in zip(kept, en):
        ents = s.meta["projection"]["entities"]
        assert [tuple(x["src"]) for x in ents] == [tuple(sp) for sp in e.spans]
        assert all((x["tgt"] is None) == (x["reason"] is not None) for x in ents)


def test_project_markers_reordered_same_type_matched_by_surface(make_record):
    rec = make_record("r", ["Smith", "and", "Jones", "met"], ["B-PER", "O", "B-PER", "O"],
                      ["Jones", "und", "Smith", "trafen", "sich"], spans=[[0, 1, "PER"], [2, 3, "PER"]])
    rec["marker_issues"] = ["reordered"]
    kept, _, _ = project_corpus([rec], None, strategy="markers")
    ents = kept[0]["projection"]["entities"]
    assert [(e["src"][0], e["tgt"]) for e in ents] == [(0, [2, 3]), (2, [0, 1])]
    rec["marker_issues"] = []  # not reordered: source order
    kept, _, _ = project_corpus([rec], None, strategy="markers")
    assert [e["tgt"] for e in kept[0]["projection"]["entities"]] == [[0, 1], [2, 3]]
