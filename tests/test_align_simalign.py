"""SimAlign on the tiny local encoder: the CLI end to end, matching properties, same links as the package."""

import json

import numpy as np
import pytest

from align.aligners.simalign import itermax, max_weight_matching, mutual_argmax


@pytest.fixture(scope="module")
def sample_pairs(data_dir, tmp_path_factory):
    base = data_dir / "align_gold_simalign_sample"
    eng = [line.split("\t", 1)[1].split() for line in (base / "sample_eng.txt").read_text().splitlines()]
    deu = [line.split("\t", 1)[1].split() for line in (base / "sample_deu.txt").read_text().splitlines()]
    path = tmp_path_factory.mktemp("sample") / "eng-deu.txt"
    path.write_text("".join(f"{' '.join(e)} ||| {' '.join(d)}\n" for e, d in zip(eng, deu)))
    return path, list(zip(eng, deu))


def test_align_simalign_cli_end_to_end(tmp_path, tiny_bert, sample_pairs, data_dir, run_cli):
    path, pairs = sample_pairs
    out = tmp_path / "links.jsonl"
    code, _, err = run_cli("align", ["run", path, out, "--method", "simalign", "--model", tiny_bert,
                                     "--layer", "2", "--matching", "argmax"])
    assert code == 0, err
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["src_len"], r["tgt_len"]) for r in recs] == [(len(e), len(d)) for e, d in pairs]
    assert all(r["alignment"] and r["method"] == "simalign" and r["matching"] == "argmax" for r in recs)
    code, stdout, err = run_cli("align", ["evaluate", out, data_dir / "align_gold_simalign_sample" /
                                          "sample_eng_deu.gold", "--pairs", path])
    assert code == 0, err
    assert stdout.startswith("pairs 5 ")
    code, _, err = run_cli("align", ["run", path, tmp_path / "x.txt", "--method", "simalign", "--model",
                                     tiny_bert, "--layer", "9"])
    assert code == 1 and "--layer 9 out of range" in err
    code, _, err = run_cli("align", ["run", path, tmp_path / "x.txt", "--method", "simalign", "--model",
                                     tmp_path / "no-such-model"])
    assert code == 1 and err.startswith("error: cannot load encoder")
    assert "no-such-model': no such model directory" in err and err.count("\n") == 1


def test_align_simalign_matching_properties(tiny_bert, sample_pairs):
    from align.aligners.simalign import SimAligner

    aligner = SimAligner(model=str(tiny_bert), layer=2)
    _, pairs = sample_pairs
    src = aligner.embed([e for e, _ in pairs])
    tgt = aligner.embed([d for _, d in pairs])
    added = 0
    for (s, _), (t, _) in zip(src, tgt):
        sim = (s @ t.T + 1) / 2
        arg = mutual_argmax(sim)
        for i, j in zip(*np.nonzero(arg)):
            assert sim[i].argmax() == j and sim[:, j].argmax() == i  # mutual best
        it = itermax(sim)
        assert (it | arg).sum() == it.sum()  # itermax keeps every argmax link
        added += it.sum() - arg.sum()
        mw = max_weight_matching(sim)
        assert mw.sum(0).max() == 1 and mw.sum(1).max() == 1 and mw.sum() == min(sim.shape)  # a matching
        assert sim[mw].sum() >= sim[arg].sum() - 1e-9  # argmax links are a matching too: mwmf weighs more
    assert added > 0


@pytest.mark.parametrize("matching, layer", [("argmax", 2), ("itermax", 1), ("mwmf", 2)])
def test_align_simalign_batched_matches_package(tiny_bert, sample_pairs, matching, layer):
    from align.aligners import get_aligner

    _, pairs = sample_pairs
    ours = get_aligner("simalign", model=str(tiny_bert), layer=layer, matching=matching).align(pairs)
    ref = get_aligner("simalign-package", model=str(tiny_bert), layer=layer, matching=matching).align(pairs)
    assert [a.links for a in ours] == [a.links for a in ref]


def test_align_run_resumes_after_a_kill(tmp_path, tiny_bert, sample_pairs, run_cli, monkeypatch):
    import align.api as run_module  # the resumable loop lives in the library
    from align.aligners.simalign import SimAligner

    path, pairs = sample_pairs
    args = ["run", path, None, "--method", "simalign", "--model", tiny_bert, "--layer", "2"]
    code, _, err = run_cli("align", [*args[:2], tmp_path / "clean.txt", *args[3:]])
    assert code == 0, err
    monkeypatch.setattr(run_module, "CHUNK", 2)
    calls = []
    die = [True]
    real_align = SimAligner.align

    def dying_align(self, batch):
        calls.append(len(batch))
        if die[0] and len(calls) == 2:
            die[0] = False
            raise KeyboardInterrupt
        return real_align(self, batch)

    monkeypatch.setattr(SimAligner, "align", dying_align)
    out = tmp_path / "links.txt"
    code, _, err = run_cli("align", [*args[:2], out, *args[3:]])
    assert code == 130 and not out.exists()
    assert len((tmp_path / "links.txt.partial.jsonl").read_text().splitlines()) == 2
    calls.clear()
    code, _, err = run_cli("align", [*args[:2], out, *args[3:]])
    assert code == 0 and "resuming after 2 pairs" in err
    assert calls == [2, 1]  # only the pairs not done before
    assert out.read_text() == (tmp_path / "clean.txt").read_text()
    assert not (tmp_path / "links.txt.partial.jsonl").exists()
