"""The projection report: counts per type, per filter and per drop reason, and a few examples."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

MAX_EXAMPLES = 5


def bracketed(tokens: list[str], spans: list[tuple[int, int, str]]) -> str:
    """``a [PER b c] d``: tokens with entity spans in brackets."""
    opens: dict[int, list[str]] = {}
    closes: Counter = Counter()
    for s, e, label in spans:
        opens.setdefault(s, []).append(label)
        closes[e] += 1
    out = []
    for k, tok in enumerate(tokens):
        out += [f"[{label}" for label in opens.get(k, [])]
        out.append(tok)
        out += ["]"] * closes[k + 1]
    return " ".join(out)


class Report:
    def __init__(self, strategy: str, filters: dict[str, float | None]):
        self.settings = {"strategy": strategy, "filters": dict(filters)}
        self.n_in = self.n_kept = 0
        self.by_type: dict[str, Counter] = {}
        self.strategy: Counter = Counter()
        self.via: Counter = Counter()
        self.reasons: Counter = Counter()
        self.filters: Counter = Counter({name: 0 for name in filters})
        self.examples: dict[str, list[dict[str, str]]] = {}
        self.joined = {side: {"tokens": 0, "sentences": 0} for side in ("source", "target")}

    def count_joined(self, pairs) -> None:
        """Count the mark-only tokens the readers joined to the token before them, per side."""
        for p in pairs:
            for side, s in (("source", p.source), ("target", p.target)):
                if s.tokens_joined:
                    self.joined[side]["tokens"] += s.tokens_joined
                    self.joined[side]["sentences"] += 1

    def _example(self, kind: str, rec: dict[str, Any]) -> None:
        bucket = self.examples.setdefault(kind, [])
        if len(bucket) < MAX_EXAMPLES:
            ents = rec["projection"]["entities"]
            bucket.append({"id": str(rec.get("id")),
                           "src": bracketed(rec["src"]["tokens"], [tuple(e["src"]) for e in ents]),
                           "tgt": bracketed(rec["tokens"], [(e["tgt"][0], e["tgt"][1], e["src"][2])
                                                            for e in ents if e["tgt"] is not None])})

    def add(self, rec: dict[str, Any]) -> None:
        proj = rec["projection"]
        self.n_in += 1
        self.n_kept += proj["kept"]
        self.strategy[proj["strategy"]] += 1
        if proj["filter"]:
            self.filters[proj["filter"]] += 1
            self._example(proj["filter"], rec)
        for e in proj["entities"]:
            c = self.by_type.setdefault(e["src"][2], Counter())
            c["in"] += 1
            if e["status"] == "projected":
                c["projected"] += 1
                c["kept"] += proj["kept"]
                self.via[e["via"]] += 1
            else:
                self.reasons[e["reason"]] += 1
                self._example(e["reason"], rec)

    def to_dict(self) -> dict[str, Any]:
        types = {t: {"in": c["in"], "projected": c["projected"], "kept": c["kept"]}
                 for t, c in sorted(self.by_type.items())}
        return {"sentences_in": self.n_in, "sentences_kept": self.n_kept,
                "sentences_dropped": self.n_in - self.n_kept,
                "entities_in": sum(c["in"] for c in types.values()),
                "entities_projected": sum(c["projected"] for c in types.values()),
                "entities_kept": sum(c["kept"] for c in types.values()),
                "by_type": types, "strategy": dict(self.strategy), "via": dict(self.via),
                "entity_drop_reasons": dict(self.reasons), "filters": dict(self.filters),
                "tokens_joined": self.joined, "examples": self.examples, "settings": self.settings}


def report_markdown(report: dict[str, Any]) -> str:
    """A readable version of the report (Markdown tables)."""
    lines = ["# Projection report", "",
             f"Strategy: `{report['settings']['strategy']}`. Sentences: {report['sentences_in']} in, "
             f"{report['sentences_kept']} kept, {report['sentences_dropped']} dropped.", ""]
    for side, c in (report.get("tokens_joined") or {}).items():
        if c["tokens"]:
            lines += [f"Tokens joined ({side} side; mark-only tokens joined to the token before them): "
                      f"{c['tokens']} in {c['sentences']} sentences.", ""]
    lines += ["| type | entities in | projected | in kept sentences |", "| --- | ---: | ---: | ---: |"]
    for t, c in report["by_type"].items():
        lines.append(f"| {t} | {c['in']} | {c['projected']} | {c['kept']} |")
    lines.append(f"| all | {report['entities_in']} | {report['entities_projected']} | {report['entities_kept']} |")
    lines += ["", "| filter | threshold | sentences dropped |", "| --- | --- | ---: |"]
    for name, n in report["filters"].items():
        th = report["settings"]["filters"].get(name)
        lines.append(f"| {name} | {'—' if th is None else th} | {n} |")
    if report["entity_drop_reasons"]:
        lines += ["", "| entity drop reason | entities |", "| --- | ---: |"]
        lines += [f"| {k} | {v} |" for k, v in report["entity_drop_reasons"].items()]
    if report.get("reference"):
        from augment.compare import summary_line
        from augment.core.metrics import format_table

        ref = report["reference"]
        lines += ["", f"## Agreement with the reference `{ref['b']}`", "",
                  f"Kept sentences scored against it (entity P/R/F1, seqeval): {summary_line(ref)}.", "", "```",
                  format_table(ref["scores"]), "```"]
    for kind, examples in report["examples"].items():
        lines += ["", f"## Examples: {kind}", ""]
        for ex in examples:
            lines += [f"- `{ex['id']}`", f"  - src: {ex['src']}", f"  - tgt: {ex['tgt']}"]
    return "\n".join(lines) + "\n"


def write_projection_extras(dropped: list[dict[str, Any]], report: dict[str, Any], dropped_path: str | os.PathLike,
                            report_path: str | os.PathLike) -> None:
    """Write what projection leaves beside its output, each file atomically: the dropped records
    (JSONL), the report (JSON at ``report_path``) and its Markdown form (same name, ``.md``)."""
    import json

    from augment.core.fileio import atomic_write

    with atomic_write(dropped_path) as fh:
        for r in dropped:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    with atomic_write(report_path) as fh:
        json.dump(report, fh, ensure_ascii=False, indent=2)
    with atomic_write(Path(report_path).with_suffix(".md")) as fh:
        fh.write(report_markdown(report))
