"""Source entity spans to target spans through word alignments (and string identity).

For each source entity, in source order:

1. **identity**: the entity's tokens occur as they are in the target (case-folded when longer
   than one token) -> that occurrence, the one nearest the aligned tokens if there are several.
   Names are mostly copied across European languages, and a copy beats any statistical link.
2. **align**: the target tokens linked to the entity's tokens (plus target tokens equal to a
   capitalised entity token), cut into clusters where more than ``max_gap`` tokens separate
   them; the cluster with most links wins and ``min..max`` of it is the span (gap filling).
3. **Dice clean-up**, with link counts of the whole corpus (:class:`LinkStats`): lowercase edge
   tokens tied to the entity only by weak links (articles, verbs the aligner attached) are cut;
   adjacent tokens strongly tied to an entity word are added (``Stati`` + ``membri``); an entity
   whose links are all weak is dropped (``weak``) rather than projected onto noise.
4. punctuation is cut from the edges; a span overlapping an earlier entity's span keeps its
   largest free part, or is dropped (``overlap``).

The thresholds were chosen on the Europarl NER parallel set (docs/align.md has the numbers).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from augment.core.alignment import Alignment
from augment.core.record import Span


@dataclass
class ProjectionOptions:
    """Knobs of alignment projection (defaults are the measured best on Europarl, see docs/align.md)."""

    identity: bool = True         # exact string match of the whole entity in the target
    token_identity: bool = True   # capitalised entity tokens equal to a target token count as links
    max_gap: int = 2              # unlinked target tokens allowed inside one cluster
    drop_scattered: bool = False  # drop (instead of keep the main cluster) when links are far apart
    trim_punct: bool = True       # no punctuation at the edges of a projected span
    min_token_len: int = 2        # token identity ignores shorter tokens
    trim_redundant: bool = True   # drop weakly linked lowercase edge tokens whose links are duplicated inside
    weak_dice: float = 0.2        # a link is weak when the Dice score of its word pair is below this
    trim_weak_edges: bool = True  # also trim weak lowercase edge tokens that are not redundant
    extend_dice: float = 0.2      # grow into adjacent tokens this strongly tied to an entity word (0: off)
    drop_weak: float = 0.05       # drop an aligned entity whose every link is below this Dice (0: off)
    trim_leading_lower: bool = False  # a capitalised source entity starts at a capitalised target token


class LinkStats:
    """How often word pairs are linked across a corpus: Dice scores tell chance links from real ones.

    Built once per corpus from every pair's links (case-folded words).
    """

    def __init__(self) -> None:
        self.src: dict[str, int] = {}
        self.tgt: dict[str, int] = {}
        self.pair: dict[tuple[str, str], int] = {}

    def add(self, src_tokens: Sequence[str], tgt_tokens: Sequence[str], alignment: Alignment) -> None:
        for i, j in alignment.links:
            s, t = _fold(src_tokens[i]), _fold(tgt_tokens[j])
            self.src[s] = self.src.get(s, 0) + 1
            self.tgt[t] = self.tgt.get(t, 0) + 1
            self.pair[s, t] = self.pair.get((s, t), 0) + 1

    def dice(self, s: str, t: str) -> float:
        s, t = _fold(s), _fold(t)
        total = self.src.get(s, 0) + self.tgt.get(t, 0)
        return 2 * self.pair.get((s, t), 0) / total if total else 0.0


@dataclass
class Projected:
    """What happened to one source entity."""

    src: Span
    tgt: tuple[int, int] | None
    status: str = "projected"
    reason: str | None = None
    via: str | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"src": [self.src.start, self.src.end, self.src.label],
                "tgt": None if self.tgt is None else [self.tgt[0], self.tgt[1]],
                "status": self.status, "reason": self.reason, "via": self.via}


def _fold(token: str) -> str:
    return unicodedata.normalize("NFC", token).casefold()


def _is_punct(token: str) -> bool:
    return bool(token) and all(unicodedata.category(c).startswith("P") for c in token)


def _occurrences(needle: list[str], hay: list[str]) -> list[int]:
    n = len(needle)
    return [k for k in range(len(hay) - n + 1) if hay[k:k + n] == needle]


def _clusters(positions: list[int], max_gap: int) -> list[list[int]]:
    groups: list[list[int]] = []
    for p in sorted(set(positions)):
        if groups and p - groups[-1][-1] <= max_gap + 1:
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def project_spans(src_tokens: Sequence[str], spans: Sequence[Span], tgt_tokens: Sequence[str],
                  alignment: Alignment, options: ProjectionOptions | None = None,
                  stats: LinkStats | None = None) -> list[Projected]:
    """Project ``spans`` (source, half-open) onto ``tgt_tokens`` through ``alignment`` (its links
    must lie within the two token lists: :class:`augment.core.pair.Pair` checks that).

    ``stats``: corpus link counts; without them edge tokens are never judged weak.
    """
    opt = options or ProjectionOptions()
    s2t = alignment.src_to_tgt()
    src_f = [_fold(t) for t in src_tokens]
    tgt_f = [_fold(t) for t in tgt_tokens]
    out: list[Projected] = []
    taken: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        aligned = [j for i in range(span.start, span.end) for j in s2t.get(i, [])]
        centre = sum(aligned) / len(aligned) if aligned else (
            (span.start + span.end) / 2 * len(tgt_tokens) / max(1, len(src_tokens)))
        result: tuple[int, int] | None = None
        via = None
        reason = None
        if opt.identity:
            single = span.end - span.start == 1
            needle = list(src_tokens[span.start:span.end]) if single else src_f[span.start:span.end]
            hits = [k for k in _occurrences(needle, list(tgt_tokens) if single else tgt_f)
                    if not any(k < b and a < k + len(needle) for a, b in taken)]
            if hits and any(not _is_punct(t) for t in needle):
                k = min(hits, key=lambda k: abs(k + len(needle) / 2 - centre))
                result, via = (k, k + len(needle)), "identity"
        if result is None:
            evidence = list(aligned)
            if opt.token_identity:
                for i in range(span.start, span.end):
                    tok = src_tokens[i]
                    if len(tok) >= opt.min_token_len and (tok[:1].isupper() or tok[:1].isdigit()):
                        evidence += [j for j, t in enumerate(tgt_f) if t == src_f[i]]
            if not evidence:
                reason = "unaligned"
            else:
                groups = _clusters(evidence, opt.max_gap)
                weight = {id(g): sum(1 for p in evidence if g[0] <= p <= g[-1]) for g in groups}
                best = max(groups, key=lambda g: (weight[id(g)], -abs((g[0] + g[-1]) / 2 - centre)))
                if opt.drop_scattered and weight[id(best)] * 2 < len(evidence):
                    reason = "scattered"
                else:
                    a, b = best[0], best[-1] + 1
                    a, b = _trim(a, b, span, src_tokens, tgt_tokens, alignment, opt, stats)
                    result, via = ((a, b) if a < b else None), "align"
                    if result is None:
                        reason = "unaligned"
                    elif opt.drop_weak and stats is not None and not any(
                        stats.dice(src_tokens[i], tgt_tokens[j]) >= opt.drop_weak
                        for i, j in alignment.links if span.start <= i < span.end and a <= j < b
                    ):
                        result, reason = None, "weak"
        if result is not None:
            result = _outside(result, taken)
            if result is None:
                reason = "overlap"
        if result is None:
            out.append(Projected(span, None, "dropped", reason, via))
        else:
            taken.append(result)
            out.append(Projected(span, result, "projected", None, via))
    return out


def _trim(a: int, b: int, span: Span, src_tokens: Sequence[str], tgt_tokens: Sequence[str],
          alignment: Alignment, opt: ProjectionOptions, stats: LinkStats | None) -> tuple[int, int]:
    """Cut punctuation, redundant lowercase edge tokens and leading lowercase words off ``[a, b)``."""
    inside = range(span.start, span.end)
    t2s = {j: set(srcs) for j, srcs in alignment.tgt_to_src().items()}

    def redundant(j: int, lo: int, hi: int) -> bool:
        srcs = t2s.get(j, set())
        if not srcs or not srcs <= set(inside) or not tgt_tokens[j][:1].islower() or stats is None:
            return False
        if any(stats.dice(src_tokens[i], tgt_tokens[j]) >= opt.weak_dice for i in srcs):
            return False
        if opt.trim_weak_edges:
            return any(not _is_punct(tgt_tokens[k]) for k in range(lo, hi) if k != j)
        # every entity token linked to j also links to another token kept in the span
        return all(any(k != j and lo <= k < hi and i in t2s.get(k, ()) for k in range(lo, hi)) for i in srcs)

    changed = True
    while changed and a < b:
        changed = False
        if opt.trim_punct and _is_punct(tgt_tokens[a]):
            a, changed = a + 1, True
        elif opt.trim_punct and b - 1 > a and _is_punct(tgt_tokens[b - 1]):
            b, changed = b - 1, True
        elif opt.trim_redundant and b - a > 1 and redundant(a, a, b):
            a, changed = a + 1, True
        elif opt.trim_redundant and b - a > 1 and redundant(b - 1, a, b):
            b, changed = b - 1, True
    if opt.extend_dice and stats is not None:
        words = src_tokens[span.start:span.end]

        def tied(k: int) -> bool:
            if not 0 <= k < len(tgt_tokens) or _is_punct(tgt_tokens[k]):
                return False
            if not t2s.get(k, set()) <= set(inside):
                return False
            return any(stats.dice(w, tgt_tokens[k]) >= opt.extend_dice for w in words)

        while tied(a - 1):
            a -= 1
        while tied(b):
            b += 1
    if opt.trim_leading_lower and src_tokens[span.start][:1].isupper():
        first_upper = next((k for k in range(a, b) if tgt_tokens[k][:1].isupper()), None)
        if first_upper is not None:
            a = first_upper
    return a, b


def _outside(span: tuple[int, int], taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The largest part of ``span`` that overlaps no span in ``taken`` (None if nothing is left)."""
    free = [p for p in range(span[0], span[1]) if not any(a <= p < b for a, b in taken)]
    if not free:
        return None
    runs = _clusters(free, 0)
    best = max(runs, key=len)
    return best[0], best[-1] + 1


def baseline_spans(spans: Sequence[Span], alignment: Alignment) -> list[Projected]:
    """The plain baseline: each span to ``min..max`` of its aligned target tokens, no heuristics."""
    s2t = alignment.src_to_tgt()
    out = []
    for span in spans:
        aligned = [j for i in range(span.start, span.end) for j in s2t.get(i, [])]
        if aligned:
            out.append(Projected(span, (min(aligned), max(aligned) + 1), via="align"))
        else:
            out.append(Projected(span, None, "dropped", "unaligned"))
    return out
