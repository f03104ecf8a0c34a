"""MLM pretraining of a from-scratch encoder learns something and saves a loadable encoder."""

from __future__ import annotations

import csv
import json


def test_mlm_pretraining_lowers_loss_and_saves_encoder(tiny_bert, data_dir, tmp_path):
    from transformers import AutoModel

    from ner.mlm import pretrain_mlm

    with open(data_dir / "menyo20k/train.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))[1:321]
    texts = [r[0] for r in rows] + [r[1] for r in rows]
    out = pretrain_mlm(tiny_bert, texts, tmp_path / "mlm", epochs=1, batch_size=32, max_length=32, lr=1e-3, seed=3)
    log = json.loads((out / "mlm_log.json").read_text())
    assert log["steps"] == 20
    assert log["loss_last"] < log["loss_first"] - 0.5
    model = AutoModel.from_pretrained(out)
    assert model.config.hidden_size == 128
    again = pretrain_mlm(tiny_bert, texts, tmp_path / "mlm2", epochs=1, batch_size=32, max_length=32, lr=1e-3, seed=3)
    assert json.loads((again / "mlm_log.json").read_text()) == log


def test_tiny_encoder_is_byte_identical_across_builds(data_dir, tmp_path):
    from augment.core import read_corpus
    from augment.core.checkpoint import file_digest
    from ner.tiny_encoder import build_tiny_bert

    texts = [" ".join(s.tokens) for s in read_corpus(data_dir / "masakhaner1/yor/dev.txt", repair=True)]
    a = build_tiny_bert(texts, tmp_path / "a", vocab_size=800, hidden_size=32, intermediate_size=64)
    b = build_tiny_bert(texts, tmp_path / "b", vocab_size=800, hidden_size=32, intermediate_size=64)
    assert file_digest(a) == file_digest(b)
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(a)
    pieces = tok.tokenize(" ".join(read_corpus(data_dir / "masakhaner1/yor/test.txt", repair=True)[0].tokens))
    assert pieces and "[UNK]" not in pieces
