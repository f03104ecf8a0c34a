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
        "side": Setting(int, None, "for a parallel .tsv input: which column to take (0 or 1), tokenized "
                                   "MasakhaNER-style, unlabelled", (0, 1)),
    }
    outputs = {"corpus": "corpus.jsonl"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import read_corpus, write_corpus
        from augment.core.transform import map_types

        if Path(inputs["corpus"]).suffix.lower() == ".tsv":
            sentences = _tsv_side(inputs["corpus"], settings["side"], settings["lang"])
        else:
            sentences = read_corpus(inputs["corpus"], settings["format"], repair=settings["repair"],
                                    to_scheme="iob2", lang=settings["lang"])
        stop = None if settings["limit"] is None else settings["offset"] + settings["limit"]
        sentences = sentences[settings["offset"]:stop]
        if settings["drop_tags"]:
            for s in sentences:
                s.tags = None
        else:
            sentences = map_types(sentences, keep=settings["types"], rename=settings["map"])
        counts: dict[str, int] = {}
        for s in sentences:
            if settings["lang"]:
                s.lang = settings["lang"]
            for sp in s.spans if s.tags is not None else []:
                counts[sp.label] = counts.get(sp.label, 0) + 1
        write_corpus(sentences, out / "corpus.jsonl")
        return {"sentences": len(sentences), "entities": dict(sorted(counts.items()))}


def _tsv_side(path: Path, side: int | None, lang: str | None) -> list:
    from augment.core import Sentence
    from augment.core.errors import ConfigError
    from augment.core.tokenize import tokenize
    from pipelines.stages._text import read_tsv_pairs

    if side is None:
        raise ConfigError(f"{Path(path).name} is a parallel TSV: set 'side: 0' (source) or 'side: 1' (target)")
    out = []
    for i, pair in enumerate(read_tsv_pairs(path)):
        # a pair with an empty side is skipped on both sides, so side 0 and side 1 stay parallel
        both = [tokenize(text) for text in pair]
        if all(both):
            out.append(Sentence(f"{Path(path).stem}-{i}", both[side], None, lang))
    return out


STAGE = Prepare
