"""The option tables of docs/ner.md, generated from the options dataclasses.

``python -m ner.cli._reference`` rewrites them in place; a test fails when the docs are stale.
"""

from __future__ import annotations

from pathlib import Path

from augment.core.options import options_table, replace_docs_blocks

DOC = Path(__file__).resolve().parents[2] / "docs" / "ner.md"


def tables() -> dict[str, str]:
    """Block name -> Markdown table, one per command documented in docs/ner.md."""
    from ner.options import DistillConfig, EvaluateOptions, PredictOptions, TrainConfig

    return {"ner train": options_table(TrainConfig), "ner distill": options_table(DistillConfig),
            "ner evaluate": options_table(EvaluateOptions), "ner predict": options_table(PredictOptions)}


def render(text: str) -> str:
    return replace_docs_blocks(text, tables())


if __name__ == "__main__":
    DOC.write_text(render(DOC.read_text("utf-8")), "utf-8")
    print(f"wrote {DOC}")
