"""Read projection outputs as translation pairs for the translation-contrastive loss.

A record is a pair (:class:`augment.core.pair.Pair`): a target-language sentence whose source
sentence is in ``src``. Each pair becomes two sentences sharing one group id; a record without
``src`` (or any record of a non-JSONL corpus) is a plain, ungrouped training sentence. Tags on
either side are optional: CE applies where they exist.
"""

from __future__ import annotations

import os

from augment.core import Sentence
from augment.core.pair import Pair, read_pair_file


def read_augmented(path: str | os.PathLike, repair: bool = False, first_group: int = 0) -> tuple[list[Sentence], list[int]]:
    """``(sentences, groups)``: source then target of each pair with the same group id."""
    sentences: list[Sentence] = []
    groups: list[int] = []
    group = first_group
    for record in read_pair_file(path, repair=repair, allow_unpaired=True, format=None):
        if not isinstance(record, Pair):
            sentences.append(Sentence(record.id, record.tokens, record.tags, record.lang, line=record.line))
            groups.append(-1)
            continue
        src, tgt = record.source, record.target
        sentences += [Sentence(src.id, src.tokens, src.tags, src.lang),
                      Sentence(tgt.id, tgt.tokens, tgt.tags, tgt.lang, line=tgt.line)]
        groups += [group, group]
        group += 1
    return sentences, groups
