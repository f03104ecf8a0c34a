"""Inputs longer than the model's limit never stop a translation run: split, or truncated, and counted."""

from __future__ import annotations

import json
import shutil

import pytest

from augment.core import Sentence, read_corpus
from augment.translate import summary, translate_corpus
from augment.translate.long_inputs import split_long
from tests.fixtures.translate import CopyTranslator

pytestmark = pytest.mark.usefixtures("torch_one_thread")


class LimitedCopy(CopyTranslator):
    """The copy backend with a source limit of ``limit`` words (plus one end token)."""

    def __init__(self, limit: int):
        super().__init__()
        self.max_source_tokens = limit
        self.seen: list[str] = []

    def count_tokens(self, texts):
        return [len(t.split()) + 1 for t in texts]

    def translate(self, texts, *, num_beams=1):
        assert all(n <= self.max_source_tokens for n in self.count_tokens(texts))
        self.seen.extend(texts)
        return super().translate(texts, num_beams=num_beams)


@pytest.fixture(scope="module")
def long_sentences(data_dir):
    """MasakhaNER yor dev sentences glued 6 at a time into long ones (tags kept, IOB2)."""
    sents = read_corpus(data_dir / "masakhaner1" / "yor" / "dev.txt", repair=True, to_scheme="iob2", lang="yo")[:60]
    out = []
    for g in range(0, 60, 6):
        group = sents[g:g + 6]
        out.append(Sentence(f"long{g}", [t for s in group for t in s.tokens], [t for s in group for t in s.tags], "yo"))
    return out


def test_translate_long_inputs_split_keeps_every_entity(long_sentences):
    backend = LimitedCopy(40)
    records = translate_corpus(long_sentences, src="yo", tgt="en", backend=backend, show_progress=False)
    assert all(len(s.tokens) + 1 > 40 for s in long_sentences)
    for r, s in zip(records, long_sentences):
        assert r["long_input"] == "split" and r["pieces"] >= 2
        assert r["tokens"] == s.tokens
        if r["markers_ok"]:
            assert r["tags"] == s.tags
    assert sum(r["markers_ok"] for r in records) >= 8
    # no piece cut inside an entity marker pair
    assert all(p.count("[") == p.count("]") for p in backend.seen)
    counts = summary(records)
    assert counts["long_split"] == len(long_sentences) and counts["long_truncated"] == 0


def test_translate_long_inputs_unsplittable_is_truncated_and_counted():
    entity = " ".join(f"w{i}" for i in range(30))
    pieces, how = split_long(f"a b [{entity}] c .", 10, lambda ts: [len(t.split()) + 1 for t in ts], ("[", "]"))
    assert how == "truncated" and any(p.startswith("[") and p.endswith("]") for p in pieces)
    pieces, how = split_long("one two. three four five. six", 4, lambda ts: [len(t.split()) + 1 for t in ts])
    assert how == "split" and pieces == ["one two.", "three four five.", "six"]
    assert split_long("short", 4, lambda ts: [len(t.split()) + 1 for t in ts]) == (["short"], "")


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_translate_long_inputs_tiny_marian_past_its_positions(tiny_marian, tmp_path, menyo_lines, ct2_cache,
                                                              run_cli, backend):
    # a model whose tokenizer sets no length limit: only the 128 positions bound it (it crashed before)
    model = tmp_path / "marian"
    shutil.copytree(tiny_marian, model)
    cfg = json.loads((model / "tokenizer_config.json").read_text("utf-8"))
    cfg.pop("model_max_length", None)
    (model / "tokenizer_config.json").write_text(json.dumps(cfg), encoding="utf-8")
    assert json.loads((model / "config.json").read_text("utf-8"))["max_position_embeddings"] == 128
    en = menyo_lines[0]
    long_line = " ".join(en[:40])  # ~700 subwords
    text = tmp_path / "en.txt"
    text.write_text(en[50] + "\n" + long_line + "\n", encoding="utf-8")
    out = tmp_path / "yo.jsonl"
    code, _, err = run_cli("augment", ["translate", text, out, "--src", "en", "--tgt", "yo", "--model", model,
                                       "--method", "plain", "--backend", backend, "--cache-dir", ct2_cache])
    assert code == 0, err
    assert "longer than the model's limit: 1 split into pieces, 0 truncated" in err
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert "long_input" not in records[0]
    assert records[1]["long_input"] == "split" and records[1]["pieces"] >= 5
