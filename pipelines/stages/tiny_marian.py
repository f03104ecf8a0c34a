"""``tiny-marian``: build a tiny random-init Marian translation model from parallel text.

A smoke-demo stand-in for a real OPUS-MT model (it does not translate: a random model emits
subword soup); built offline with ``augment.translate.tiny_models.build_tiny_marian``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages.base import Setting, Slot, Stage


class TinyMarian(Stage):
    kind = "tiny-marian"
    help = "Random-init Marian model with a sentencepiece vocabulary trained on a parallel TSV."
    inputs = {"parallel": Slot("a two-column TSV (source<TAB>target), e.g. MENYO-20k")}
    settings = {
        "max_sentences": Setting(int, 2000, "read at most this many pairs for the vocabulary"),
        "vocab_size": Setting(int, 1000, "sentencepiece vocabulary size"),
        "d_model": Setting(int, 32, "model size"),
        "layers": Setting(int, 1, "encoder and decoder layers"),
        "heads": Setting(int, 2, "attention heads"),
        "ffn_dim": Setting(int, 64, "feed-forward size"),
        "max_length": Setting(int, 64, "generation length cap (a random model always reaches it)"),
        "seed": Setting(int, 0, "initialisation seed"),
    }
    outputs = {"model": "model"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.translate.tiny_models import build_tiny_marian
        from pipelines.stages._text import read_tsv_pairs

        pairs = read_tsv_pairs(inputs["parallel"])[: settings["max_sentences"]]
        build_tiny_marian([s for s, _ in pairs], [t for _, t in pairs], out / "model",
                          vocab_size=settings["vocab_size"], d_model=settings["d_model"],
                          layers=settings["layers"], heads=settings["heads"], ffn_dim=settings["ffn_dim"],
                          max_length=settings["max_length"], seed=settings["seed"])
        return {"pairs": len(pairs)}


STAGE = TinyMarian
