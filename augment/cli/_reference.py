"""The option tables of docs/translate.md and docs/align.md, generated from the options dataclasses.

``python -m augment.cli._reference`` rewrites them in place; a test fails when the docs are stale
(the tables of docs/ner.md and docs/mt.md: ``python -m ner.cli._reference``).
"""

from __future__ import annotations

from pathlib import Path

from augment.core.options import options_table, replace_docs_blocks

DOCS = Path(__file__).resolve().parents[2] / "docs"


def tables() -> dict[Path, dict[str, str]]:
    """Doc file -> block name -> Markdown table."""
    from align.api import AlignOptions
    from augment.project.flow import ProjectOptions
    from augment.translate.options import TranslateOptions

    return {DOCS / "translate.md": {"augment translate": options_table(TranslateOptions)},
            DOCS / "align.md": {"align run": options_table(AlignOptions),
                                "augment project-labels": options_table(ProjectOptions)}}


def render(doc: Path, text: str) -> str:
    return replace_docs_blocks(text, tables()[doc])


if __name__ == "__main__":
    for doc in tables():
        doc.write_text(render(doc, doc.read_text("utf-8")), "utf-8")
        print(f"wrote {doc}")
