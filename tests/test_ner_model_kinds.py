"""``ner train --model`` takes any AutoModel encoder with a fast tokenizer; other models fail in one line."""

from __future__ import annotations

import shutil

import pytest

from augment.core import read_corpus, write_corpus
from tests.fixtures.ner import one_thread

ARGS = ["--epochs", "1", "--batch-size", "16", "--max-length", "48", "--lambda-label", "0",
        "--lambda-translation", "0", "--seed", "3"]


@pytest.fixture(scope="module")
def yor_small(data_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("yor") / "train.jsonl"
    write_corpus(read_corpus(data_dir / "masakhaner1" / "yor" / "train.txt", repair=True, to_scheme="iob2")[:64], path)
    return path


def _with_tokenizer_of(tiny_bert, out):
    for f in tiny_bert.iterdir():
        if f.name.startswith(("tokenizer", "special_tokens", "vocab")):
            shutil.copy(f, out / f.name)
    return out


@pytest.fixture(scope="module")
def tiny_distilbert(tiny_bert, tmp_path_factory):
    """A random 1-layer DistilBERT sharing the tiny BERT's WordPiece tokenizer."""
    import torch
    from transformers import AutoTokenizer, DistilBertConfig, DistilBertModel

    out = tmp_path_factory.mktemp("distilbert")
    vocab = len(AutoTokenizer.from_pretrained(tiny_bert))
    torch.manual_seed(0)
    DistilBertModel(DistilBertConfig(vocab_size=vocab, dim=64, n_layers=1, n_heads=2, hidden_dim=128,
                                     max_position_embeddings=64)).save_pretrained(out)
    return _with_tokenizer_of(tiny_bert, out)


@pytest.fixture(scope="module")
def tiny_gpt2(tiny_bert, tmp_path_factory):
    from transformers import GPT2Config, GPT2Model

    out = tmp_path_factory.mktemp("gpt2")
    GPT2Model(GPT2Config(vocab_size=3000, n_embd=32, n_layer=1, n_head=2, n_positions=64)).save_pretrained(out)
    return _with_tokenizer_of(tiny_bert, out)


@pytest.fixture(scope="module")
def tiny_slow_tokenizer_encoder(tmp_path_factory, data_dir):
    """A random BertGeneration encoder whose tokenizer is sentencepiece-only (no fast one)."""
    import sentencepiece as spm
    from transformers import BertGenerationConfig, BertGenerationEncoder, BertGenerationTokenizer

    out = tmp_path_factory.mktemp("bertgen")
    text = out / "text.txt"
    text.write_text("\n".join(" ".join(s.tokens) for s in read_corpus(
        data_dir / "masakhaner1" / "yor" / "train.txt", repair=True)[:500]), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(text), model_prefix=str(out / "spiece"), vocab_size=300,
                                   minloglevel=2, num_threads=1)
    text.unlink()
    (out / "spiece.vocab").unlink()
    tok = BertGenerationTokenizer.from_pretrained(out)
    tok.save_pretrained(out)
    BertGenerationEncoder(BertGenerationConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=1,
                                               num_attention_heads=2, intermediate_size=64,
                                               max_position_embeddings=64)).save_pretrained(out)
    return out


def test_ner_model_any_automodel_encoder_trains(run_cli, tiny_distilbert, yor_small, tmp_path):
    out = tmp_path / "m"
    with one_thread():
        code, _, err = run_cli("ner", ["train", "--train", yor_small, "--model", tiny_distilbert, "--out", out, *ARGS])
    assert code == 0, err
    assert (out / "ner_head.safetensors").is_file()
    assert '"model_type": "distilbert"' in (out / "config.json").read_text("utf-8")


@pytest.mark.parametrize("kind, reason", [
    ("tiny_marian", "(marian) is an encoder-decoder model; ner needs an encoder such as BERT"),
    ("tiny_gpt2", "(gpt2) is a decoder-only model (it sees only the words to the left)"),
    ("tiny_slow_tokenizer_encoder", "has no fast tokenizer (BertGenerationTokenizer is a Python one"),
])
def test_ner_model_unusable_models_say_why_in_one_line(request, run_cli, yor_small, tmp_path, kind, reason):
    model = request.getfixturevalue(kind)
    out = tmp_path / "m"
    code, _, err = run_cli("ner", ["train", "--train", yor_small, "--model", model, "--out", out, *ARGS])
    assert code == 1 and err.count("\n") == 1, err
    assert err.startswith(f"error: '{model}' ") and reason in err
    assert not (out / "ner_head.safetensors").exists()
