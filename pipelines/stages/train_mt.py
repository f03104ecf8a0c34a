"""``train_mt``: train (or fine-tune) a translation model on parallel text (``augment.mt.train_mt``).

The stage form of ``augment train-mt``: the same :class:`~augment.mt.train.TrainMTOptions`,
declared once (``swap`` trains the reverse direction from the same files: yo -> en from MENYO's
en-yo pairs). The data files are inputs: ``pairs`` (pair files), ``tagged_src``/``tagged_tgt``
(tagged corpora paired in order, marked from their tags), ``markers`` (span records), ``exclude``
(test sets kept out of training). The training pairs are also written as ``pairs.tsv`` in the
model's direction, tokenized and without markers (extra parallel text for ``translate_test``), and
an optional ``test`` pair file is scored after training (chrF/BLEU; marker survival when it has
markers), so an experiment reports MT quality on a held-out set without another stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import options_from_settings, pipeline_settings
from augment.mt.train import TrainMTOptions
from pipelines.stages.base import Setting, Slot, Stage

#: Options that are files: stage inputs, not settings.
FILE_OPTIONS = ("markers", "tagged_src", "tagged_tgt", "exclude")


def _write_tsv(pairs, out: Path) -> Path:
    """``pairs`` (MTPair) as a TSV of tokenized text without markers."""
    from augment.core.fileio import atomic_write
    from augment.core.tokenize import tokenize

    with atomic_write(out) as fh:
        for p in pairs:
            fh.write(" ".join(tokenize(p.src_ref or p.src)) + "\t" + " ".join(tokenize(p.ref or p.tgt)) + "\n")
    return out


class TrainMT(Stage):
    kind = "train_mt"
    help = "Train a Marian model from scratch, or fine-tune one, on parallel text (entity markers optional)."
    inputs = {
        "pairs": Slot("parallel text: TSV, 'src ||| tgt' lines or translation/projection JSONL", required=False,
                      many=True),
        "tagged_src": Slot("tagged corpora whose sentence i translates sentence i of the matching tagged_tgt",
                           required=False, many=True),
        "tagged_tgt": Slot("their tagged translations (markers from both sides' tags)", required=False, many=True),
        "markers": Slot("span records (e.g. project output) matched to the pairs by id: those get markers",
                        required=False),
        "exclude": Slot("test sets: training pairs sharing a sentence or a word 8-gram with them are dropped",
                        required=False, many=True),
        "test": Slot("parallel text scored after training (chrF/BLEU, sides swapped with 'swap')", required=False),
    }
    settings = {
        **{k: v for k, v in pipeline_settings(TrainMTOptions).items() if k not in (*FILE_OPTIONS, "overwrite")},
        "test_limit": Setting(int, None, "score only the first N test pairs"),
    }
    # pairs.tsv: the training pairs in the model's direction (e.g. extra parallel text for translate_test)
    outputs = {"model": "model", "pairs": "pairs.tsv"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.mt.data import build_pairs
        from augment.mt.score import score_model
        from augment.mt.sources import gather_pairs
        from augment.mt.train import train_mt

        settings = dict(settings)
        test_limit = settings.pop("test_limit")
        opts = options_from_settings(TrainMTOptions, settings)

        def paths(name: str) -> list[str]:
            value = inputs.get(name)
            return [] if value is None else [str(v) for v in (value if isinstance(value, list) else [value])]

        opts.tagged_src, opts.tagged_tgt, opts.exclude = paths("tagged_src"), paths("tagged_tgt"), paths("exclude")
        opts.markers = str(inputs["markers"]) if inputs.get("markers") is not None else None
        pairs = paths("pairs")
        gathered, _ = gather_pairs(pairs, format=opts.format, markers=opts.markers, tagged_src=opts.tagged_src,
                                   tagged_tgt=opts.tagged_tgt, marker_types=opts.marker_types, exclude=opts.exclude,
                                   swap=opts.swap, open_marker=opts.open_marker, close_marker=opts.close_marker)
        _write_tsv(gathered, out / "pairs.tsv")
        summary = train_mt(pairs, out / "model", opts, show_progress=False)
        result: dict[str, Any] = {"steps": summary["steps"], "pairs": summary["pairs"], "epochs": summary["epochs"],
                                  "dev": summary.get("dev")}
        if inputs.get("test") is not None:
            test_pairs, _ = build_pairs(inputs["test"])
            if opts.swap:
                test_pairs = [p.swapped() for p in test_pairs]
            result["test"] = score_model(str(out / "model"), test_pairs[:test_limit], src=opts.src, tgt=opts.tgt,
                                         num_beams=opts.num_beams, device=opts.device,
                                         open_marker=opts.open_marker, close_marker=opts.close_marker,
                                         show_progress=False)
        return result


STAGE = TrainMT
