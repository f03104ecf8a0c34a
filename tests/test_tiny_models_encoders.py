"""The XLM-R and mDeBERTa-v3 stand-ins: real architecture and tokenizer kind, and the whole NER
chain on each (SimAlign, ``ner train``, ``ner predict``, ``ner distill``), with first-subword
labelling checked on words whose first piece is only the word marker ``▁``."""

from __future__ import annotations

import json

import pytest
import torch

from augment.core import read_corpus
from ner.data import WordEncoder, collate
from ner.labels import IGNORE, LabelMap
from ner.model import load_model, load_tokenizer
from ner.predict import ids_to_tags, predict
from tests.fixtures.ner import cli, one_thread

MARKER = "\u2581"
ENCODERS = ["tiny_xlmr", "tiny_mdeberta"]
KINDS = {"tiny_xlmr": ("XLMRobertaModel", "XLMRobertaTokenizer", "<s>", "</s>", "<pad>", 1),
         "tiny_mdeberta": ("DebertaV2Model", "DebertaV2Tokenizer", "[CLS]", "[SEP]", "[PAD]", 0)}


@pytest.fixture(scope="module")
def yor_dev(data_dir):
    return read_corpus(data_dir / "masakhaner1" / "yor" / "dev.txt", repair=True, to_scheme="iob2")


@pytest.mark.parametrize("fixture", ENCODERS)
def test_tiny_models_encoders_have_the_real_architecture_and_tokenizer_kind(request, fixture):
    from transformers import AutoConfig, AutoModel

    path = request.getfixturevalue(fixture)
    model_class, tok_class, cls, sep, pad, pad_id = KINDS[fixture]
    tok = load_tokenizer(path)
    assert type(AutoModel.from_pretrained(path)).__name__ == model_class
    assert type(tok).__name__ == tok_class and tok.is_fast
    config = AutoConfig.from_pretrained(path)
    assert config.hidden_size == 64 and config.num_hidden_layers == 2 and config.vocab_size == len(tok) <= 2000
    assert (tok.cls_token, tok.sep_token, tok.pad_token, tok.pad_token_id) == (cls, sep, pad, pad_id)
    assert tok.convert_ids_to_tokens(len(tok) - 1) == tok.mask_token  # mask last, as in the real vocabularies
    pieces = tok.tokenize("Adébáyọ̀ lọ sí Lagos ( Nigeria ) .")
    assert pieces[0].startswith(MARKER) and MARKER in pieces and tok.unk_token not in pieces
    assert tok.convert_tokens_to_ids(pieces) != [tok.unk_token_id] * len(pieces)


def _bare_marker_words(tok, sentences) -> set[str]:
    words = sorted({w for s in sentences for w in s.tokens})
    ids = tok(words, add_special_tokens=False)["input_ids"]
    marker = tok.convert_tokens_to_ids(MARKER)
    return {w for w, p in zip(words, ids, strict=True) if len(p) > 1 and p[0] == marker}


@pytest.mark.parametrize("fixture", ENCODERS)
def test_tiny_models_bare_marker_words_label_their_first_real_piece(request, fixture, yor_dev):
    tok = load_tokenizer(request.getfixturevalue(fixture))
    sents = yor_dev[:150]
    bare = _bare_marker_words(tok, sents)
    entity_bare = {w for s in sents for w, t in zip(s.tokens, s.tags, strict=True) if t != "O" and w in bare}
    assert len(bare) >= 3 and entity_bare, (bare, entity_bare)  # e.g. "(" -> ▁ ( ; entity words too
    marker = tok.convert_tokens_to_ids(MARKER)
    labels = LabelMap.from_tags(s.tags for s in sents)
    enc = WordEncoder(tok, max_length=512)
    examples = enc.encode_all(sents, labels)
    batch = collate(examples, enc.pad)
    checked = 0
    for row, (s, e) in enumerate(zip(sents, examples, strict=True)):
        assert len(e.first) == len(s.tokens)
        for k, word in enumerate(s.tokens):
            pos = e.first[k]
            pieces = tok(word, add_special_tokens=False)["input_ids"]
            if word in bare:
                # the label sits on the piece after the bare marker, which is a real position
                assert e.input_ids[pos - 1] == marker and e.input_ids[pos] == pieces[1] != marker
                assert int(batch.labels[row, pos - 1]) == IGNORE
                checked += 1
            else:
                assert e.input_ids[pos] == pieces[0]
            assert labels.decode([int(batch.labels[row, pos])]) == [s.tags[k]]
        # every subword of every word counts for pooling, the bare markers included
        assert int(batch.word_mask[row].sum()) == e.word_end - 1
    assert checked >= 3


