"""``align``: word alignments of sentence pairs (``align.api.align_pairs``: eflomal or SimAlign).

Pairs come from a translation JSONL (``translate`` output) or any pair file ``align run`` reads,
or from two corpora side by side (``source`` + ``target``). ``extra`` parallel text only trains
eflomal; just the requested pairs are written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.shards import shardable
from pipelines.stages.base import Setting, Slot, Stage


@shardable(pairs="pairs", source="corpus", target="corpus", when=lambda s: s["method"] == "simalign")
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
    settings = {
        "method": Setting(str, "eflomal", "eflomal or simalign", ("eflomal", "simalign")),
        "symmetrize": Setting(str, "grow-diag-final-and", "eflomal symmetrisation"),
        "extra_limit": Setting(int, None, "use at most this many pairs of each extra file"),
        "model": Setting(str, "bert-base-multilingual-cased", "SimAlign encoder (hub name or path)"),
        "matching": Setting(str, "itermax", "SimAlign matching", ("argmax", "itermax", "mwmf")),
        "layer": Setting(int, 8, "SimAlign encoder layer"),
        "device": Setting(str, "auto", "SimAlign device: auto, cpu or cuda"),
        "seed": Setting(int, 0, "random seed (eflomal's sampler)"),
    }
    outputs = {"alignments": "alignments.jsonl"}
    gpu = False

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from align.api import align_pairs, read_extra
        from align.readers import read_pairs
        from augment.core.alignment import write_alignments
        from augment.core.errors import ConfigError

        ids, pairs = _pairs(inputs, read_pairs)
        if settings["method"] == "eflomal":
            extra = []
            for path in inputs["extra"]:
                extra += read_extra([path])[: settings["extra_limit"]]
            options: dict[str, Any] = {"extra": extra, "symmetrize": settings["symmetrize"], "seed": settings["seed"]}
        else:
            if inputs["extra"]:
                raise ConfigError("extra parallel text only helps eflomal; remove 'extra' for simalign")
            model = str(inputs["model"]) if inputs["model"] is not None else settings["model"]
            options = {"model": model, "matching": settings["matching"], "layer": settings["layer"],
                       "device": settings["device"]}
        links = align_pairs(pairs, method=settings["method"], **options)
        write_alignments(links, out / "alignments.jsonl", ids=ids, info={"method": settings["method"]})
        return {"pairs": len(pairs), "extra_pairs": len(options.get("extra", [])),
                "links": sum(len(a.links) for a in links)}


def _pairs(inputs: dict[str, Any], read_pairs) -> tuple[list[str], list[tuple[list[str], list[str]]]]:
    from augment.core import read_corpus
    from augment.core.errors import ConfigError, DataError

    if inputs["pairs"] is not None:
        if inputs["source"] is not None or inputs["target"] is not None:
            raise ConfigError("give align either 'pairs' or 'source' + 'target', not both")
        found = read_pairs(inputs["pairs"])
        return [p.id for p in found], [(list(p.src), list(p.tgt)) for p in found]
    if inputs["source"] is None or inputs["target"] is None:
        raise ConfigError("align needs 'pairs', or both 'source' and 'target'")
    src = read_corpus(inputs["source"], repair=True)
    tgt = read_corpus(inputs["target"], repair=True)
    if len(src) != len(tgt):
        raise DataError(f"{len(src)} source but {len(tgt)} target sentences", path=inputs["target"])
    return [t.id for t in tgt], [(list(s.tokens), list(t.tokens)) for s, t in zip(src, tgt, strict=True)]


STAGE = Align
