"""``menyo-pairs``: a raw parallel TSV (e.g. MENYO-20k) as tokenized source and target corpora.

MENYO-20k is untokenized running text; MasakhaNER (what the Yoruba models are scored on) splits
every punctuation mark off. Both sides are tokenized with :func:`augment.core.tokenize.tokenize` (the
MasakhaNER-style tokenizer) so that projected Yoruba sentences look like the evaluation data.
Outputs: the source side and the target side as untagged JSONL corpora (sentence ``i`` of one is
the translation of sentence ``i`` of the other, same ids) and the pairs as ``src ||| tgt`` text
(tokenized), which ``align`` reads as extra parallel text. Pairs with an empty side are skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.stages._text import EXCLUDE_HELP
from pipelines.stages.base import Setting, Slot, Stage


def tokenized_pairs(path: str | Path, offset: int = 0, limit: int | None = None) -> list[tuple[list[str], list[str]]]:
    """Token lists of both sides of a two-column TSV, in file order (pairs with an empty side or a '|||' dropped)."""
    from augment.core.tokenize import tokenize
    from pipelines.stages._text import read_tsv_pairs

    rows = read_tsv_pairs(path)
    stop = None if limit is None else offset + limit
    out = []
    for src, tgt in rows[offset:stop]:
        s, t = tokenize(src), tokenize(tgt)
        if s and t and "|||" not in src + tgt:  # '|||' would break the pair text format
            out.append((s, t))
    return out


def _stem(path: str | Path) -> str:
    """``train`` for ``train.tsv`` and for ``hf:UdS-LSV/menyo20k_mt#train`` alike."""
    base, _, split = str(path).partition("#")
    return split or Path(base).stem


class MenyoPairs(Stage):
    kind = "menyo-pairs"
    version = "1"
    help = "Tokenize a two-column parallel TSV (MasakhaNER style) into source / target corpora and pair text."
    inputs = {"tsv": Slot("a parallel TSV, source<TAB>target, optional header row (MENYO-20k; rules in docs/formats.md), "
                          "or a data set with a translation column (hf:UdS-LSV/menyo20k_mt#train)"),
              "exclude": Slot(EXCLUDE_HELP.replace("a sentence", "a pair either side of which"), required=False,
                              many=True)}
    settings = {
        "src_lang": Setting(str, "en", "language code of the first column"),
        "tgt_lang": Setting(str, "yo", "language code of the second column"),
        "offset": Setting(int, 0, "skip this many pairs first"),
        "limit": Setting(int, None, "keep at most this many pairs"),
        "id_prefix": Setting(str, None, "sentence id prefix (default: the file's stem; a data set's split)"),
    }
    outputs = {"source": "source.jsonl", "target": "target.jsonl", "pairs": "pairs.txt"}

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core import Sentence, write_corpus
        from augment.core.errors import DataError
        from augment.core.fileio import atomic_write
        from pipelines.stages._text import decontamination_summary, exclusion

        pairs = tokenized_pairs(inputs["tsv"], settings["offset"], settings["limit"])
        if not pairs:
            raise DataError("no sentence pairs with text on both sides", path=inputs["tsv"])
        prefix = settings["id_prefix"] or _stem(inputs["tsv"])
        ids = [f"{prefix}-{i}" for i in range(len(pairs))]
        decontaminated = {}
        index = exclusion(inputs.get("exclude"))
        if index is not None:  # ids stay those of the pairs' positions: a dropped pair leaves a gap
            from augment.core.overlap import without_overlap

            kept, counts = without_overlap(list(zip(ids, pairs, strict=True)), lambda item: item[1], index)
            ids, pairs = [i for i, _ in kept], [p for _, p in kept]
            decontaminated = decontamination_summary(index, [(inputs["tsv"], counts)])
            if not pairs:
                raise DataError("every sentence pair overlaps the excluded test sets", path=inputs["tsv"])
        write_corpus([Sentence(i, s, lang=settings["src_lang"]) for i, (s, _) in zip(ids, pairs, strict=True)],
                     out / "source.jsonl", "jsonl")
        write_corpus([Sentence(i, t, lang=settings["tgt_lang"]) for i, (_, t) in zip(ids, pairs, strict=True)],
                     out / "target.jsonl", "jsonl")
        with atomic_write(out / "pairs.txt") as fh:
            for s, t in pairs:
                fh.write(" ".join(s) + " ||| " + " ".join(t) + "\n")
        return {"pairs": len(pairs), "src_tokens": sum(len(s) for s, _ in pairs),
                "tgt_tokens": sum(len(t) for _, t in pairs), **decontaminated}


STAGE = MenyoPairs
