"""Distillation losses, teacher combination and weights on hand-made tensors with known values."""

from __future__ import annotations

import math

import pytest
import torch

from augment.core.errors import ConfigError
from ner.data import Batch
from ner.distill.objective import DistillObjective
from ner.distill.weights import explicit_weights, train_lid, uniform_weights
from ner.losses import combine_teachers, distill_kl, distill_mse, soften


def test_mse_known_value_and_mask():
    logits = torch.log(torch.tensor([[[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]]]))  # softmax gives these back
    teacher = torch.tensor([[[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]]])
    mask = torch.tensor([[True, True, False]])
    # position 0: ((0.5-1)^2 + (0.5-0)^2)/2 = 0.25; position 1: 0; position 2 masked
    assert distill_mse(logits, teacher, mask).item() == pytest.approx(0.125, rel=1e-5)
    assert distill_mse(logits, teacher, torch.zeros(1, 3, dtype=torch.bool)).item() == 0.0


def test_kl_known_value_and_temperature():
    teacher = torch.tensor([[[0.75, 0.25]]])
    logits = torch.log(torch.tensor([[[0.5, 0.5]]]))
    mask = torch.ones(1, 1, dtype=torch.bool)
    expected = 0.75 * math.log(0.75 / 0.5) + 0.25 * math.log(0.25 / 0.5)
    assert distill_kl(logits, teacher, mask).item() == pytest.approx(expected, rel=1e-5)
    assert distill_kl(torch.log(teacher), teacher, mask, 2.0).item() == pytest.approx(0.0, abs=1e-6)
    # softened teacher = softmax(z / T) for the teacher's logits z
    z = torch.tensor([2.0, -1.0, 0.5])
    assert torch.allclose(soften(torch.softmax(z, -1), 3.0), torch.softmax(z / 3.0, -1), atol=1e-6)


def test_gradients_flow_through_both_losses():
    logits = torch.randn(2, 4, 3, requires_grad=True)
    teacher = torch.softmax(torch.randn(2, 4, 3), -1)
    mask = torch.tensor([[False, True, True, False], [False, True, False, False]])
    (distill_mse(logits, teacher, mask) + distill_kl(logits, teacher, mask, 2.0)).backward()
    assert logits.grad[mask].abs().sum() > 0 and logits.grad[~mask].abs().sum() == 0


def test_combine_teachers_is_the_weighted_mean():
    a = torch.tensor([[0.6, 0.4], [1.0, 0.0]])
    b = torch.tensor([[0.2, 0.8], [0.0, 1.0]])
    got = combine_teachers(torch.stack([a, b]), torch.tensor([3.0, 1.0]))  # normalised to 0.75 / 0.25
    assert torch.allclose(got, torch.tensor([[0.5, 0.5], [0.75, 0.25]]))
    assert torch.allclose(got.sum(-1), torch.ones(2))


def test_uniform_and_explicit_weights():
    assert uniform_weights(4).tolist() == [0.25] * 4
    assert explicit_weights("3,1", 2).tolist() == [0.75, 0.25]
    for bad in ("1,2,3", "a,b", "-1,2", "0,0"):
        with pytest.raises(ConfigError):
            explicit_weights(bad, 2)


def test_objective_masks_positions_without_teacher_and_adds_hard_labels():
    class Fixed(torch.nn.Module):
        def __init__(self, logits):
            super().__init__()
            self.logits = torch.nn.Parameter(logits)

        def forward(self, input_ids, attention_mask):
            return None, self.logits

    logits = torch.randn(1, 4, 3)
    soft = torch.zeros(1, 4, 3)
    soft[0, 1] = torch.tensor([0.1, 0.7, 0.2])
    soft[0, 2] = torch.tensor([0.8, 0.1, 0.1])
    first = torch.tensor([[False, True, True, True]])  # word 3 has no teacher distribution
    batch = Batch(torch.zeros(1, 4, dtype=torch.long), torch.ones(1, 4, dtype=torch.long),
                  torch.full((1, 4), -100), first, first, torch.tensor([-1]), soft)
    terms = DistillObjective("mse", hard_label_weight=0.5)(Fixed(logits), batch)
    keep = torch.tensor([[False, True, True, False]])
    assert terms["distill"].item() == pytest.approx(distill_mse(logits, soft, keep).item(), rel=1e-6)
    ce = torch.nn.functional.cross_entropy(logits[0, 1:3], torch.tensor([1, 0]))
    assert terms["hard"].item() == pytest.approx(ce.item(), rel=1e-6)
    assert terms["loss"].item() == pytest.approx(terms["distill"].item() + 0.5 * ce.item(), rel=1e-6)


def test_lid_separates_two_clusters(ner_threads):
    g = torch.Generator().manual_seed(0)
    a = torch.randn(50, 8, generator=g) + 3.0
    b = torch.randn(60, 8, generator=g) - 3.0
    layer, mean, std, acc = train_lid([a, b], steps=100)
    assert acc == 1.0
    probs = torch.softmax(layer((torch.full((1, 8), -3.0) - mean) / std), -1)
    assert probs[0, 1] > 0.9
