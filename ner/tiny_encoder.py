"""Build a small BERT-style encoder from scratch (random init, WordPiece trained on given text).

For offline tests, smoke demos and the from-scratch transfer experiment: nothing is downloaded.
The result is a normal ``save_pretrained`` directory that ``AutoModel`` / ``AutoTokenizer`` load
by path, exactly like a hub model. (transformers 5 builds an empty vocabulary from
``BertTokenizerFast(vocab_file=...)``; loading the directory with ``BertTokenizer`` avoids that.)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def train_wordpiece(texts: Iterable[str], vocab_size: int = 4000) -> list[str]:
    """A cased WordPiece vocabulary (list of pieces, special tokens first) trained on ``texts``."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False, clean_text=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS, show_progress=False)
    tok.train_from_iterator(texts, trainer=trainer)
    vocab = tok.get_vocab()
    return [piece for piece, _ in sorted(vocab.items(), key=lambda kv: kv[1])]


def build_tiny_bert(
    texts: Iterable[str],
    out_dir: str | os.PathLike,
    *,
    vocab_size: int = 4000,
    hidden_size: int = 128,
    num_layers: int = 2,
    num_heads: int = 2,
    intermediate_size: int = 256,
    max_position: int = 512,
    seed: int = 0,
) -> Path:
    """Write a random-init BERT and its tokenizer to ``out_dir`` and return the path."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    vocab = train_wordpiece(texts, vocab_size)
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    for stale in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        (out / stale).unlink(missing_ok=True)
    tokenizer = BertTokenizer.from_pretrained(out, do_lower_case=False, strip_accents=False)
    tokenizer.save_pretrained(out)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=hidden_size,
        num_hidden_layers=num_layers,
        num_attention_heads=num_heads,
        intermediate_size=intermediate_size,
        max_position_embeddings=max_position,
        pad_token_id=vocab.index("[PAD]"),
    )
    torch.manual_seed(seed)
    BertModel(config).save_pretrained(out, safe_serialization=True)
    check = BertTokenizer.from_pretrained(out, do_lower_case=False)
    sample = check.tokenize("Hello world")
    if sample and all(p == "[UNK]" for p in sample) and len(vocab) > len(SPECIAL_TOKENS) + 10:
        raise RuntimeError(f"tiny encoder tokenizer at {out} maps text to [UNK] only")
    return out
