"""First-subword alignment, truncation, label maps and length batches that keep pairs together."""

from __future__ import annotations

import json

import pytest

from augment.core import read_corpus
from augment.core.errors import DataError
from ner.data import WordEncoder, collate, length_batches
from ner.labels import IGNORE, LabelMap
from ner.model import load_tokenizer
from ner.pairs import read_augmented


@pytest.fixture(scope="module")
def tokenizer(tiny_bert):
    return load_tokenizer(tiny_bert)


def test_only_first_subwords_carry_labels(tokenizer, data_dir):
    sents = read_corpus(data_dir / "masakhaner1" / "yor" / "dev.txt", repair=True, to_scheme="iob2")[:20]
    labels = LabelMap.from_tags(s.tags for s in sents)
    assert labels.labels[0] == "O" and labels.types == ["DATE", "LOC", "ORG", "PER"]
    enc = WordEncoder(tokenizer, max_length=512)
    examples = enc.encode_all(sents, labels)
    batch = collate(examples, enc.pad)
    for row, (s, e) in enumerate(zip(sents, examples, strict=True)):
        assert len(e.first) == len(s.tokens)
        pieces = [tokenizer(w, add_special_tokens=False)["input_ids"] for w in s.tokens]
        assert [e.input_ids[p] for p in e.first] == [p[0] for p in pieces]
        assert e.input_ids[0] == tokenizer.cls_token_id and e.input_ids[-1] == tokenizer.sep_token_id
        row_labels = batch.labels[row]
        assert labels.decode(row_labels[row_labels != IGNORE].tolist()) == s.tags
        assert int(batch.first_mask[row].sum()) == len(s.tokens)
        assert int(batch.word_mask[row].sum()) == sum(len(p) for p in pieces)
    assert sum(len(p) > 1 for s in sents for p in tokenizer(s.tokens, add_special_tokens=False)["input_ids"]) > 10


def test_truncation_keeps_whole_words(tokenizer):
    enc = WordEncoder(tokenizer, max_length=10)
    ids, first, end = enc.encode(["Ọba", "Adéyẹmí", "lọ", "sí", "Ọ̀yọ́", "ní", "àná", "pẹ̀lú", "ayọ̀"])
    assert len(ids) <= 10 and ids[-1] == tokenizer.sep_token_id and end == len(ids) - 1
    assert 0 < len(first) < 9


def test_unknown_label_is_a_data_error():
    with pytest.raises(DataError, match="MISC"):
        LabelMap.from_types(["PER"]).encode(["B-MISC"])


def test_batches_keep_pairs_together_and_are_deterministic(tokenizer, tmp_path, data_dir):
    path = tmp_path / "aug.jsonl"
    tgt = read_corpus(data_dir / "europarl_ner_parallel" / "de-europarl.test.conll02")[:40]
    src = read_corpus(data_dir / "europarl_ner_parallel" / "en-europarl.test.conll02")[:40]
    with open(path, "w", encoding="utf-8") as fh:
        for s, t in zip(src, tgt, strict=True):
            fh.write(json.dumps({**t.to_dict(), "src": s.to_dict()}) + "\n")
        fh.write(json.dumps({"id": "lonely", "tokens": ["a", "b"], "tags": ["O", "O"]}) + "\n")
    sents, groups = read_augmented(path)
    assert len(sents) == 81 and groups[-1] == -1 and groups[:4] == [0, 0, 1, 1]
    assert sents[0].tokens == src[0].tokens and sents[1].tokens == tgt[0].tokens
    examples = WordEncoder(tokenizer, 64).encode_all(sents, None, groups)
    batches = length_batches(examples, batch_size=7, seed=5, epoch=1)
    assert sorted(i for b in batches for i in b) == list(range(81))
    where = {i: n for n, b in enumerate(batches) for i in b}
    assert all(where[2 * k] == where[2 * k + 1] for k in range(40))
    assert batches == length_batches(examples, batch_size=7, seed=5, epoch=1)
    assert batches != length_batches(examples, batch_size=7, seed=5, epoch=2)


def test_bad_src_field_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"tokens": ["a"], "tags": ["O"], "src": {"tokens": ["x", "y"], "tags": ["O"]}}\n', encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_augmented(path)
    assert str(err.value).startswith(f"{path}:1:") and "2 tokens but 1 tags" in str(err.value)
