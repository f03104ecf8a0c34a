"""The README's table of the default job is the one `pipelines run` prints: its arms are the
quickstart config's labels, in its order, with 3 decimals and no ± (one seed)."""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.results import brief, collect

REPO = Path(__file__).resolve().parents[1]


def test_readme_default_table_has_the_printed_shape():
    from pipelines.cli._options import DEFAULT_CONFIG
    from pipelines.config import load_config

    text = (REPO / "README.md").read_text("utf-8")
    table = text.split("It ends with this table", 1)[1].split("\n\n", 2)[1]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()]
    assert rows[0] == ["arm", "entity F1"] and rows[1] == ["---", "---"]
    cfg = load_config(DEFAULT_CONFIG, variables={"data": str(REPO.parent / "shared" / "data")})
    labels = [cfg.stages[f"evaluate-{m}"].label for m in ("zero-shot", "concner", "supervised")]
    assert [r[0] for r in rows[2:]] == labels
    assert all(re.fullmatch(r"0\.\d{3}", r[1]) for r in rows[2:]), rows
    # what pipelines run prints for those values is exactly these lines
    manifests = [{"run": f"e{i}", "stage": f"e{i}", "label": r[0], "key": "0" * 16, "binding": {"tgt": "yo", "seed": 1},
                  "summary": {"metrics": {"f1": float(r[1]), "precision": 0.0, "recall": 0.0}}}
                 for i, r in enumerate(rows[2:])]
    assert brief(collect(manifests)).splitlines()[:len(rows)] == table.splitlines()
