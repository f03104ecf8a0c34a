"""The training losses on hand-made tensors, against straightforward reference computations."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from ner.losses import (
    info_nce,
    label_contrastive,
    mean_pool,
    supervised_contrastive,
    token_cross_entropy,
    translation_contrastive,
    translation_pairs,
)


def supcon_reference(features, labels, t):
    """Khosla et al. (2020) eq. 2 ("L_out"), written as plain loops."""
    z = [f / f.norm() for f in features]
    total, anchors = 0.0, 0
    for i in range(len(z)):
        positives = [p for p in range(len(z)) if p != i and labels[p] == labels[i]]
        if not positives:
            continue
        denom = sum(math.exp(float(z[i] @ z[a]) / t) for a in range(len(z)) if a != i)
        total += -sum(math.log(math.exp(float(z[i] @ z[p]) / t) / denom) for p in positives) / len(positives)
        anchors += 1
    return total / anchors


def test_supcon_matches_reference_loops():
    g = torch.Generator().manual_seed(0)
    feats = torch.randn(9, 5, generator=g)
    labels = torch.tensor([0, 1, 0, 2, 1, 0, 3, 2, 0])  # label 3 has no positive: not an anchor
    for t in (0.1, 0.5, 1.0):
        got = supervised_contrastive(feats, labels, t)
        assert got.item() == pytest.approx(supcon_reference(feats, labels.tolist(), t), rel=1e-5)


def test_supcon_known_value_two_clusters():
    # two orthogonal pairs: each anchor has 1 positive (cos 1) and 2 negatives (cos 0)
    feats = torch.tensor([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [0.0, 3.0]])
    labels = torch.tensor([0, 0, 1, 1])
    t = 0.5
    expected = -math.log(math.exp(1 / t) / (math.exp(1 / t) + 2))
    assert supervised_contrastive(feats, labels, t).item() == pytest.approx(expected, rel=1e-6)


def test_supcon_gradients_flow_and_no_anchor_is_zero():
    feats = torch.randn(6, 4, requires_grad=True)
    loss = supervised_contrastive(feats, torch.tensor([0, 0, 1, 1, 2, 2]), 0.2)
    loss.backward()
    assert feats.grad is not None and feats.grad.abs().sum() > 0
    lonely = torch.randn(3, 4, requires_grad=True)
    zero = supervised_contrastive(lonely, torch.tensor([0, 1, 2]), 0.2)
    assert zero.item() == 0.0
    zero.backward()  # still part of the graph


def test_label_contrastive_ignores_minus100_and_padding():
    hidden = torch.randn(2, 5, 4)
    labels = torch.tensor([[-100, 1, 0, 1, -100], [-100, 0, 2, -100, -100]])
    got = label_contrastive(hidden, labels, 0.3)
    keep = labels != -100
    assert got.item() == pytest.approx(supcon_reference(hidden[keep], labels[keep].tolist(), 0.3), rel=1e-5)
    # changing vectors at ignored positions changes nothing
    hidden2 = hidden.clone()
    hidden2[~keep] = 100.0
    assert label_contrastive(hidden2, labels, 0.3).item() == pytest.approx(got.item(), rel=1e-6)


def test_label_contrastive_subsamples_o_tokens():
    g = torch.Generator().manual_seed(1)
    hidden = torch.randn(1, 400, 8, generator=g)
    labels = torch.zeros(1, 400, dtype=torch.long)
    labels[0, :40] = 1
    full = label_contrastive(hidden, labels, 0.5)
    sub = label_contrastive(hidden, labels, 0.5, o_keep=0.1, generator=torch.Generator().manual_seed(3))
    again = label_contrastive(hidden, labels, 0.5, o_keep=0.1, generator=torch.Generator().manual_seed(3))
    assert sub.item() == again.item()  # the subsample follows the generator
    assert sub.item() != pytest.approx(full.item())


def test_info_nce_is_cross_entropy_over_similarity_matrix():
    g = torch.Generator().manual_seed(2)
    a, b = torch.randn(5, 6, generator=g), torch.randn(5, 6, generator=g)
    t = 0.2
    sim = F.normalize(a, dim=-1) @ F.normalize(b, dim=-1).T / t
    target = torch.arange(5)
    one_way = info_nce(a, b, t, symmetric=False)
    assert one_way.item() == pytest.approx(F.cross_entropy(sim, target).item(), rel=1e-6)
    both = info_nce(a, b, t)
    expected = (F.cross_entropy(sim, target) + F.cross_entropy(sim.T, target)) / 2
    assert both.item() == pytest.approx(expected.item(), rel=1e-6)
    # identical pairs far from each other: near-zero loss
    e = torch.eye(4)
    assert info_nce(e, e, 0.05).item() < 1e-6


def test_mean_pool_and_translation_loss_respect_masks():
    hidden = torch.randn(4, 6, 3, requires_grad=True)
    mask = torch.tensor([[0, 1, 1, 0, 0, 0], [0, 1, 1, 1, 0, 0], [0, 1, 0, 0, 0, 0], [0, 1, 1, 1, 1, 0]]).bool()
    pooled = mean_pool(hidden, mask)
    assert torch.allclose(pooled[1], hidden[1, 1:4].mean(0))
    group = torch.tensor([7, 3, 7, 3])  # rows 0-2 and 1-3 are translation pairs
    assert [x.tolist() for x in translation_pairs(group)] == [[0, 1], [2, 3]]
    loss = translation_contrastive(hidden, mask, group, 0.1)
    expected = info_nce(pooled[[0, 1]], pooled[[2, 3]], 0.1)
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)
    loss.backward()
    assert hidden.grad[:, 5].abs().sum() == 0  # padding gets no gradient
    one_pair = translation_contrastive(hidden, mask, torch.tensor([1, -1, 1, -1]), 0.1)
    assert one_pair.item() == 0.0  # one pair has no negatives


def test_token_cross_entropy_ignores_minus100():
    logits = torch.randn(2, 4, 3, requires_grad=True)
    labels = torch.tensor([[-100, 2, 0, -100], [-100, 1, -100, -100]])
    got = token_cross_entropy(logits, labels)
    keep = labels != -100
    assert got.item() == pytest.approx(F.cross_entropy(logits[keep], labels[keep]).item(), rel=1e-6)
    assert token_cross_entropy(logits, torch.full((2, 4), -100)).item() == 0.0
