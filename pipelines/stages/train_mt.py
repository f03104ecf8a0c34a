"""``train_mt``: train (or fine-tune) a translation model on parallel text (``augment.mt.train_mt``).

The stage form of ``augment train-mt``: the same :class:`~augment.mt.train.TrainMTOptions`,
declared once. Two additions a pipeline needs: ``swap`` trains the reverse direction from the
same pair file (yo -> en from MENYO's en-yo pairs), the pairs are also written as ``pairs.tsv`` in
the model's direction (extra parallel text for ``translate_test``), and an optional ``test`` pair file is scored
after training (chrF/BLEU; marker survival when it has markers), so an experiment reports MT
quality on a held-out set without another stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from augment.core.options import options_from_settings, pipeline_settings
from augment.mt.train import TrainMTOptions
from pipelines.stages.base import Setting, Slot, Stage


def _write_tsv(path: Path, out: Path, swap: bool) -> Path:
    """The pairs of ``path`` as a TSV in ``out`` (token-joined text), sides exchanged with ``swap``."""
    from align.readers import read_pairs
    from augment.core.fileio import atomic_write

    with atomic_write(out) as fh:
        for p in read_pairs(path):
            src, tgt = (p.tgt, p.src) if swap else (p.src, p.tgt)
            fh.write(" ".join(src) + "\t" + " ".join(tgt) + "\n")
    return out


class TrainMT(Stage):
    kind = "train_mt"
    help = "Train a Marian model from scratch, or fine-tune one, on parallel text (entity markers optional)."
    inputs = {
        "pairs": Slot("parallel text: TSV, 'src ||| tgt' lines or translation/projection JSONL"),
        "markers": Slot("span records (e.g. project output) matched to the pairs by id: those get markers",
                        required=False),
        "test": Slot("parallel text scored after training (chrF/BLEU, sides swapped with 'swap')", required=False),
    }
    settings = {
        **{k: v for k, v in pipeline_settings(TrainMTOptions).items() if k not in ("markers", "overwrite")},
        "swap": Setting(bool, False, "train the reverse direction: the pairs' target side is the source"),
        "test_limit": Setting(int, None, "score only the first N test pairs"),
    }
    # pairs.tsv: the training pairs in the model's direction (e.g. extra parallel text for translate_test)
    outputs = {"model": "model", "pairs": "pairs.tsv"}
    gpu = True

    def run(self, inputs: dict[str, Any], settings: dict[str, Any], out: Path) -> dict[str, Any]:
        from augment.core.errors import ConfigError
        from augment.mt.data import build_pairs
        from augment.mt.score import score_model
        from augment.mt.train import train_mt

        settings = dict(settings)
        swap, test_limit = settings.pop("swap"), settings.pop("test_limit")
        opts = options_from_settings(TrainMTOptions, settings)
        if inputs.get("markers") is not None:
            if swap:
                raise ConfigError("train_mt: 'markers' and 'swap' cannot go together (the spans name a side)")
            opts.markers = str(inputs["markers"])
        pairs = Path(inputs["pairs"])
        tsv = _write_tsv(pairs, out / "pairs.tsv", swap)
        if swap:
            pairs = tsv
        summary = train_mt(pairs, out / "model", opts, show_progress=False)
        result: dict[str, Any] = {"steps": summary["steps"], "pairs": summary["pairs"], "epochs": summary["epochs"],
                                  "dev": summary.get("dev")}
        if inputs.get("test") is not None:
            test = Path(inputs["test"])
            if swap:
                test = _write_tsv(test, out / "test.swapped.tsv", True)
            test_pairs, _ = build_pairs(test)
            result["test"] = score_model(str(out / "model"), test_pairs[:test_limit], src=opts.src, tgt=opts.tgt,
                                         num_beams=opts.num_beams, device=opts.device,
                                         open_marker=opts.open_marker, close_marker=opts.close_marker,
                                         show_progress=False)
        return result


STAGE = TrainMT
