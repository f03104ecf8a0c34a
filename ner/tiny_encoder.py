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
    """A cased WordPiece vocabulary (special tokens first) learnt from ``texts``, deterministically.

    The pieces come from sentencepiece BPE (single-threaded, so the same text always gives the
    same vocabulary; the ``tokenizers`` WordPiece trainer does not, huggingface/tokenizers#1794):
    a word-initial piece ``▁abc`` becomes ``abc`` and an inner piece ``abc`` becomes ``##abc``.
    Every character is added in both forms so no word maps to ``[UNK]``; the vocabulary may thus
    be slightly larger than ``vocab_size``.
    """
    import io

    import sentencepiece as spm

    lines = [t for t in texts if t.strip()]
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=vocab_size, model_type="bpe",
        character_coverage=1.0, num_threads=1, minloglevel=2, bos_id=-1, eos_id=-1, unk_id=0,
        split_digits=True, hard_vocab_limit=False,
    )
    sp = spm.SentencePieceProcessor(model_proto=model.getvalue())
    vocab = list(SPECIAL_TOKENS)
    seen = set(vocab)
    chars: list[str] = []

    def add(piece: str) -> None:
        if piece and piece not in seen:
            seen.add(piece)
            vocab.append(piece)

    for i in range(sp.get_piece_size()):
        if sp.is_unknown(i) or sp.is_control(i):
            continue
        piece = sp.id_to_piece(i)
        if piece.startswith("\u2581"):
            add(piece[1:])
        else:
            add("##" + piece)
        if len(piece.lstrip("\u2581")) == 1:
            chars.append(piece.lstrip("\u2581"))
    for ch in chars:
        add(ch)
        add("##" + ch)
    return vocab


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
