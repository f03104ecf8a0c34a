"""Scores of a translation model on held-out pairs: chrF and BLEU (sacrebleu, on text with the
markers removed) and the marker survival rate (the share of marked sources whose translation
carries back exactly as many intact marker pairs: what ``augment translate --method markers``
needs to keep a sentence)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from augment.mt.data import MTPair
from augment.translate import markers as mk
from augment.translate.batching import NUM_BEAMS


def corpus_scores(hyps: Sequence[str], refs: Sequence[str]) -> dict[str, float]:
    """``{"chrf", "bleu"}`` of ``hyps`` against one reference each (sacrebleu defaults)."""
    try:
        import sacrebleu
    except ImportError:
        from augment.core.errors import XnerError

        raise XnerError("scoring translations needs the package 'sacrebleu' (an xner dependency since "
                        "train-mt); install it with: pip install sacrebleu") from None

    return {"chrf": round(sacrebleu.corpus_chrf(list(hyps), [list(refs)]).score, 2),
            "bleu": round(sacrebleu.corpus_bleu(list(hyps), [list(refs)]).score, 2)}


def score_outputs(pairs: Sequence[MTPair], outputs: Sequence[str], open_marker: str = mk.DEFAULT_OPEN,
                  close_marker: str = mk.DEFAULT_CLOSE) -> dict[str, Any]:
    """chrF/BLEU of ``outputs`` (the model's raw translations of ``pairs``' sources) and the
    marker survival rate over the marked pairs (None when none is marked)."""
    clean, kept, marked = [], 0, 0
    for p, out in zip(pairs, outputs, strict=True):
        if p.n_spans:
            marked += 1
            parsed = mk.parse_markers(out, ["X"] * p.n_spans, open_marker, close_marker)
            kept += parsed.ok
            clean.append(parsed.text)
        else:
            clean.append(" ".join(out.split()))
    scores: dict[str, Any] = corpus_scores(clean, [p.ref for p in pairs])
    scores["sentences"] = len(pairs)
    scores["marked"] = marked
    scores["marker_survival"] = round(kept / marked, 4) if marked else None
    return scores


def score_model(model: str, pairs: Sequence[MTPair], *, src: str, tgt: str, num_beams: int = NUM_BEAMS,
                batch_size: int = 32, device: str = "auto", open_marker: str = mk.DEFAULT_OPEN,
                close_marker: str = mk.DEFAULT_CLOSE, show_progress: bool = True) -> dict[str, Any]:
    """Translate ``pairs``' sources with ``model`` exactly as ``augment translate`` would, and
    score the result (:func:`score_outputs`)."""
    from augment.core.progress import progress
    from augment.translate.stage import make_translator

    translator = make_translator(src, tgt, model=model, device=device)
    outputs: list[str] = []
    starts = range(0, len(pairs), batch_size)
    for i in progress(starts, desc="score", unit="batch") if show_progress else starts:
        outputs += translator.translate([p.src for p in pairs[i:i + batch_size]], num_beams=num_beams)
    return score_outputs(pairs, outputs, open_marker, close_marker)
