"""augment train-mt: marker-aware MT training on MENYO-20k / MasakhaNER slices with tiny models."""

from __future__ import annotations

import json

import pytest

from augment.core.errors import ConfigError
from augment.mt import TrainMTOptions, train_mt
from augment.mt.data import build_pairs, split_dev
from augment.mt.sources import gather_pairs

TINY = {"scratch": True, "vocab_size": 500, "d_model": 64, "layers": 1, "heads": 2, "ffn_dim": 128,
        "max_length": 32, "lr": 3e-3}


def _copies(path, sentences) -> None:
    """Span records whose target is a copy of the source (both sides tagged)."""
    with open(path, "w", encoding="utf-8") as fh:
        for s in sentences:
            fh.write(json.dumps({"id": s.id, "tokens": s.tokens, "tags": s.tags,
                                 "src": {"tokens": s.tokens, "tags": s.tags}}, ensure_ascii=False) + "\n")


def test_mt_data_markers_on_both_sides(tmp_path):
    rec = {"id": "p1", "tokens": ["Ade", "lọ", "sí", "Èkó"], "tags": ["B-PER", "O", "O", "B-LOC"],
           "src": {"tokens": ["Ade", "went", "to", "Lagos"], "tags": ["B-PER", "O", "O", "B-LOC"]}}
    bad = {"id": "p2", "tokens": ["Ade", "lọ"], "tags": ["B-PER", "O"],
           "src": {"tokens": ["Ade", "went", "to", "Lagos"], "tags": ["B-PER", "O", "O", "B-LOC"]}}
    spans = tmp_path / "spans.jsonl"
    spans.write_text("".join(json.dumps(r) + "\n" for r in (rec, bad)), encoding="utf-8")
    pairs_file = tmp_path / "pairs.jsonl"
    pairs_file.write_text(spans.read_text("utf-8") + json.dumps({**rec, "id": "p3"}) + "\n", encoding="utf-8")
    pairs, stats = build_pairs(pairs_file, markers=spans)
    assert [p.src for p in pairs] == ["[Ade] went to [Lagos]", "Ade went to Lagos", "Ade went to Lagos"]
    assert [p.tgt for p in pairs] == ["[Ade] lọ sí [Èkó]", "Ade lọ", "Ade lọ sí Èkó"]
    assert [p.n_spans for p in pairs] == [2, 0, 0] and pairs[0].ref == "Ade lọ sí Èkó"
    assert (stats.marked, stats.count_mismatch, stats.no_record) == (1, 1, 1)
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({**rec, "id": "zzz"}) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no pair .* got markers"):
        build_pairs(pairs_file, markers=other)


def test_mt_train_loss_falls_and_translates(tmp_path, menyo_pairs, run_cli, torch_one_thread, ct2_cache):
    """A tiny scratch model on 300 MENYO pairs: the epoch loss falls, held-out chrF/BLEU are
    reported, and OUT is used by `augment translate` with both backends."""
    out = tmp_path / "mt"
    summary = train_mt(menyo_pairs, out, TrainMTOptions(src="en", tgt="yo", epochs=3, batch_size=16, dev_size=20,
                                                       **TINY), show_progress=False)
    losses = [e["loss"] for e in summary["epochs"]]
    assert losses[2] < losses[1] < losses[0]
    # 8 of the 300 pairs hold a bracket ("[" or "]", the markers) without being marked: left out
    assert summary["pairs"]["marker_text_dropped"] == 8
    assert summary["pairs"]["train"] == 272 and summary["dev"]["sentences"] == 20
    assert summary["dev"]["chrf"] >= 0 and summary["dev"]["marker_survival"] is None
    assert (out / "model.safetensors").exists() and not (tmp_path / "mt.ckpt").exists()
    # a rerun of a finished run does nothing and returns the same summary
    assert train_mt(menyo_pairs, out, TrainMTOptions(src="en", tgt="yo", epochs=3, batch_size=16, dev_size=20,
                                                     **TINY), show_progress=False) == summary
    src = tmp_path / "en.txt"
    src.write_text("The book is on the table.\nCreative Commons licenses are free.\n", encoding="utf-8")
    outputs = {}
    for backend in ("transformers", "ctranslate2"):
        dest = tmp_path / f"yo.{backend}.jsonl"
        code, _, err = run_cli("augment", ["translate", src, dest, "--src", "en", "--tgt", "yo", "--model", out,
                                           "--method", "plain", "--backend", backend, "--cache-dir", ct2_cache])
        assert code == 0, err
        outputs[backend] = [json.loads(line)["text"] for line in dest.read_text("utf-8").splitlines()]
        assert len(outputs[backend]) == 2 and all(outputs[backend])
    # the <pad> row stays zero, so CTranslate2 decodes what transformers decodes
    assert outputs["ctranslate2"] == outputs["transformers"]


