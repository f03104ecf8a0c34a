"""Build tiny random-init translation models offline (Marian, NLLB-200, M2M100) for tests and demos.

Nothing is downloaded: the subword vocabulary is trained on the given text and the weights are
random (initialised with std 0.2 instead of the usual 0.02, so that the output depends on the
input). Each has the architecture and tokenizer kind of the hub model it stands in for: Marian
with ``source.spm``/``target.spm``/``vocab.json``; NLLB-200 (``M2M100ForConditionalGeneration``)
with ``NllbTokenizer`` and ``xxx_Xxxx`` language codes as special tokens after the subword
vocabulary (``<mask>`` just before them, not after as in the real one; nothing uses it); M2M100
with the slow ``M2M100Tokenizer`` (``vocab.json`` + ``sentencepiece.bpe.model``) and its
``__yo__``-style codes. The result is a normal ``save_pretrained`` directory that ``AutoTokenizer`` and
``AutoModelForSeq2SeqLM`` load by path, exactly like a hub model. A random model does not
translate; it produces subword soup and loops until the length cap, so callers keep
``max_length`` small. The ``<pad>`` embedding row is kept at zero because CTranslate2 assumes it
(otherwise the transformers and CTranslate2 backends diverge on the same model).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from augment.core.hub import quietly

#: Characters the marker method uses by default; kept as single pieces in tiny vocabularies.
MARKER_SYMBOLS = ("[", "]")


def _train_spm(texts: Iterable[str], prefix: Path, vocab_size: int, user_symbols: Sequence[str]) -> Path:
    """Train a BPE sentencepiece model the way Marian expects it (eos 0, unk 1, no bos/pad)."""
    import sentencepiece as spm

    lines = [t.strip() for t in texts if t and t.strip()]
    if not lines:
        raise ValueError("no text to train a vocabulary on")
    # trained from an iterator into memory: the model records no temp input or output path,
    # so the same texts give byte-identical vocabularies wherever they are built
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buf, vocab_size=vocab_size, model_type="bpe",
        character_coverage=1.0, unk_id=1, eos_id=0, bos_id=-1, pad_id=-1,
        user_defined_symbols=list(user_symbols), hard_vocab_limit=False, minloglevel=2,
        num_threads=1,
    )
    path = prefix.with_suffix(".model")
    path.write_bytes(buf.getvalue())
    return path


def _zero_pad_row(model, pad_id: int) -> None:
    import torch

    with torch.no_grad():
        for emb in {id(e): e for e in (model.get_input_embeddings(), model.get_output_embeddings()) if e is not None}.values():
            emb.weight[pad_id].zero_()


def _layer_sizes(d_model: int, layers: int, heads: int, ffn_dim: int, max_length: int) -> dict[str, int]:
    """The encoder/decoder size arguments Marian and M2M100 configs share (both sides alike)."""
    return {"d_model": d_model, "encoder_layers": layers, "decoder_layers": layers,
            "encoder_attention_heads": heads, "decoder_attention_heads": heads, "encoder_ffn_dim": ffn_dim,
            "decoder_ffn_dim": ffn_dim, "max_position_embeddings": max(max_length, 64) * 2}


def _save_random_model(model_class, config, out: Path, pad_id: int, max_length: int, seed: int) -> None:
    """Initialise ``model_class(config)`` from ``seed``, zero its pad row, make greedy decoding
    up to ``max_length`` its generation default, and save it (safetensors) in ``out``."""
    import torch

    torch.manual_seed(seed)
    model = model_class(config)
    _zero_pad_row(model, pad_id)
    model.generation_config.max_length = max_length
    model.generation_config.num_beams = 1
    model.save_pretrained(out, safe_serialization=True)


@quietly
def build_tiny_marian(
    src_texts: Iterable[str],
    tgt_texts: Iterable[str],
    out_dir: str | os.PathLike,
    *,
    vocab_size: int = 1000,
    d_model: int = 32,
    layers: int = 1,
    heads: int = 2,
    ffn_dim: int = 64,
    max_length: int = 64,
    target_tokens: Sequence[str] = (),
    init_std: float = 0.2,
    seed: int = 0,
    dropout: float = 0.1,
) -> Path:
    """A random Marian model with one shared sentencepiece vocabulary trained on both sides.

    ``target_tokens`` (e.g. ``[">>yor<<", ">>hau<<"]``) makes it a multi-target model like
    ``opus-mt-en-mul`` whose source must start with the target-language token. ``dropout``: the
    config's (Marian's default 0.1), used when the model is trained.
    """
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        spm_file = _train_spm([*src_texts, *tgt_texts], Path(tmp) / "spm", vocab_size,
                              [*target_tokens, *MARKER_SYMBOLS])
        import sentencepiece as spm

        sp = spm.SentencePieceProcessor(model_file=str(spm_file))
        pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        vocab = {p: i for i, p in enumerate(pieces)}
        vocab["<pad>"] = len(vocab)
        for name in ("source.spm", "target.spm"):
            (out / name).write_bytes(spm_file.read_bytes())
        (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Recommended: pip install sacremoses" (not needed)
        tok = MarianTokenizer(source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"),
                              vocab=str(out / "vocab.json"), model_max_length=max_length)
    tok.save_pretrained(out)
    pad = len(vocab) - 1
    config = MarianConfig(
        vocab_size=len(vocab), **_layer_sizes(d_model, layers, heads, ffn_dim, max_length), pad_token_id=pad, decoder_start_token_id=pad, eos_token_id=0, forced_eos_token_id=None,
        max_length=max_length, num_beams=1, share_encoder_decoder_embeddings=True,
        scale_embedding=True, init_std=init_std, dropout=dropout,
    )
    _save_random_model(MarianMTModel, config, out, pad, max_length, seed)
    return out


@quietly
def build_tiny_nllb(
    texts: Iterable[str],
    out_dir: str | os.PathLike,
    *,
    lang_codes: Sequence[str] = ("eng_Latn", "yor_Latn"),
    vocab_size: int = 1000,
    d_model: int = 32,
    layers: int = 1,
    heads: int = 2,
    ffn_dim: int = 64,
    max_length: int = 64,
    init_std: float = 0.2,
    seed: int = 0,
) -> Path:
    """A random NLLB (M2M100) model whose tokenizer knows ``lang_codes`` as special tokens."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials, show_progress=False,
                                  initial_alphabet=list(MARKER_SYMBOLS))
    bpe.train_from_iterator([t for t in texts if t.strip()], trainer=trainer)
    state = json.loads(bpe.to_str())["model"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in state["merges"]]
    tok = NllbTokenizer(vocab=state["vocab"], merges=merges, extra_special_tokens=list(lang_codes),
                        src_lang=lang_codes[0], model_max_length=max_length)
    tok.add_special_tokens({"mask_token": "<mask>"})
    missing = [c for c in lang_codes if tok.convert_tokens_to_ids(c) == tok.unk_token_id]
    if missing:
        raise RuntimeError(f"tiny NLLB tokenizer lacks language codes {missing}")
    tok.save_pretrained(out)
    config = M2M100Config(
        vocab_size=len(tok), **_layer_sizes(d_model, layers, heads, ffn_dim, max_length),
        pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id, max_length=max_length, scale_embedding=True,
        tie_word_embeddings=True, init_std=init_std,
    )
    _save_random_model(M2M100ForConditionalGeneration, config, out, tok.pad_token_id, max_length, seed)
    return out


