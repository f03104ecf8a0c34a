"""Read projection outputs as translation pairs for the translation-contrastive loss.

A record is a target-language sentence (``tokens``, ``tags``) whose source sentence is in
``src`` = ``{"id", "lang", "tokens", "tags"}`` (kept in ``Sentence.meta`` by the JSONL reader).
Each record becomes two sentences sharing one group id; a record without ``src`` is a plain
(ungrouped) training sentence. Tags on either side are optional: CE applies where they exist.
"""

from __future__ import annotations

import os

from augment.core import Sentence, read_corpus, spans_to_tags, tags_to_spans
from augment.core.errors import DataError, TagError


def _source(record: Sentence, path: str | os.PathLike) -> Sentence | None:
    src = record.meta.get("src")
    if src is None:
        return None
    if not isinstance(src, dict) or not isinstance(src.get("tokens"), list) or not src["tokens"]:
        raise DataError(f"record {record.id}: 'src' must be an object with a non-empty 'tokens' list",
                        path=path, line=record.line)
    tokens = [str(t) for t in src["tokens"]]
    tags = src.get("tags")
    if tags is not None:
        if not isinstance(tags, list) or len(tags) != len(tokens):
            raise DataError(f"record {record.id}: src has {len(tokens)} tokens but "
                            f"{len(tags) if isinstance(tags, list) else 'no list of'} tags", path=path, line=record.line)
        try:  # any scheme in, IOB2 out (decoded leniently, as the readers repair)
            tags = spans_to_tags(tags_to_spans([str(t) for t in tags]), len(tokens), "iob2")
        except TagError as err:
            raise DataError(f"record {record.id}: src {err.message}", path=path, line=record.line) from None
    return Sentence(id=str(src.get("id", f"{record.id}-src")), tokens=tokens, tags=tags, lang=src.get("lang"))


def read_augmented(path: str | os.PathLike, repair: bool = False, first_group: int = 0) -> tuple[list[Sentence], list[int]]:
    """``(sentences, groups)``: source then target of each pair with the same group id."""
    sentences: list[Sentence] = []
    groups: list[int] = []
    group = first_group
    for record in read_corpus(path, repair=repair, to_scheme="iob2"):
        src = _source(record, path)
        target = Sentence(record.id, record.tokens, record.tags, record.lang, line=record.line)
        if src is None:
            sentences.append(target)
            groups.append(-1)
            continue
        sentences += [src, target]
        groups += [group, group]
        group += 1
    return sentences, groups
