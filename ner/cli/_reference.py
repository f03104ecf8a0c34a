"""The option tables of docs/ner.md and docs/mt.md, generated from the options dataclasses.

``python -m ner.cli._reference`` rewrites them in place; a test fails when the docs are stale.
"""

from __future__ import annotations

from pathlib import Path

from augment.core.options import options_table, replace_docs_blocks

DOC = Path(__file__).resolve().parents[2] / "docs" / "ner.md"
MT_DOC = DOC.with_name("mt.md")


def tables() -> dict[str, str]:
    """Block name -> Markdown table, one per command documented in docs/ner.md."""
    from ner.options import DistillConfig, EvaluateOptions, PredictOptions, TrainConfig

    return {"ner train": options_table(TrainConfig), "ner distill": options_table(DistillConfig),
            "ner evaluate": options_table(EvaluateOptions), "ner predict": options_table(PredictOptions)}


def mt_tables() -> dict[str, str]:
    """Block name -> Markdown table for docs/mt.md (train-mt, translate-test, ensemble)."""
    from augment.mt.evaluate import ScoreMTOptions
    from augment.mt.train import TrainMTOptions
    from ner.ensemble import EnsembleOptions
    from ner.translate_test import TranslateTestOptions

    return {"augment train-mt": options_table(TrainMTOptions), "augment score-mt": options_table(ScoreMTOptions),
            "ner translate-test": options_table(TranslateTestOptions),
            "translate_test stage": options_table(TranslateTestOptions, "pipeline"),
            "ner ensemble": options_table(EnsembleOptions),
            "ensemble stage": options_table(EnsembleOptions, "pipeline")}


def render(text: str) -> str:
    return replace_docs_blocks(text, tables())


def render_mt(text: str) -> str:
    return replace_docs_blocks(text, mt_tables())


if __name__ == "__main__":
    for doc, fill in ((DOC, render), (MT_DOC, render_mt)):
        doc.write_text(fill(doc.read_text("utf-8")), "utf-8")
        print(f"wrote {doc}")
