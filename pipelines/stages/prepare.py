"""``prepare``: normalise a labelled corpus to IOB2 JSONL, optionally mapping and keeping types.

For example CoNLL-2003 -> PER/ORG/LOC (MISC dropped), or MasakhaNER without DATE, so that
every model and evaluation in a pipeline sees the same label set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.convert import ConvertOptions
from augment.core.options import options_from_settings, pipeline_settings
from pipelines.stages._text import EXCLUDE_HELP
from pipelines.stages.base import Setting, Slot, Stage


class Prepare(Stage):
    kind = "prepare"
    help = "Read any corpus file, convert tags to IOB2, map/keep entity types, take a slice; write JSONL."
    inputs = {"corpus": Slot("a labelled corpus file (CoNLL, JSONL, ...) or plain text"),
              "exclude": Slot(EXCLUDE_HELP, required=False, many=True)}
    settings = {
        **pipeline_settings(ConvertOptions),
        "repair": Setting(bool, True, "repair an I-X that opens an entity (MasakhaNER has a few)"),
    }
    outputs = {"corpus": "corpus.jsonl"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.convert import select_sentences
        from augment.core import read_corpus, write_corpus
        from pipelines.stages._text import decontamination_summary, exclusion

        s = dict(settings)
        repair = s.pop("repair")
        opts = options_from_settings(ConvertOptions, s)
        if Path(inputs["corpus"]).suffix.lower() == ".tsv":
            sentences = _tsv_side(inputs["corpus"], opts.side, opts.lang)
        else:
            sentences = read_corpus(inputs["corpus"], opts.format, repair=repair, to_scheme="iob2", lang=opts.lang)
        decontaminated = {}
        index = exclusion(inputs.get("exclude"))
        if index is not None:  # before the slice, so that 'limit' counts sentences that are kept
            from augment.core.overlap import without_overlap

            sentences, dropped = without_overlap(sentences, lambda s: [s.tokens], index)
            decontaminated = decontamination_summary(index, [(inputs["corpus"], dropped)])
        sentences = select_sentences(sentences, opts)
        counts: dict[str, int] = {}
        for sentence in sentences:
            for sp in sentence.spans if sentence.tags is not None else []:
                counts[sp.label] = counts.get(sp.label, 0) + 1
        write_corpus(sentences, out / "corpus.jsonl")
        return {"sentences": len(sentences), "entities": dict(sorted(counts.items())), **decontaminated}


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
