"""``prepare``: normalise a labelled corpus to IOB2 JSONL, optionally mapping and keeping types.

For example CoNLL-2003 -> PER/ORG/LOC (MISC dropped), or MasakhaNER without DATE, so that
every model and evaluation in a pipeline sees the same label set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages.base import Setting, Slot, Stage


class Prepare(Stage):
    kind = "prepare"
    help = "Read any corpus file, convert tags to IOB2, map/keep entity types, take a slice; write JSONL."
    inputs = {"corpus": Slot("a labelled corpus file (CoNLL, JSONL, ...) or plain text")}
    settings = {
        "format": Setting(str, None, "input format (default: from extension/content)"),
        "repair": Setting(bool, True, "repair an I-X that opens an entity (MasakhaNER has a few)"),
        "lang": Setting(str, None, "language code recorded on every sentence"),
        "map": Setting(dict, None, "rename entity types first, e.g. {PERSON: PER}"),
        "types": Setting(list, None, "keep only these entity types (others become O)"),
        "offset": Setting(int, 0, "skip this many sentences first"),
        "limit": Setting(int, None, "keep at most this many sentences"),
        "drop_tags": Setting(bool, False, "write the sentences unlabelled (tokens only)"),
    }
    outputs = {"corpus": "corpus.jsonl"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.corpus import Span, read_corpus, spans_to_tags, write_corpus

        sentences = read_corpus(inputs["corpus"], settings["format"], repair=settings["repair"],
                                to_scheme="iob2", lang=settings["lang"])
        stop = None if settings["limit"] is None else settings["offset"] + settings["limit"]
        sentences = sentences[settings["offset"]:stop]
        mapping = settings["map"] or {}
        keep = set(settings["types"]) if settings["types"] is not None else None
        counts: dict[str, int] = {}
        for s in sentences:
            if settings["lang"]:
                s.lang = settings["lang"]
            if s.tags is None:
                continue
            if settings["drop_tags"]:
                s.tags = None
                continue
            spans = [Span(sp.start, sp.end, mapping.get(sp.label, sp.label)) for sp in s.spans]
            spans = [sp for sp in spans if keep is None or sp.label in keep]
            s.tags = spans_to_tags(spans, len(s.tokens), "iob2")
            for sp in spans:
                counts[sp.label] = counts.get(sp.label, 0) + 1
        write_corpus(sentences, out / "corpus.jsonl")
        return {"sentences": len(sentences), "entities": dict(sorted(counts.items()))}


STAGE = Prepare