def test_mt_train_resume_gives_identical_weights(tmp_path, menyo_pairs, torch_one_thread):
    from safetensors.torch import load_file

    opts = dict(src="en", tgt="yo", epochs=2, batch_size=32, save_steps=3, dev_size=0, **TINY)
    whole = train_mt(menyo_pairs, tmp_path / "a", TrainMTOptions(**opts), show_progress=False)

    class Stop(Exception):
        pass

    def kill_at_step_14(step: int, loss: float) -> None:
        if step == 14:
            raise Stop

    with pytest.raises(Stop):
        train_mt(menyo_pairs, tmp_path / "b", TrainMTOptions(**opts), on_step=kill_at_step_14, show_progress=False)
    state = json.loads((tmp_path / "b.ckpt" / "train_mt.json").read_text("utf-8"))
    assert state["step"] == 12 and state["epoch"] == 1  # mid-epoch 2 (10 batches an epoch)
    assert not (tmp_path / "b").exists()
    resumed = train_mt(menyo_pairs, tmp_path / "b", TrainMTOptions(**opts), show_progress=False)
    assert resumed["epochs"] == whole["epochs"] and resumed["steps"] == whole["steps"] == 20
    a, b = load_file(tmp_path / "a" / "model.safetensors"), load_file(tmp_path / "b" / "model.safetensors")
    assert a.keys() == b.keys() and all((a[k] == b[k]).all() for k in a)
    # other settings in the same OUT: refused unless --overwrite
    with pytest.raises(ConfigError, match="holds another run"):
        train_mt(menyo_pairs, tmp_path / "b", TrainMTOptions(**{**opts, "lr": 1e-3}), show_progress=False)


def test_mt_train_markers_survive_more_after_training(tmp_path, data_dir, torch_one_thread):
    """300 steps on marker-inserted copies of short MasakhaNER yor sentences: the model keeps
    every marker pair in some held-out sentences; the untrained model in none (measured: ~27%
    vs 0%)."""
    from augment.core import read_corpus
    from augment.mt.score import score_model
    from augment.translate.tiny_models import build_tiny_marian

    sentences = [s for s in read_corpus(data_dir / "masakhaner1" / "yor" / "train.txt", repair=True, to_scheme="iob2")
                 if len(s.tokens) <= 15]
    copies = tmp_path / "copies.jsonl"
    _copies(copies, sentences)
    opts = TrainMTOptions(src="en", tgt="yo", epochs=100, max_steps=300, batch_size=16, dev_size=100,
                          markers=str(copies), **TINY)
    trained = train_mt(copies, tmp_path / "mt", opts, show_progress=False)["dev"]
    pairs, _ = gather_pairs([copies], markers=copies)  # the pairs train_mt split
    train, dev = split_dev(pairs, 100, 0)
    init = build_tiny_marian([p.src for p in train], [p.tgt for p in train], tmp_path / "init", vocab_size=500,
                             d_model=64, layers=1, heads=2, ffn_dim=128, max_length=32, init_std=0.02, seed=0)
    untrained = score_model(str(init), dev, src="en", tgt="yo", show_progress=False)
    assert trained["marked"] == untrained["marked"] > 20
    assert trained["marker_survival"] > untrained["marker_survival"]
    assert trained["marker_survival"] >= 0.05


def test_mt_train_cli_errors_are_one_line(tmp_path, menyo_pairs, run_cli):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "tokens": ["a"]}\n', encoding="utf-8")
    code, _, err = run_cli("augment", ["train-mt", menyo_pairs, tmp_path / "out", "--src", "en", "--tgt", "yo",
                                       "--scratch", "--markers", bad])
    assert code == 1 and err == f"error: {bad}:1: expected a pair record with 'tokens' and 'src': " \
                                "{'tokens', 'tags'}\n"
    code, _, err = run_cli("augment", ["train-mt", menyo_pairs, tmp_path / "out", "--src", "en", "--tgt", "yo",
                                       "--scratch", "--epochs", "0"])
    assert code == 1 and err == "error: --epochs must be at least 1\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_mt_train_fine_tunes_a_model_by_path(family, tmp_path, menyo_pairs, tiny_marian, tiny_nllb, run_cli,
                                             torch_one_thread):
    """Fine-tuning (not --scratch) a Marian or NLLB model given by path: the loss falls over a few
    steps on the same batches and the result translates through `augment translate`."""
    model = tiny_marian if family == "marian" else tiny_nllb
    losses: list[float] = []
    out = tmp_path / "ft"
    summary = train_mt(menyo_pairs, out, TrainMTOptions(src="en", tgt="yo", model=str(model), epochs=3, batch_size=100,
                                                       max_length=32, lr=3e-3, dev_size=10, precision="fp32"),
                       on_step=lambda step, loss: losses.append(loss), show_progress=False)
    assert summary["steps"] == 9 and summary["epochs"][-1]["loss"] < summary["epochs"][0]["loss"]
    src = tmp_path / "en.txt"
    src.write_text("The book is on the table.\n", encoding="utf-8")
    code, _, err = run_cli("augment", ["translate", src, tmp_path / "yo.jsonl", "--src", "en", "--tgt", "yo",
                                       "--model", out, "--method", "plain"])
    assert code == 0, err
