"""How much each teacher counts: ``uniform``, explicit ``w1,w2,...`` or ``similarity``.

``similarity`` follows Wu et al. 2020 (arXiv 2004.12440, section on multi-source weighting): a
language-identification model on FROZEN encoder sentence embeddings is trained to tell the
teachers' source languages apart; its softmax over sources (with temperature ``tau``) averaged over
the target sentences gives the weights, so a source language whose text the target resembles gets
the larger weight. The LID model here is a linear layer on standardised mean-pooled last hidden
states (a bilinear score ``g(x)^T W mu_k`` with a learned language embedding ``mu_k`` is the same
family), trained full-batch with a fixed seed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import torch

from augment.core import Sentence
from augment.core.errors import ConfigError
from ner.data import WordEncoder, collate, length_batches
from ner.losses import mean_pool


def uniform_weights(k: int) -> torch.Tensor:
    return torch.full((k,), 1.0 / k)


def explicit_weights(spec: str, k: int) -> torch.Tensor:
    """``"0.7,0.3"`` -> normalised tensor; the count must match the teachers."""
    try:
        values = [float(x) for x in spec.split(",")]
    except ValueError:
        raise ConfigError(f"--weights '{spec}' is not uniform, similarity or a list of numbers") from None
    if len(values) != k:
        raise ConfigError(f"--weights gives {len(values)} weights for {k} teachers")
    if any(v < 0 for v in values) or sum(values) <= 0:
        raise ConfigError("--weights must be >= 0 and not all 0")
    w = torch.tensor(values)
    return w / w.sum()


def sentence_embeddings(encoder, tokenizer, sentences: Sequence[Sentence], batch_size: int = 64,
                        max_length: int = 128, device: torch.device | str = "cpu") -> torch.Tensor:
    """Mean-pooled last hidden states (words' subwords only) of a frozen encoder, ``[N, H]``."""
    enc = WordEncoder(tokenizer, max_length)
    examples = enc.encode_all(sentences)
    out = torch.zeros(len(examples), encoder.config.hidden_size)
    encoder.eval()
    with torch.inference_mode():
        for idx in length_batches(examples, batch_size):
            batch = collate([examples[i] for i in idx], enc.pad).to(device)
            hidden = encoder(input_ids=batch.input_ids, attention_mask=batch.attention_mask).last_hidden_state
            out[idx] = mean_pool(hidden.float(), batch.word_mask).cpu()
    return out


def train_lid(features: Sequence[torch.Tensor], steps: int = 300, lr: float = 0.05, seed: int = 0
              ) -> tuple[torch.nn.Linear, torch.Tensor, torch.Tensor, float]:
    """A linear language-ID classifier over ``K`` sets of embeddings (class ``k`` = set ``k``).

    Returns ``(layer, mean, std, training accuracy)``; inputs are standardised with mean/std."""
    x = torch.cat(list(features))
    y = torch.cat([torch.full((len(f),), k, dtype=torch.long) for k, f in enumerate(features)])
    mean, std = x.mean(0), x.std(0).clamp(min=1e-6)
    x = (x - mean) / std
    counts = torch.bincount(y).float()
    class_weight = counts.sum() / (len(counts) * counts)  # balance sources of different sizes
    gen = torch.Generator().manual_seed(seed)
    layer = torch.nn.Linear(x.shape[1], len(features))
    with torch.no_grad():
        layer.weight.copy_(torch.randn(layer.weight.shape, generator=gen) * 0.01)
        layer.bias.zero_()
    opt = torch.optim.Adam(layer.parameters(), lr=lr, weight_decay=1e-4)
    with torch.enable_grad():
        for _ in range(steps):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(layer(x), y, weight=class_weight)
            loss.backward()
            opt.step()
    with torch.no_grad():
        accuracy = float((layer(x).argmax(-1) == y).float().mean())
    return layer, mean, std, accuracy


def similarity_weights(encoder_path: str | os.PathLike, sources: Sequence[Sequence[Sentence]],
                       target: Sequence[Sentence], temperature: float = 1.0, seed: int = 0,
                       device: torch.device | str = "cpu", max_sentences: int = 1000) -> tuple[torch.Tensor, dict]:
    """Wu et al. (2020) weights: ``alpha_k = mean_x softmax(LID(g(x)) / tau)_k`` over target ``x``.

    ``sources[k]``: text in teacher ``k``'s source language. At most ``max_sentences`` per side."""
    from ner.model import load_encoder, load_tokenizer

    if temperature <= 0:
        raise ConfigError("--similarity-temperature must be > 0")
    if any(not s for s in sources):
        raise ConfigError("similarity weights need source-language text for every teacher")
    encoder = load_encoder(encoder_path).to(device)
    tokenizer = load_tokenizer(encoder_path)
    feats = [sentence_embeddings(encoder, tokenizer, list(s)[:max_sentences], device=device) for s in sources]
    layer, mean, std, accuracy = train_lid(feats, seed=seed)
    tgt = sentence_embeddings(encoder, tokenizer, list(target)[:max_sentences], device=device)
    with torch.no_grad():
        probs = torch.softmax(layer((tgt - mean) / std) / temperature, dim=-1)
    weights = probs.mean(0)
    return weights, {"lid_accuracy": accuracy, "lid_encoder": str(encoder_path), "temperature": temperature,
                     "target_sentences": len(tgt), "source_sentences": [len(f) for f in feats]}
