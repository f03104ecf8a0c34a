"""Loss functions as pure functions on tensors (definitions with formulas in docs/ner.md).

- :func:`token_cross_entropy`: CE over first subwords (``-100`` ignored).
- :func:`supervised_contrastive`: Khosla et al. (2020) SupCon, "L_out" form, over token vectors.
- :func:`info_nce`: InfoNCE / CLIP-style over paired sentence vectors (row ``k`` of ``a`` and of
  ``b`` are the positive pair, the other rows the negatives).
- :func:`distill_mse`, :func:`distill_kl`: student vs (combined) teacher probabilities.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ner.labels import IGNORE


def _zero(like: torch.Tensor) -> torch.Tensor:
    """A zero that keeps the graph (so ``backward`` works when a loss has nothing to score)."""
    return like.sum() * 0.0


def token_cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean CE over positions whose label is not ``-100``; ``logits`` ``[..., C]``."""
    flat_labels = labels.reshape(-1)
    if not bool((flat_labels != IGNORE).any()):
        return _zero(logits)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), flat_labels, ignore_index=IGNORE)


def supervised_contrastive(features: torch.Tensor, labels: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    """SupCon loss of ``N`` vectors ``[N, D]`` with class ``labels`` ``[N]``.

    ``z = normalize(features)``; for each anchor ``i`` with positives ``P(i) = {p != i: y_p = y_i}``
    and ``A(i) = {a != i}``: ``l_i = -1/|P(i)| sum_p log(exp(z_i.z_p/t) / sum_a exp(z_i.z_a/t))``;
    the loss is the mean of ``l_i`` over anchors with at least one positive.
    """
    if features.shape[0] < 2:
        return _zero(features)
    z = F.normalize(features.float(), dim=-1)
    sim = (z / temperature) @ z.T  # scaling the N x D side, not the N x N matrix
    sim = sim.masked_fill(torch.eye(len(z), dtype=torch.bool, device=z.device), float("-inf"))
    log_denom = torch.logsumexp(sim, dim=1)  # log sum_{a != i} exp(z_i.z_a / t)
    # sum_{p in P(i)} z_i.z_p = z_i.(S_{y_i} - z_i), S_c the sum of class c's vectors: no N x N mask
    classes, y = torch.unique(labels, return_inverse=True)
    class_sum = torch.zeros(len(classes), z.shape[1], dtype=z.dtype, device=z.device).index_add(0, y, z)
    n_pos = torch.bincount(y, minlength=len(classes))[y] - 1
    anchors = n_pos > 0
    if not bool(anchors.any()):
        return _zero(features)
    pos_sim = (z * (class_sum[y] - z)).sum(dim=1) / temperature
    per_anchor = log_denom - pos_sim / n_pos.clamp(min=1)
    return per_anchor[anchors].mean()


def label_contrastive(
    features: torch.Tensor,
    labels: torch.Tensor,
    temperature: float = 0.1,
    o_keep: float = 1.0,
    o_label: int = 0,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """SupCon over the token vectors ``[B, T, D]`` whose label is not ``-100``.

    ``o_keep`` < 1 keeps each ``O`` token with that probability (``O`` dominates NER batches and
    would otherwise make most pairs O-O positives).
    """
    valid = labels != IGNORE
    if o_keep < 1.0:
        draw = torch.rand(labels.shape, generator=generator).to(labels.device)
        valid = valid & ((labels != o_label) | (draw < o_keep))
    return supervised_contrastive(features[valid], labels[valid], temperature)


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of ``hidden`` ``[B, T, H]`` over positions where ``mask`` ``[B, T]`` is true."""
    m = mask.to(hidden.dtype).unsqueeze(-1)
    return (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)


def info_nce(a: torch.Tensor, b: torch.Tensor, temperature: float = 0.1, symmetric: bool = True) -> torch.Tensor:
    """InfoNCE of ``K`` pairs: CE over the cosine-similarity matrix ``a.b^T/t`` with the diagonal as
    targets; ``symmetric`` averages the a->b and b->a directions."""
    if a.shape[0] < 1:
        return _zero(a) + _zero(b)
    za, zb = F.normalize(a.float(), dim=-1), F.normalize(b.float(), dim=-1)
    logits = za @ zb.T / temperature
    target = torch.arange(len(za), device=za.device)
    loss = F.cross_entropy(logits, target)
    if symmetric:
        loss = (loss + F.cross_entropy(logits.T, target)) / 2
    return loss


def translation_pairs(group: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Row indices ``(src, tgt)`` of the first two members of each group (``group >= 0``) in a batch."""
    first: dict[int, int] = {}
    src, tgt = [], []
    for row, g in enumerate(group.tolist()):
        if g < 0:
            continue
        if g not in first:
            first[g] = row
        elif first[g] >= 0:
            src.append(first[g])
            tgt.append(row)
            first[g] = -1
    return torch.tensor(src, dtype=torch.long), torch.tensor(tgt, dtype=torch.long)


def translation_contrastive(hidden: torch.Tensor, word_mask: torch.Tensor, group: torch.Tensor,
                            temperature: float = 0.1) -> torch.Tensor:
    """InfoNCE between mean-pooled sentence vectors of translation pairs in a batch.

    Needs two pairs at least (one pair has no negative: the loss would be 0)."""
    src, tgt = translation_pairs(group.cpu())
    if len(src) < 2:
        return _zero(hidden)
    pooled = mean_pool(hidden, word_mask)
    dev = pooled.device
    return info_nce(pooled[src.to(dev)], pooled[tgt.to(dev)], temperature)


def combine_teachers(probs: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Weighted sum over the first axis: ``probs`` ``[K, ..., C]``, ``weights`` ``[K]`` (normalised
    to sum to 1)."""
    w = weights.to(probs.dtype) / weights.sum()
    return torch.tensordot(w, probs, dims=([0], [0]))


def soften(probs: torch.Tensor, temperature: float) -> torch.Tensor:
    """``softmax(log(p) / T)``: the same as ``softmax(z / T)`` for the logits ``z`` behind ``p``."""
    if temperature == 1.0:
        return probs
    return torch.softmax(torch.log(probs.clamp(min=1e-12)) / temperature, dim=-1)


def distill_mse(student_logits: torch.Tensor, teacher_probs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over masked positions of the mean over classes of ``(softmax(s) - p_teacher)^2``."""
    if not bool(mask.any()):
        return _zero(student_logits)
    ps = torch.softmax(student_logits.float(), dim=-1)[mask]
    return ((ps - teacher_probs.float()[mask]) ** 2).mean()


def distill_kl(student_logits: torch.Tensor, teacher_probs: torch.Tensor, mask: torch.Tensor,
               temperature: float = 1.0) -> torch.Tensor:
    """``T^2 * KL(soften(p_teacher, T) || softmax(s / T))`` summed over classes, mean over masked positions."""
    if not bool(mask.any()):
        return _zero(student_logits)
    pt = soften(teacher_probs.float()[mask], temperature)
    log_ps = torch.log_softmax(student_logits.float()[mask] / temperature, dim=-1)
    kl = (pt * (torch.log(pt.clamp(min=1e-12)) - log_ps)).sum(dim=-1)
    return kl.mean() * temperature**2
