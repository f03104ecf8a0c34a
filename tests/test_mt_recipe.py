"""The small-data NMT recipe of train-mt: token-budget batches, label smoothing, inverse-sqrt
schedule, the dev learning curve with weight averaging and early stopping, and a resumed run
that gives the same weights and the same curve."""

from __future__ import annotations

import csv
import json
import math

import pytest
import torch

from augment.mt import TrainMTOptions, train_mt
from augment.mt.batches import EncodedPairs, TokenBatches
from augment.mt.objective import SmoothedLoss, inverse_sqrt_schedule

TINY = {"scratch": True, "vocab_size": 500, "d_model": 64, "layers": 1, "heads": 2, "ffn_dim": 128,
        "max_length": 32, "lr": 3e-3}
RECIPE = {"batch_tokens": 400, "label_smoothing": 0.1, "schedule": "inverse_sqrt", "warmup_steps": 5,
          "eval_steps": 6, "average": 3, "dev_size": 20}


def test_token_batches_hold_the_budget_and_every_pair(data_dir, tmp_path):
    from augment.mt.data import build_pairs
    from augment.translate.models import resolve
    from augment.translate.tiny_models import build_tiny_marian

    pairs, _ = build_pairs(data_dir / "menyo20k" / "train.tsv")
    pairs = pairs[:2000]
    model = build_tiny_marian([p.src for p in pairs], [p.tgt for p in pairs], tmp_path / "m", vocab_size=500)
    spec, tok = resolve(str(model), "en", "yo")
    plan = TokenBatches(EncodedPairs(tok, spec, pairs, 128), 1500, seed=3)
    batches = plan.batches(1)
    assert sorted(i for b in batches for i in b) == list(range(2000))
    assert all(len(b) * max(plan.lengths[i] for i in b) <= 1500 for b in batches if len(b) > 1)
    assert plan.batches(1) == batches and plan.batches(2) != batches  # a function of seed and epoch
    sizes = [len(b) for b in batches]
    assert max(sizes) > 3 * min(sizes)  # short pairs travel in bigger batches


def test_smoothed_loss_and_inverse_sqrt(tmp_path):
    from transformers import MarianMTModel

    from augment.translate.tiny_models import build_tiny_marian

    folder = build_tiny_marian(["a b c", "d e f"], ["x y z", "u v w"], tmp_path / "m", vocab_size=40)
    model = MarianMTModel.from_pretrained(folder)
    batch = {"input_ids": torch.tensor([[5, 6, 0]]), "attention_mask": torch.ones(1, 3, dtype=torch.long),
             "labels": torch.tensor([[7, 8, 0]])}
    plain = SmoothedLoss(0.0)(model, batch)["loss"]
    assert plain.item() == pytest.approx(model(**batch).loss.item(), rel=1e-5)  # same CE as the model's
    smoothed = SmoothedLoss(0.1)(model, batch)
    assert smoothed["nll"].item() == pytest.approx(plain.item(), rel=1e-5) and smoothed["loss"] != smoothed["nll"]
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    sched = inverse_sqrt_schedule(opt, 4)
    rates = []
    for _ in range(16):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    assert rates[:4] == [0.25, 0.5, 0.75, 1.0] and rates[15] == pytest.approx(math.sqrt(4 / 16))