@pytest.fixture(scope="module", params=ENCODERS)
def trained(request, tmp_path_factory, data_dir):
    """One encoder fine-tuned by ``ner train`` (200 yor sentences, 2 epochs) and distilled by
    ``ner distill`` on 100 MENYO-20k Yoruba lines."""
    from augment.core import write_corpus

    path = request.getfixturevalue(request.param)
    root = tmp_path_factory.mktemp(f"chain-{request.param}")
    yor = data_dir / "masakhaner1" / "yor"
    write_corpus(read_corpus(yor / "train.txt", repair=True, to_scheme="iob2")[:200], root / "train.jsonl")
    write_corpus(read_corpus(yor / "dev.txt", repair=True, to_scheme="iob2")[:40], root / "dev.jsonl")
    lines = (data_dir / "menyo20k" / "dev.tsv").read_text("utf-8").splitlines()[1:101]
    (root / "yo.txt").write_text("\n".join(x.split("\t")[1] for x in lines) + "\n", encoding="utf-8")
    with one_thread():
        cli(["train", "--train", root / "train.jsonl", "--dev", root / "dev.jsonl",
             "--model", path, "--out", root / "teacher", "--epochs", "2", "--lr", "3e-3",
             "--batch-size", "16", "--max-length", "64", "--lambda-label", "0.5",
             "--lambda-translation", "0", "--warmup", "0", "--seed", "3"])
        cli(["distill", "--teacher", root / "teacher", "--unlabeled", root / "yo.txt",
             "--dev", root / "dev.jsonl", "--out", root / "student", "--epochs", "1",
             "--lr", "2e-3", "--batch-size", "16", "--max-length", "64", "--seed", "3", "--freeze-layers", "1"])
    return {"name": request.param, "encoder": path, "root": root}


def test_tiny_models_ner_train_predict_distill_on_each_encoder(trained, run_cli, yor_dev):
    from transformers import AutoConfig

    root = trained["root"]
    model_type = AutoConfig.from_pretrained(trained["encoder"]).model_type
    for run in ("teacher", "student"):
        assert AutoConfig.from_pretrained(root / run).model_type == model_type
        summary = json.loads((root / run / "summary.json").read_text())
        assert summary["best_dev_f1"] is not None
    out = root / "pred.conll"
    with one_thread():
        code, _, err = run_cli("ner", ["predict", root / "student", root / "dev.jsonl", out])
    assert code == 0, err
    gold = read_corpus(root / "dev.jsonl")
    pred = read_corpus(out)
    assert [p.tokens for p in pred] == [g.tokens for g in gold]
    assert all(len(p.tags) == len(p.tokens) for p in pred)


def test_tiny_models_predictions_map_back_to_words_through_the_real_piece(trained, yor_dev):
    """``predict`` reads each word's label at its first real piece: the same tags as a hand-made
    forward pass that looks there (and, for bare-marker words, not at the ``▁`` before it)."""
    model_dir = trained["root"] / "teacher"
    model, tok, label_map = load_model(model_dir, "cpu")
    sents = yor_dev[:60]
    bare = _bare_marker_words(tok, sents)
    with one_thread():
        tagged = predict(model_dir, sents, device="cpu")
    marker = tok.convert_tokens_to_ids(MARKER)
    seen = 0
    for s, t in zip(sents, tagged, strict=True):
        pieces = [tok(w, add_special_tokens=False)["input_ids"] for w in s.tokens]
        ids = [tok.cls_token_id]
        real = []
        for w, p in zip(s.tokens, pieces, strict=True):
            real.append(len(ids) + (1 if w in bare else 0))
            seen += w in bare
            ids.extend(p)
        ids.append(tok.sep_token_id)
        assert all(ids[r] != marker for r in real)
        with torch.inference_mode():
            _, logits = model(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long))
        expected = ids_to_tags(logits[0, real].argmax(-1), label_map.labels, len(s.tokens))
        assert t.tokens == s.tokens and t.tags == expected
    assert seen > 0


@pytest.mark.parametrize("fixture", ENCODERS)
def test_tiny_models_simalign_runs_on_each_encoder(request, fixture, data_dir):
    from align.aligners import get_aligner

    lines = (data_dir / "menyo20k" / "dev.tsv").read_text("utf-8").splitlines()[1:21]
    pairs = [(en.split(), yo.split()) for en, yo in (x.split("\t")[:2] for x in lines)]
    with one_thread():
        for matching in ("argmax", "itermax", "mwmf"):
            aligner = get_aligner("simalign", model=str(request.getfixturevalue(fixture)), layer=2,
                                  matching=matching, device="cpu")
            result = aligner.align(pairs)
            assert len(result) == len(pairs)
            for a, (s, t) in zip(result, pairs, strict=True):
                assert (a.src_len, a.tgt_len) == (len(s), len(t))
                assert a.links and all(0 <= i < len(s) and 0 <= j < len(t) for i, j in a.links)
