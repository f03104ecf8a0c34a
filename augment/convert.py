"""The corpus-selection options of ``augment convert`` and the pipeline ``prepare`` stage, declared
once, and the one function both call: slice, rename and keep entity types, drop tags, set lang.

Reading (format detection aside: tag scheme, repair) and writing stay with each caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from augment.core.io import FORMATS
from augment.core.options import opt
from augment.core.record import Sentence


@dataclass
class ConvertOptions:
    """Which sentences and entity types go to the output, and the language recorded on them."""

    format: str | None = opt(None, "Input format (default: from extension/content).", choices=FORMATS)
    lang: str | None = opt(None, "Language code to record on every sentence (e.g. yo).")
    types: list[str] | None = opt(None, "Keep only these entity types (others become O), e.g. PER,ORG,LOC.",
                                  split=",", metavar="T1,T2",
                                  pipeline_help="Keep only these entity types (others become O), e.g. [PER, ORG, LOC].")
    map: dict[str, str] | None = opt(None, "Rename entity types first, e.g. PERSON=PER (repeatable; in a pipeline "
                                           "a mapping {PERSON: PER}).", cli="--map-type", metavar="OLD=NEW")
    offset: int = opt(0, "Skip this many sentences first.")
    limit: int | None = opt(None, "Keep at most this many sentences.")
    drop_tags: bool = opt(False, "Write the sentences unlabelled (tokens only).")
    side: int | None = opt(None, "For a parallel .tsv input: which column to take (0 or 1), tokenized "
                                 "MasakhaNER-style, unlabelled.", choices=(0, 1), pipeline_only=True)

    @property
    def maps_types(self) -> bool:
        """True when entity types are renamed or filtered (this needs IOB2 tags)."""
        return self.types is not None or bool(self.map)


def select_sentences(sentences: Sequence[Sentence], options: ConvertOptions) -> list[Sentence]:
    """The ``[offset, offset + limit)`` slice of ``sentences`` (IOB2 when types are mapped), untagged
    with ``drop_tags``, else with types renamed (``map``) then kept (``types``); ``lang`` set."""
    from augment.core.transform import map_types

    stop = None if options.limit is None else options.offset + options.limit
    out = list(sentences[options.offset:stop])
    if options.drop_tags:
        for s in out:
            s.tags = None
    elif options.maps_types:
        out = map_types(out, keep=options.types, rename=options.map)
    if options.lang:
        for s in out:
            s.lang = options.lang
    return out