def test_mt_recipe_curve_average_and_resume(tmp_path, menyo_pairs, torch_one_thread):
    """Token batches + smoothing + inverse sqrt + a dev point every 6 steps + averaging of the
    last 3: the curve is written, the kept weights are the better of average and last, and a run
    killed mid-way resumes to the same weights and the same curve."""
    from safetensors.torch import load_file

    opts = dict(src="en", tgt="yo", epochs=2, save_steps=4, **TINY, **RECIPE)
    whole = train_mt(menyo_pairs, tmp_path / "a", TrainMTOptions(**opts), show_progress=False)
    points = whole["curve"]
    assert [p["step"] for p in points] == list(range(6, whole["steps"] + 1, 6)) and len(points) >= 3
    cpu = [p["cpu_minutes"] for p in points]
    assert cpu == sorted(cpu) and cpu[-1] > 0 and all(p["dev_chrf"] >= 0 for p in points)
    final = whole["final_weights"]
    assert final["kept"] in ("average", "last") and final["averaged"] == [p["step"] for p in points][-3:]
    assert whole["dev"]["chrf"] == pytest.approx(max(final["chrf_last"], final["chrf_average"]), abs=1.0)
    with open(tmp_path / "a" / "learning_curve.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["step"]) for r in rows] == [p["step"] for p in points]

    class Stop(Exception):
        pass

    def kill(step: int, loss: float) -> None:
        if step == points[1]["step"] + 3:
            raise Stop

    with pytest.raises(Stop):
        train_mt(menyo_pairs, tmp_path / "b", TrainMTOptions(**opts), on_step=kill, show_progress=False)
    saved = json.loads((tmp_path / "b.ckpt" / "train_mt.json").read_text("utf-8"))
    assert len(saved["state"]["curve"]["points"]) == 2 and (tmp_path / "b.ckpt" / "snapshots").is_dir()
    resumed = train_mt(menyo_pairs, tmp_path / "b", TrainMTOptions(**opts), show_progress=False)
    key = ("step", "dev_chrf", "dev_bleu", "train_loss")
    assert [[p[k] for k in key] for p in resumed["curve"]] == [[p[k] for k in key] for p in points]
    assert resumed["final_weights"] == final
    a, b = load_file(tmp_path / "a" / "model.safetensors"), load_file(tmp_path / "b" / "model.safetensors")
    assert all((a[k] == b[k]).all() for k in a)


def test_mt_recipe_patience_stops_early(tmp_path, menyo_pairs, torch_one_thread):
    """lr 0 after warmup would never improve: with patience 2 the run stops after 3 points."""
    opts = dict(src="en", tgt="yo", epochs=20, **{**TINY, "lr": 1e-9}, **{**RECIPE, "average": 1, "patience": 2})
    summary = train_mt(menyo_pairs, tmp_path / "p", TrainMTOptions(**opts), show_progress=False)
    assert len(summary["curve"]) == 3 and summary["steps"] == 18


def test_mt_recipe_checkpoint_serves_a_run_of_another_length(tmp_path, menyo_pairs, torch_one_thread):
    """inverse_sqrt with fixed warmup steps: no step depends on the run's length, so a run killed
    at step 6 (checkpoint at step 4) and rerun with another --max-steps continues from step 5 to the
    weights of a fresh run of that length. A linear schedule's checkpoint belongs to its length
    (another --max-steps is another run: refused, restarted with --overwrite); a checkpoint past
    the new end is discarded and the run starts over."""
    from safetensors.torch import load_file

    from augment.core.errors import ConfigError

    class Stop(Exception):
        pass

    def run(name: str, max_steps: int, kill: int = 0, **extra) -> tuple[list[int], dict | None]:
        seen: list[int] = []

        def on_step(step: int, loss: float) -> None:
            seen.append(step)
            if step == kill:
                raise Stop

        opts = TrainMTOptions(src="en", tgt="yo", epochs=20, save_steps=4, max_steps=max_steps,
                              **TINY, **{**RECIPE, "eval_steps": 0, "average": 1, "dev_size": 10, **extra})
        try:
            return seen, train_mt(menyo_pairs, tmp_path / name, opts, on_step=on_step, show_progress=False)
        except Stop:
            assert json.loads((tmp_path / f"{name}.ckpt" / "train_mt.json").read_text("utf-8"))["step"] == 4
            return seen, None

    _, fresh = run("fresh", 12)
    run("a", 8, kill=6)
    seen, resumed = run("a", 12)
    assert seen[0] == 5 and resumed["steps"] == 12 and resumed["fingerprint"] == fresh["fingerprint"]
    a, b = load_file(tmp_path / "fresh" / "model.safetensors"), load_file(tmp_path / "a" / "model.safetensors")
    assert all((a[k] == b[k]).all() for k in a)

    run("past", 8, kill=6)
    seen, short = run("past", 3)  # the step-4 checkpoint is past a 3-step run: started over
    assert seen == [1, 2, 3] and short["steps"] == 3

    run("linear", 8, kill=6, schedule="linear")
    with pytest.raises(ConfigError, match="holds another run"):
        run("linear", 12, schedule="linear")
    seen, restarted = run("linear", 12, schedule="linear", overwrite=True)
    assert seen[0] == 1 and restarted["steps"] == 12
