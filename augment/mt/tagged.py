"""Training pairs from two tagged corpora whose sentence i translate each other (e.g. CoNLL-2003
English and a real MT model's Yoruba with projected labels): both sides get EasyProject markers
from their own tags, so the model learns to carry ``[...]`` across on real translations.

Only the entity types both sides use are marked (``types``; CoNLL's MISC has no counterpart in
MasakhaNER's PER/ORG/LOC/DATE). A pair is marked when its two sides hold the same entities by type
(the same number of PER, of ORG, of LOC); otherwise it is kept as plain text and counted, since a
projection that lost an entity would teach the model to drop markers.

Target text from real MT output often has a combining tone mark standing as its own token
(``mọ`` then U+0301): the corpus readers join it to the token before it
(:mod:`augment.core.marks`), and a :class:`~augment.mt.fragments.FragmentJoiner` can re-join the
rest of a word the tokenizer cut there (``wọ́`` ``n`` -> ``wọ́n``).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence

from augment.core.errors import DataError
from augment.core.tokenize import detokenize
from augment.mt.data import MarkerStats, MTPair, nfc
from augment.translate import markers as mk

#: Entity types marked by default: the ones CoNLL-2003 and MasakhaNER share.
DEFAULT_TYPES = ("PER", "ORG", "LOC")


def cut_after(sentence) -> list[bool]:
    """For each word of a sentence read with mark-only tokens joined, whether a mark was joined
    to it (the tokenizer cut the word there; ``token_map`` says which tokens became which word)."""
    index = sentence.token_map
    cut = [False] * len(sentence.tokens)
    if index:
        for k in range(1, len(index)):
            if index[k] == index[k - 1]:
                cut[index[k]] = True
    return cut


def _typed(spans, types: Sequence[str]):
    return [s for s in spans if s.label in types]


def tagged_pairs(src_path: str | os.PathLike, tgt_path: str | os.PathLike, *, types: Sequence[str] = DEFAULT_TYPES,
                 open_marker: str = mk.DEFAULT_OPEN, close_marker: str = mk.DEFAULT_CLOSE,
                 joiner: Callable | None = None) -> tuple[list[MTPair], MarkerStats]:
    """The pairs (sentence i of ``src_path``, sentence i of ``tgt_path``) as model text, marked
    where both sides hold the same typed entities; the two files must have as many sentences.
    ``joiner`` (a :class:`augment.mt.fragments.FragmentJoiner`) also re-joins the target's words
    cut at a tone mark; without it mark-only tokens are attached to the token before them."""
    from augment.core.io import read_corpus
    from augment.core.record import Sentence

    src = read_corpus(src_path, to_scheme="iob2", repair=True)
    tgt = read_corpus(tgt_path, to_scheme="iob2", repair=True)
    if len(src) != len(tgt):
        raise DataError(f"{len(src)} sentences here but {len(tgt)} in {tgt_path}: tagged pairs need sentence i "
                        "of one file to translate sentence i of the other", path=src_path)
    stats = MarkerStats()
    out: list[MTPair] = []
    for s, t in zip(src, tgt):
        if s.tags is None or t.tags is None:
            raise DataError(f"sentence {s.id if s.tags is None else t.id} has no tags",
                            path=src_path if s.tags is None else tgt_path)
        stats.pairs += 1
        s_tok = list(s.tokens)
        t_tok, t_tags = list(t.tokens), list(t.tags)
        stats.marks_joined += s.tokens_joined + t.tokens_joined
        if joiner is not None:
            t_tok, t_tags, pieces = joiner(t_tok, t_tags, cut_after(t))
            stats.pieces_joined += pieces
        s_spans = _typed(s.spans, types)
        t_spans = _typed(Sentence(id=t.id, tokens=t_tok, tags=t_tags).spans, types)
        src_text, tgt_text = nfc(detokenize(s_tok)), nfc(detokenize(t_tok))
        if not src_text or not tgt_text:
            stats.empty += 1
            continue
        pid = f"{os.path.basename(str(tgt_path))}:{t.id}"
        if not s_spans and not t_spans:
            stats.no_entities += 1
        elif Counter(x.label for x in s_spans) != Counter(x.label for x in t_spans):
            stats.count_mismatch += 1
        elif mk.has_marker(s_tok, open_marker, close_marker) or mk.has_marker(t_tok, open_marker, close_marker):
            stats.marker_in_text += 1
        else:
            stats.marked += 1
            out.append(MTPair(pid, nfc(mk.mark_sentence(s_tok, s_spans, open_marker, close_marker)),
                              nfc(mk.mark_sentence(t_tok, t_spans, open_marker, close_marker)), len(s_spans),
                              tgt_text, src_text))
            continue
        out.append(MTPair(pid, src_text, tgt_text, 0, tgt_text, src_text))
    return out, stats
