"""``align``: word alignments of sentence pairs (``align.api.align_pairs``: eflomal or SimAlign).

Pairs come from a translation JSONL (``translate`` output) or any pair file ``align run`` reads,
or from two corpora side by side (``source`` + ``target``). ``extra`` parallel text only trains
eflomal; just the requested pairs are written. The flow is ``align.api.align_to_file`` (what
``align run`` calls), so a killed run resumes; options: ``align.api.AlignOptions``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.api import AlignOptions, learns_from_whole_corpus
from augment.core.options import pipeline_settings
from pipelines.shards import key_settings, shardable
from pipelines.stages.base import Slot, Stage

if TYPE_CHECKING:
    from align.readers import TokenPair


def _pair_lines(path: Path) -> list[str]:
    """Sharding cut of a pair file (any format ``align run`` reads): one translation-JSONL line per pair."""
    import json

    from align.readers import read_pairs

    return [json.dumps({"id": p.id, "tokens": list(p.tgt), "src": {"tokens": list(p.src)}}, ensure_ascii=False) + "\n"
            for p in read_pairs(path)]


@shardable(pairs=_pair_lines, source="corpus", target="corpus", when=lambda s: not learns_from_whole_corpus(s["method"]))
class Align(Stage):
    kind = "align"
    help = "Align each sentence pair (eflomal with extra parallel text, or SimAlign with an encoder)."
    inputs = {
        "pairs": Slot("translation JSONL, 'src ||| tgt' text or a two-column TSV", required=False),
        "source": Slot("source corpus, sentence i pairs with target sentence i", required=False),
        "target": Slot("target corpus (tokens used, tags ignored)", required=False),
        "extra": Slot("more unlabelled parallel text for eflomal (any pair format)", required=False, many=True),
        "model": Slot("a SimAlign encoder directory; else the 'model' setting", required=False),
    }
    settings = pipeline_settings(AlignOptions)
    outputs = {"alignments": "alignments.jsonl"}
    gpu = False

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from align.api import align_to_file
        from augment.core.options import options_from_settings

        options = options_from_settings(AlignOptions, key_settings(settings))
        if options.method != "eflomal" and inputs["model"] is not None:
            options.model = str(inputs["model"])
        return align_to_file(_pairs(inputs), out / "alignments.jsonl", options, inputs["extra"])


def _pairs(inputs: dict[str, Any]) -> list[TokenPair]:
    """The pairs to align: from the pair file, or sentence i of ``source`` with sentence i of ``target``."""
    from align.readers import TokenPair, read_pairs
    from augment.core import read_corpus
    from augment.core.errors import ConfigError, DataError

    if inputs["pairs"] is not None:
        if inputs["source"] is not None or inputs["target"] is not None:
            raise ConfigError("give align either 'pairs' or 'source' + 'target', not both")
        return read_pairs(inputs["pairs"])
    if inputs["source"] is None or inputs["target"] is None:
        raise ConfigError("align needs 'pairs', or both 'source' and 'target'")
    src = read_corpus(inputs["source"], repair=True)
    tgt = read_corpus(inputs["target"], repair=True)
    if len(src) != len(tgt):
        raise DataError(f"{len(src)} source but {len(tgt)} target sentences", path=inputs["target"])
    return [TokenPair(t.id, list(s.tokens), list(t.tokens)) for s, t in zip(src, tgt, strict=True)]


STAGE = Align
