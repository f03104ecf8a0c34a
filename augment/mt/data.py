"""Training pairs for MT: parallel text, with entity markers inserted on both sides where spans
are known.

Pairs come from any pair file ``align`` reads (TSV, ``src ||| tgt``, translation JSONL). Spans
come from a JSONL of records with source and target tags (``augment project-labels`` output or
gold parallel NER), matched to the pairs by ``id``. A pair is marked only when both sides have
the same number of entities (otherwise the model would learn to drop or invent markers); the
markers are those of ``augment translate --method markers`` so that the trained model is used
exactly as it was trained.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, replace

from augment.core.errors import ConfigError
from augment.core.tokenize import detokenize
from augment.translate import markers as mk


@dataclass(frozen=True)
class MTPair:
    """One training pair as the model sees it. ``n_spans`` > 0: both sides carry that many
    marker pairs. ``ref``: the target without markers (the reference for chrF/BLEU)."""

    id: str
    src: str
    tgt: str
    n_spans: int = 0
    ref: str = ""
    src_ref: str = ""  # the source without markers (the reference of the reverse direction)

    def swapped(self) -> MTPair:
        """The same pair in the other direction (markers, if any, on both sides still)."""
        return replace(self, src=self.tgt, tgt=self.src, ref=self.src_ref or self.src, src_ref=self.ref or self.tgt)


def nfc(text: str) -> str:
    """Text as the models see it: NFC, no byte-order mark, outer spaces stripped (MENYO-20k has
    both composed and decomposed tone marks, and a BOM on two lines)."""
    return unicodedata.normalize("NFC", text.replace("\ufeff", "")).strip()


@dataclass
class MarkerStats:
    """How many pairs got markers, and why the others did not."""

    pairs: int = 0
    marked: int = 0
    no_record: int = 0
    no_entities: int = 0
    count_mismatch: int = 0
    marker_in_text: int = 0
    marks_joined: int = 0
    pieces_joined: int = 0
    empty: int = 0


def read_span_records(path: str | os.PathLike) -> dict[str, tuple[list[str], list, list[str], list]]:
    """``id -> (src tokens, src spans, tgt tokens, tgt spans)`` from a JSONL with ``src.tags``
    and target ``tags`` on every record."""
    from augment.core.errors import DataError
    from augment.core.pair import read_pairs

    out = {}
    for pair in read_pairs(path, need_source_tags=True):
        if pair.target.tags is None:
            raise DataError("'tags' missing: expected one tag per target token", path=path, line=pair.target.line)
        out[pair.id] = (list(pair.source.tokens), pair.source.spans, list(pair.target.tokens), pair.target.spans)
    if not out:
        raise DataError("no records in file", path=path)
    return out


def build_pairs(path: str | os.PathLike, *, format: str | None = None, markers: str | os.PathLike | None = None,
                open_marker: str = mk.DEFAULT_OPEN, close_marker: str = mk.DEFAULT_CLOSE,
                ) -> tuple[list[MTPair], MarkerStats]:
    """The pairs of ``path`` as model text; with ``markers`` (a span-record file) the pairs whose
    id it lists get markers on both sides."""
    from align.readers import read_pairs

    mk.check_markers(open_marker, close_marker)
    spans = read_span_records(markers) if markers is not None else {}
    stats = MarkerStats()
    out: list[MTPair] = []
    for p in read_pairs(path, format):
        stats.pairs += 1
        src_text, tgt_text = nfc(detokenize(p.src)), nfc(detokenize(p.tgt))
        if not src_text or not tgt_text:
            stats.empty += 1
            continue
        rec = spans.get(p.id)
        if rec is None:
            stats.no_record += markers is not None
            out.append(MTPair(p.id, src_text, tgt_text, 0, tgt_text, src_text))
            continue
        s_tok, s_spans, t_tok, t_spans = rec
        plain_src, plain_tgt = nfc(detokenize(s_tok)), nfc(detokenize(t_tok))
        if not s_spans or not t_spans:
            stats.no_entities += 1
        elif len(s_spans) != len(t_spans):
            stats.count_mismatch += 1
        elif mk.has_marker(s_tok, open_marker, close_marker) or mk.has_marker(t_tok, open_marker, close_marker):
            stats.marker_in_text += 1
        else:
            stats.marked += 1
            out.append(MTPair(p.id, nfc(mk.mark_sentence(s_tok, s_spans, open_marker, close_marker)),
                              nfc(mk.mark_sentence(t_tok, t_spans, open_marker, close_marker)), len(s_spans),
                              plain_tgt, plain_src))
            continue
        out.append(MTPair(p.id, plain_src, plain_tgt, 0, plain_tgt, plain_src))
    if markers is not None and stats.marked == 0:
        raise ConfigError(f"no pair of {path} got markers from {markers}: match pairs and span records by "
                          f"'id' ({stats.no_record} pairs without a record, {stats.count_mismatch} with "
                          "different entity counts on the two sides)")
    return out, stats


def split_dev(pairs: list[MTPair], dev_size: int, seed: int) -> tuple[list[MTPair], list[MTPair]]:
    """A seeded held-out split: ``dev_size`` pairs (at most a fifth of them) out of training."""
    import random

    n = min(dev_size, len(pairs) // 5)
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    held = set(order[:n])
    return [p for i, p in enumerate(pairs) if i not in held], [p for i, p in enumerate(pairs) if i in held]