@quietly
def build_tiny_m2m100(
    texts: Iterable[str],
    out_dir: str | os.PathLike,
    *,
    src_lang: str = "en",
    vocab_size: int = 1000,
    d_model: int = 32,
    layers: int = 1,
    heads: int = 2,
    ffn_dim: int = 64,
    max_length: int = 64,
    init_std: float = 0.2,
    seed: int = 0,
) -> Path:
    """A random M2M100 model (``facebook/m2m100_418M`` layout) with the real tokenizer class.

    ``vocab.json`` starts ``<s> <pad> </s> <unk>`` like fairseq's dictionary; ``M2M100Tokenizer``
    appends its 100 ``__xx__`` language tokens and 8 ``madeupword`` fillers after it, so the
    model's vocabulary is that much larger, as in the real checkpoint (128,112 = 128,004 + 108).
    """
    import sentencepiece as spm
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lines = [t.strip() for t in texts if t and t.strip()]
    if not lines:
        raise ValueError("no text to train a vocabulary on")
    with tempfile.TemporaryDirectory() as tmp:
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines), model_prefix=str(Path(tmp) / "spm"), vocab_size=vocab_size,
            model_type="bpe", character_coverage=1.0, user_defined_symbols=list(MARKER_SYMBOLS),
            hard_vocab_limit=False, minloglevel=2, num_threads=1,
        )
        model_file = Path(tmp) / "spm.model"
        sp = spm.SentencePieceProcessor(model_file=str(model_file))
        vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
        for i in range(sp.get_piece_size()):
            if not (sp.is_control(i) or sp.is_unknown(i)):
                vocab.setdefault(sp.id_to_piece(i), len(vocab))
        (out / "sentencepiece.bpe.model").write_bytes(model_file.read_bytes())
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = M2M100Tokenizer(vocab_file=str(out / "vocab.json"), spm_file=str(out / "sentencepiece.bpe.model"),
                          src_lang=src_lang, model_max_length=max_length)
    tok.save_pretrained(out)
    n_vocab = tok.encoder_size + len(tok.lang_code_to_id) + tok.num_madeup_words
    config = M2M100Config(
        vocab_size=n_vocab, **_layer_sizes(d_model, layers, heads, ffn_dim, max_length),
        pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id, max_length=max_length, scale_embedding=True,
        tie_word_embeddings=True, init_std=init_std,
    )
    _save_random_model(M2M100ForConditionalGeneration, config, out, tok.pad_token_id, max_length, seed)
    return out
