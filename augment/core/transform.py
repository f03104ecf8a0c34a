"""Pure corpus transforms shared by stages: restrict or rename entity types."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from augment.core.record import Sentence, Span
from augment.core.tags import check_types_present, spans_to_tags


def map_types(
    sentences: Iterable[Sentence],
    keep: Iterable[str] | None = None,
    rename: Mapping[str, str] | None = None,
    scheme: str = "iob2",
) -> list[Sentence]:
    """Rename entity types (``rename``), then drop every entity whose type is not in ``keep``.

    Dropped entities become ``O``; e.g. CoNLL-2003 to PER/ORG/LOC is
    ``map_types(s, keep={"PER", "ORG", "LOC"})`` (MISC dropped). Untagged sentences pass as they are.
    A ``keep`` type absent from the (tagged) data is a :class:`ConfigError` listing the types present.
    """
    rename = dict(rename or {})
    keep_set = None if keep is None else set(keep)
    if keep_set is not None:
        sentences = list(sentences)
        present = {rename.get(sp.label, sp.label) for s in sentences if s.tags is not None for sp in s.spans}
        if any(s.tags is not None for s in sentences):
            check_types_present(keep, present, option="types")
    out = []
    for s in sentences:
        if s.tags is None:
            out.append(s)
            continue
        spans = [Span(sp.start, sp.end, rename.get(sp.label, sp.label)) for sp in s.spans]
        if keep_set is not None:
            spans = [sp for sp in spans if sp.label in keep_set]
        out.append(Sentence(s.id, list(s.tokens), spans_to_tags(spans, len(s.tokens), scheme), s.lang, dict(s.meta), s.line))
    return out
