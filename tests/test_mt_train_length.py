"""``augment train-mt`` resumes a killed run with another --max-steps when the schedule does not
depend on the run's length (inverse_sqrt after a fixed warmup): the run extended from the
checkpoint ends with the same weights as an uninterrupted run of the new length. A linear schedule
(decay over the whole run) does not: another length is another run."""

from __future__ import annotations

import pytest
from safetensors.torch import load_file

from augment.core.errors import ConfigError
from augment.mt import TrainMTOptions, train_mt
from tests.test_mt_train_state import TINY, Stop, _same, _stop_at

RECIPE = dict(src="en", tgt="yo", epochs=50, batch_size=32, save_steps=3, dev_size=0, schedule="inverse_sqrt",
              warmup_steps=2, **TINY)


def test_mt_train_length_free_schedule_resumes_with_other_max_steps(menyo_pairs, tmp_path, torch_one_thread):
    whole = tmp_path / "whole"
    train_mt(menyo_pairs, whole, TrainMTOptions(**RECIPE, max_steps=12), show_progress=False)

    out = tmp_path / "mt"
    with pytest.raises(Stop):  # a 30-step run killed after its step-6 checkpoint
        train_mt(menyo_pairs, out, TrainMTOptions(**RECIPE, max_steps=30), on_step=_stop_at(7), show_progress=False)
    steps = []
    summary = train_mt(menyo_pairs, out, TrainMTOptions(**RECIPE, max_steps=12), on_step=lambda s, _: steps.append(s),
                       show_progress=False)
    assert steps == list(range(7, 13)) and summary["steps"] == 12  # resumed at step 6, not from the start
    assert _same(load_file(out / "model.safetensors"), load_file(whole / "model.safetensors"))


def test_mt_train_length_free_checkpoint_past_the_new_end_starts_over(menyo_pairs, tmp_path, torch_one_thread, caplog):
    out = tmp_path / "mt"
    with pytest.raises(Stop):
        train_mt(menyo_pairs, out, TrainMTOptions(**RECIPE, max_steps=30), on_step=_stop_at(10), show_progress=False)
    steps = []
    train_mt(menyo_pairs, out, TrainMTOptions(**RECIPE, max_steps=6), on_step=lambda s, _: steps.append(s),
             show_progress=False)
    assert steps == list(range(1, 7)) and "past --max-steps 6: starting over" in caplog.text


def test_mt_train_linear_schedule_is_another_run_at_another_length(menyo_pairs, tmp_path, torch_one_thread):
    linear = {**RECIPE, "schedule": "linear", "warmup_steps": 0}
    out = tmp_path / "mt"
    with pytest.raises(Stop):
        train_mt(menyo_pairs, out, TrainMTOptions(**linear, max_steps=30), on_step=_stop_at(7), show_progress=False)
    with pytest.raises(ConfigError, match="holds another run"):
        train_mt(menyo_pairs, out, TrainMTOptions(**linear, max_steps=12), show_progress=False)
