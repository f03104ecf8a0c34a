"""``paired-corpora``: two labelled corpora side by side (sentence ``i`` of one translates sentence
``i`` of the other) as the inputs of a translate-train experiment.

Built for real MT output that comes with another system's labels, e.g. T-Projection's files
(`conll2003_mt_tprojection/`: CoNLL-2003 English train and its Yoruba / Hausa / Swahili
translations with T-Projection's projected tags). From pairs ``[offset, offset + limit)`` it writes:

- ``source.jsonl``: the source sentences with their gold tags (types kept: ``types``), the labelled
  source data of the experiment and what ``project`` projects;
- ``target.jsonl``: the target sentences without tags, what ``align`` and ``project`` read, so
  the toolkit's projection never sees the other system's labels;
- ``reference.jsonl``: pair records (target with the other system's tags, ``src`` = the labelled
  source), ready for ``train``'s ``augmented`` input and for comparing a projection against it;
- ``pairs.txt``: ``src ||| tgt`` token text, extra parallel text for eflomal.

Ids are ``{id_prefix}-{i}`` with ``i`` the pair's index in the files, so two slices of the same
files (the first 1,000 pairs, all pairs) name a pair alike. ``exclude`` (test sets) drops every
pair either side of which occurs in one or shares an 8-gram with one, before the slice is taken. Both corpora are read by the corpus
layer (``read_corpus``: IOB2, tags repaired), so its clean-ups of real MT text apply here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages._text import EXCLUDE_HELP
from pipelines.stages.base import Setting, Slot, Stage


class PairedCorpora(Stage):
    kind = "paired-corpora"
    version = "1"
    help = "Two labelled corpora side by side (sentence i translates sentence i) as source, target, reference pairs."
    inputs = {
        "source": Slot("the labelled source corpus, e.g. CoNLL-2003 English"),
        "target": Slot("its translation, sentence i of the source translated, with another system's tags"),
        "exclude": Slot(EXCLUDE_HELP + "; a pair goes when either side does", required=False, many=True),
    }
    settings = {
        "offset": Setting(int, 0, "skip this many pairs first"),
        "limit": Setting(int, None, "keep at most this many pairs (e.g. the first 1,000)"),
        "types": Setting(list, None, "keep only these entity types on both sides (others become O), e.g. [PER, ORG, LOC]"),
        "src_lang": Setting(str, "en", "language code of the source side"),
        "tgt_lang": Setting(str, None, "language code of the target side (in a pipeline usually ${tgt})"),
        "id_prefix": Setting(str, "pair", "sentence id prefix: ids are PREFIX-i, i the pair's index in the files"),
    }
    outputs = {"source": "source.jsonl", "target": "target.jsonl", "reference": "reference.jsonl",
               "pairs": "pairs.txt"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import Sentence, read_corpus, write_corpus
        from augment.core.errors import DataError
        from augment.core.fileio import atomic_write
        from augment.core.overlap import without_overlap
        from augment.core.pair import Pair, write_pairs
        from pipelines.stages._text import decontamination_summary, exclusion

        src = read_corpus(inputs["source"], repair=True, to_scheme="iob2")
        tgt = read_corpus(inputs["target"], repair=True, to_scheme="iob2")
        if len(src) != len(tgt):
            raise DataError(f"{len(tgt)} target sentences but {len(src)} source sentences: the two files "
                            "must pair sentence i with sentence i", path=inputs["target"])
        prefix = settings["id_prefix"]
        pairs = list(enumerate(zip(src, tgt, strict=True)))  # ids keep the index in the files
        decontaminated: dict[str, Any] = {}
        index = exclusion(inputs.get("exclude"))
        if index is not None:  # before the slice: 'limit' counts pairs that are kept
            pairs, dropped = without_overlap(pairs, lambda p: [p[1][0].tokens, p[1][1].tokens], index)
            decontaminated = decontamination_summary(index, [(inputs["target"], dropped)])
        start = settings["offset"]
        stop = None if settings["limit"] is None else start + settings["limit"]
        pairs = pairs[start:stop]
        if not pairs:
            raise DataError(f"no pairs from pair {start} on", path=inputs["target"])
        src = _typed([s for _, (s, _) in pairs], settings["types"])
        tgt = _typed([t for _, (_, t) in pairs], settings["types"])
        for (i, _), s, t in zip(pairs, src, tgt, strict=True):
            s.id = t.id = f"{prefix}-{i}"
            s.lang, t.lang = settings["src_lang"], settings["tgt_lang"]
            s.meta, t.meta = {}, {}
        write_corpus(src, out / "source.jsonl", "jsonl")
        write_pairs([Pair(s, t) for s, t in zip(src, tgt, strict=True)], out / "reference.jsonl")
        write_corpus([Sentence(t.id, list(t.tokens), None, t.lang) for t in tgt], out / "target.jsonl", "jsonl")
        with atomic_write(out / "pairs.txt") as fh:
            for s, t in zip(src, tgt, strict=True):
                if "|||" not in "".join(s.tokens + t.tokens):  # it would break the pair text format
                    fh.write(" ".join(s.tokens) + " ||| " + " ".join(t.tokens) + "\n")
        return {"pairs": len(src), "first": pairs[0][0], "last": pairs[-1][0], "src_tokens": sum(len(s.tokens) for s in src),
                "tgt_tokens": sum(len(t.tokens) for t in tgt), "src_entities": _counts(src),
                "reference_entities": _counts(tgt), **decontaminated}


def _typed(sentences: list, types: list[str] | None) -> list:
    from augment.core.transform import map_types

    return list(sentences) if types is None else map_types(sentences, keep=types)


def _counts(sentences: list) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in sentences:
        for sp in s.spans if s.tags is not None else []:
            counts[sp.label] = counts.get(sp.label, 0) + 1
    return dict(sorted(counts.items()))


STAGE = PairedCorpora
