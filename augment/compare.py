"""Entity agreement between two labelings of the same target tokens (``augment compare A B``).

A is scored as a prediction against B as the reference: entity precision, recall and F1 per type
and micro over all types, seqeval's default mode (:func:`augment.core.metrics.entity_scores`), so a
projection can be scored against another one (the toolkit's against T-Projection's, say).

Sentences are matched by id when every id of one file occurs in the other (a projection's kept
sentences against the full reference), else by position when both have as many sentences; the
sentences of one file only are skipped and counted. Matched sentences must hold the same tokens
(compared NFC-normalised, as read: mark-only tokens joined); the first that does not is an error
naming both files and lines.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from augment.core.errors import DataError
from augment.core.options import opt
from augment.core.record import Sentence


@dataclass
class CompareOptions:
    """Options of ``augment compare`` (and ``--reference`` of ``augment project-labels``)."""

    types: list[str] | None = opt(None, "Score only these entity types (others are ignored on both sides), "
                                        "e.g. PER,ORG,LOC.", split=",", metavar="T1,T2")


def _where(path, s: Sentence) -> str:
    return f"{path}:{s.line}" if s.line is not None else str(path)


def match_sentences(pred: Sequence[Sentence], ref: Sequence[Sentence], pred_path: str | os.PathLike,
                    ref_path: str | os.PathLike) -> tuple[list[tuple[Sentence, Sentence]], dict[str, int], str]:
    """``(matched pairs, skipped counts, how)``: by id when one file's ids all occur in the other,
    else by position when the counts agree; a :class:`DataError` when neither holds."""
    pred_ids, ref_ids = [s.id for s in pred], [s.id for s in ref]
    unique = len(set(pred_ids)) == len(pred_ids) and len(set(ref_ids)) == len(ref_ids)
    if unique and (set(pred_ids) <= set(ref_ids) or set(ref_ids) <= set(pred_ids)):
        by_id = {s.id: s for s in ref}
        pairs = [(p, by_id[p.id]) for p in pred if p.id in by_id]
        skipped = {"only_in_a": len(pred) - len(pairs), "only_in_b": len(ref) - len(pairs)}
        return pairs, skipped, "id"
    if len(pred) == len(ref):
        return list(zip(pred, ref, strict=True)), {"only_in_a": 0, "only_in_b": 0}, "position"
    raise DataError(f"{len(pred)} sentences but {len(ref)} in {ref_path}, and neither file's sentence ids all "
                    "occur in the other: cannot tell which sentence is which", path=pred_path)


def check_same_tokens(pairs: Iterable[tuple[Sentence, Sentence]], pred_path, ref_path) -> None:
    """Raise at the first matched pair whose tokens differ (or that has no tags)."""
    nfc = lambda tokens: [unicodedata.normalize("NFC", t) for t in tokens]  # noqa: E731
    for p, r in pairs:
        for s, path in ((p, pred_path), (r, ref_path)):
            if s.tags is None:
                raise DataError(f"sentence {s.id} has no tags to compare", path=path, line=s.line)
        a, b = nfc(p.tokens), nfc(r.tokens)
        if a != b:
            k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            what = (f"token {k}: {a[k]!r} vs {b[k]!r}" if k < min(len(a), len(b))
                    else f"{len(a)} tokens vs {len(b)}")
            raise DataError(f"sentence {p.id}: tokens differ from {_where(ref_path, r)} ({what})",
                            path=pred_path, line=p.line)


def compare_sentences(pred: Sequence[Sentence], ref: Sequence[Sentence], pred_path: str | os.PathLike = "A",
                      ref_path: str | os.PathLike = "B", types: Sequence[str] | None = None) -> dict[str, Any]:
    """Scores of ``pred`` against ``ref`` (tags in any scheme) and what was compared:
    ``{"a", "b", "matched_by", "compared", "skipped": {"only_in_a", "only_in_b"}, "types", "scores"}``."""
    pairs, skipped, how = match_sentences(pred, ref, pred_path, ref_path)
    return score_matched(pairs, skipped, how, pred_path, ref_path, types)


def score_matched(pairs: Sequence[tuple[Sentence, Sentence]], skipped: dict[str, int], how: str,
                  pred_path: str | os.PathLike, ref_path: str | os.PathLike,
                  types: Sequence[str] | None = None) -> dict[str, Any]:
    """Scores of sentence pairs already matched (prediction, reference); see :func:`compare_sentences`."""
    from augment.core.metrics import entity_scores

    check_same_tokens(pairs, pred_path, ref_path)
    scores = entity_scores([r.tags for _, r in pairs], [p.tags for p, _ in pairs], types=types)
    return {"a": str(pred_path), "b": str(ref_path), "matched_by": how, "compared": len(pairs), "skipped": skipped,
            "types": None if types is None else list(types), "scores": scores}


def compare_files(pred_path: str | os.PathLike, ref_path: str | os.PathLike,
                  types: Sequence[str] | None = None) -> dict[str, Any]:
    """:func:`compare_sentences` of two corpus files (any readable format, tags repaired leniently)."""
    from augment.core.io import read_corpus
    from augment.core.tags import check_types_present

    pred = read_corpus(pred_path, repair=True, to_scheme="iob2")
    ref = read_corpus(ref_path, repair=True, to_scheme="iob2")
    if types is not None:
        present = {sp.label for s in list(pred) + list(ref) for sp in s.spans}
        check_types_present(types, present, where=ref_path)
    return compare_sentences(pred, ref, pred_path, ref_path, types)


def summary_line(result: dict[str, Any]) -> str:
    """``compared N sentences (matched by id); skipped: ...`` with the reasons."""
    sk = result["skipped"]
    reasons = []
    if sk["only_in_a"]:
        reasons.append(f"{sk['only_in_a']} only in A")
    if sk["only_in_b"]:
        reasons.append(f"{sk['only_in_b']} only in B (e.g. dropped by projection filters)")
    skipped = "; skipped " + ", ".join(reasons) if reasons else "; none skipped"
    types = f"; types {', '.join(result['types'])}" if result.get("types") else ""
    return f"compared {result['compared']} sentences (matched by {result['matched_by']}){skipped}{types}"


def format_comparison(result: dict[str, Any]) -> str:
    """The summary line and a seqeval-style table (A as prediction, B as reference)."""
    from augment.core.metrics import format_table

    return f"{summary_line(result)}\nA: {result['a']}\nB: {result['b']} (reference)\n\n{format_table(result['scores'])}"
