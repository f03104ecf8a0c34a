"""Tiny random-init stand-ins for the encoders users pick: XLM-R / AfroXLMR and mDeBERTa-v3.

Each has the real architecture (``XLMRobertaModel``, ``DebertaV2Model``) and the real tokenizer
kind: a sentencepiece unigram model whose pieces carry the word marker ``▁`` (so, as with the
real ones, some words split into a bare ``▁`` piece and the rest, e.g. ``(`` -> ``▁`` ``(``),
with the special-token ids of the real vocabularies. Nothing is downloaded; the result is a
``save_pretrained`` directory that ``AutoModel`` / ``AutoTokenizer`` load by path. The BERT
builder stays in :mod:`ner.tiny_encoder`.

transformers 5 ignores ``vocab_file=`` in these tokenizers' constructors (every id becomes
``<unk>``), so the sentencepiece model is written under the file name the class expects and the
tokenizer is loaded with ``from_pretrained(folder)``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path

from augment.core.hub import quietly

#: The word marker of sentencepiece tokenizers.
WORD_MARKER = "\u2581"

#: Per kind: the sentencepiece file name, the special pieces and their ids (the real models' order).
_KINDS = {
    "xlmr": ("sentencepiece.bpe.model",
             {"bos_id": 0, "pad_id": 1, "eos_id": 2, "unk_id": 3, "bos_piece": "<s>", "pad_piece": "<pad>",
              "eos_piece": "</s>", "unk_piece": "<unk>"}),
    "deberta-v2": ("spm.model",
                   {"pad_id": 0, "bos_id": 1, "eos_id": 2, "unk_id": 3, "pad_piece": "[PAD]", "bos_piece": "[CLS]",
                    "eos_piece": "[SEP]", "unk_piece": "[UNK]"}),
}


def train_unigram(texts: Iterable[str], kind: str, vocab_size: int) -> bytes:
    """A sentencepiece unigram model (single-threaded: the same text gives the same model)."""
    import sentencepiece as spm

    lines = [t for t in texts if t and t.strip()]
    if not lines:
        raise ValueError("no text to train a vocabulary on")
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=vocab_size, model_type="unigram",
        character_coverage=1.0, num_threads=1, minloglevel=2, hard_vocab_limit=False, **_KINDS[kind][1],
    )
    return model.getvalue()


def _tokenizer(texts: Iterable[str], out: Path, kind: str, vocab_size: int, tokenizer_class):
    name, _ = _KINDS[kind]
    (out / name).write_bytes(train_unigram(texts, kind, vocab_size))
    for stale in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        (out / stale).unlink(missing_ok=True)
    tok = tokenizer_class.from_pretrained(out)
    tok.save_pretrained(out)
    sample = tok.tokenize("Hello world")
    if not sample or tok.convert_tokens_to_ids(sample) == [tok.unk_token_id] * len(sample):
        raise RuntimeError(f"tiny {kind} tokenizer at {out} maps text to {tok.unk_token} only")
    return tok


def _save(model_class, config, out: Path, seed: int) -> Path:
    import torch

    torch.manual_seed(seed)
    model_class(config).save_pretrained(out, safe_serialization=True)
    return out


@quietly
def build_tiny_xlmr(
    texts: Iterable[str],
    out_dir: str | os.PathLike,
    *,
    vocab_size: int = 1500,
    hidden_size: int = 64,
    num_layers: int = 2,
    num_heads: int = 2,
    intermediate_size: int = 128,
    max_position: int = 514,
    seed: int = 0,
) -> Path:
    """A random ``XLMRobertaModel`` (XLM-R / AfroXLMR kind) with an ``XLMRobertaTokenizer``
    (``<s> <pad> </s> <unk>`` = 0..3, ``<mask>`` last, positions offset by the pad id as in XLM-R)."""
    from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizer

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tok = _tokenizer(texts, out, "xlmr", vocab_size, XLMRobertaTokenizer)
    config = XLMRobertaConfig(
        vocab_size=len(tok), hidden_size=hidden_size, num_hidden_layers=num_layers,
        num_attention_heads=num_heads, intermediate_size=intermediate_size,
        max_position_embeddings=max_position, type_vocab_size=1, pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
    )
    return _save(XLMRobertaModel, config, out, seed)


@quietly
def build_tiny_deberta_v2(
    texts: Iterable[str],
    out_dir: str | os.PathLike,
    *,
    vocab_size: int = 1500,
    hidden_size: int = 64,
    num_layers: int = 2,
    num_heads: int = 2,
    intermediate_size: int = 128,
    max_position: int = 512,
    seed: int = 0,
) -> Path:
    """A random ``DebertaV2Model`` configured like mDeBERTa-v3 (relative attention, no absolute
    positions, ``[PAD] [CLS] [SEP] [UNK]`` = 0..3, ``[MASK]`` last) with a ``DebertaV2Tokenizer``."""
    from transformers import DebertaV2Config, DebertaV2Model, DebertaV2Tokenizer

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tok = _tokenizer(texts, out, "deberta-v2", vocab_size, DebertaV2Tokenizer)
    config = DebertaV2Config(
        vocab_size=len(tok), hidden_size=hidden_size, num_hidden_layers=num_layers,
        num_attention_heads=num_heads, intermediate_size=intermediate_size,
        max_position_embeddings=max_position, type_vocab_size=0, pad_token_id=tok.pad_token_id,
        relative_attention=True, position_buckets=256, max_relative_positions=-1,
        pos_att_type=["p2c", "c2p"], position_biased_input=False, norm_rel_ebd="layer_norm",
        share_att_key=True, layer_norm_eps=1e-7,
    )
    return _save(DebertaV2Model, config, out, seed)
