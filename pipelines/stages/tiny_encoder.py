"""``tiny-encoder``: build a small random-init BERT with a WordPiece vocabulary from given text.

For offline smoke demos and from-scratch experiments (nothing is downloaded); the output is a
normal ``save_pretrained`` directory that later stages load by path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages._text import EXCLUDE_HELP
from pipelines.stages.base import Setting, Slot, Stage


class TinyEncoder(Stage):
    kind = "tiny-encoder"
    help = "Random-init BERT + WordPiece vocabulary trained on the text of the given files."
    inputs = {"texts": Slot("corpus files, plain text or parallel .tsv whose text builds the vocabulary", many=True),
              "exclude": Slot(EXCLUDE_HELP, required=False, many=True)}
    settings = {
        "vocab_size": Setting(int, 4000, "WordPiece vocabulary size"),
        "hidden_size": Setting(int, 128, "hidden size"),
        "num_layers": Setting(int, 2, "transformer layers"),
        "num_heads": Setting(int, 2, "attention heads"),
        "intermediate_size": Setting(int, 256, "feed-forward size"),
        "max_sentences": Setting(int, None, "read at most this many sentences of each file"),
        "seed": Setting(int, 0, "initialisation seed"),
    }
    outputs = {"model": "model"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from ner.tiny_encoder import build_tiny_bert
        from pipelines.stages._text import read_texts

        texts, decontaminated = read_texts(inputs["texts"], settings["max_sentences"], inputs.get("exclude"))
        build_tiny_bert(texts, out / "model", vocab_size=settings["vocab_size"],
                        hidden_size=settings["hidden_size"], num_layers=settings["num_layers"],
                        num_heads=settings["num_heads"], intermediate_size=settings["intermediate_size"],
                        seed=settings["seed"])
        return {"texts": len(texts), **decontaminated}


STAGE = TinyEncoder
