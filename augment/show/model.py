"""The plain data the viewers render: items, entity spans, colours, links, statuses and counts.

Pure functions from :class:`~augment.core.Sentence` records to JSON-ready dicts, so the HTML
page (which renders them in the browser) and the terminal view show the same thing and tests can
check the data without a browser.

Three kinds of file are recognised from their records:

- ``corpus``: a tagged (or untagged) corpus; one token row per sentence.
- ``translation``: records of ``augment translate`` (``src`` + target ``tokens``, ``spans``).
- ``projection``: records of ``augment project-labels`` (``src``, ``alignment``, ``projection``).

An item of a pair kind has a ``src`` and a ``tgt`` side, each ``{"lang", "tokens", "ents"}`` with
``ents`` a list of ``[start, end, type, k]`` (half-open; ``k`` the index of the entity pair it
belongs to, or -1 when it has no partner), the alignment ``links`` ``[[i, j], ...]``, and
``pairs``: one ``{"k", "type", "src", "tgt", "status", "reason", "via"}`` per source entity.
Every item has ``tag_issues``: the problems of an invalid tag sequence the reader let through
(``read_corpus(..., invalid="mark")``); a corpus sentence with some has the status
``invalid tags``, and ``counts["invalid_tags"]`` counts them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from augment.core.errors import ConfigError, TagError
from augment.core.record import Sentence
from augment.core.tags import is_tag, tags_to_spans

KINDS = ("corpus", "translation", "projection")

# Colour-blind-friendly pastel backgrounds (Okabe-Ito hues, lightened) for the usual types;
# any other type gets a stable colour from the spare list by a hash of its name.
BASE_COLORS = {
    "PER": "#f4b6a6", "LOC": "#a6d8f0", "ORG": "#b9e4b0", "MISC": "#f3dc8f",
    "DATE": "#d9c2ef", "GPE": "#9fdccd", "NORP": "#f2c2dc", "EVENT": "#e0cfa8",
}
SPARE_COLORS = (
    "#c7d6f5", "#f6cf9d", "#cde9a3", "#f0b3c9", "#b3e6e6", "#e6c8a8", "#d4d4f7", "#f5e6a3",
    "#b8d8b8", "#f2bfa0", "#c9c0e8", "#a8e0c0",
)


def type_colors(types: Iterable[str]) -> dict[str, str]:
    """A background colour per entity type, the same in every file and both views."""
    out = {}
    for typ in sorted(set(types)):
        if typ in BASE_COLORS:
            out[typ] = BASE_COLORS[typ]
        else:
            digest = hashlib.sha1(typ.encode("utf-8")).digest()
            out[typ] = SPARE_COLORS[digest[0] % len(SPARE_COLORS)]
    return out


def _spans(tags: Sequence[str] | None) -> list[list]:
    """Entities decoded leniently; a tag that is not a tag at all counts as ``O`` (a viewer shows
    what it can; the sentence is marked by :func:`mark_issues`)."""
    if not tags or not isinstance(tags, list):
        return []
    try:
        return [[s.start, s.end, s.label] for s in tags_to_spans([t if isinstance(t, str) and is_tag(t) else "O"
                                                                  for t in tags])]
    except TagError:
        return []


def _valid_span(span, n: int) -> bool:
    return (isinstance(span, (list, tuple)) and len(span) >= 2 and isinstance(span[0], int)
            and isinstance(span[1], int) and 0 <= span[0] < span[1] <= n)


def detect_kind(sentences: Sequence[Sentence]) -> str:
    """``projection`` when a record has ``projection``, ``translation`` when one has ``src``
    tokens, else ``corpus``."""
    kind = "corpus"
    for s in sentences[:200]:
        if isinstance(s.meta.get("projection"), dict):
            return "projection"
        src = s.meta.get("src")
        if isinstance(src, dict) and isinstance(src.get("tokens"), list):
            kind = "translation"
    return kind


def corpus_item(s: Sentence) -> dict[str, Any]:
    """One sentence of a corpus: tokens and ``[start, end, type, -1]`` entities."""
    return {"id": s.id, "lang": s.lang, "tokens": list(s.tokens),
            "ents": [[a, b, t, -1] for a, b, t in _spans(s.tags)], "status": None, "notes": []}


def _side(lang, tokens) -> dict[str, Any]:
    tokens = tokens if isinstance(tokens, list) else []
    if not all(type(t) is str for t in tokens):
        tokens = [str(t) for t in tokens]
    return {"lang": lang, "tokens": tokens, "ents": []}


def _links(raw, n_src: int, n_tgt: int, notes: list[str]) -> list[list[int]]:
    raw = raw if isinstance(raw, list) else []
    links = [link for link in raw
             if type(link) is list and len(link) == 2 and type(link[0]) is int and type(link[1]) is int
             and 0 <= link[0] < n_src and 0 <= link[1] < n_tgt]
    if len(links) < len(raw):
        notes.append(f"{len(raw) - len(links)} alignment link(s) out of range ignored")
    return sorted(links)


def _add_unpaired(side: dict[str, Any], spans: list[list]) -> None:
    """Add spans of ``side`` that overlap no entity already there, with ``k = -1`` (no partner)."""
    for a, b, t in spans:
        if not any(a < e[1] and e[0] < b for e in side["ents"]):
            side["ents"].append([a, b, t, -1])
    side["ents"].sort(key=lambda e: (e[0], e[1]))


def projection_item(s: Sentence, kept_default: bool = True) -> dict[str, Any]:
    """A projection record: both sides, links, and one pair per source entity with its status."""
    meta, notes = s.meta, []
    src_meta = meta.get("src") if isinstance(meta.get("src"), dict) else {}
    src, tgt = _side(src_meta.get("lang"), src_meta.get("tokens")), _side(s.lang, s.tokens)
    proj = meta.get("projection") if isinstance(meta.get("projection"), dict) else {}
    pairs = []
    for k, ent in enumerate(proj.get("entities") or []):
        if not isinstance(ent, dict) or not _valid_span(ent.get("src"), len(src["tokens"])):
            notes.append(f"entity {k} has no valid source span")
            continue
        a, b = ent["src"][0], ent["src"][1]
        typ = str(ent["src"][2]) if len(ent["src"]) > 2 else "ENT"
        t = ent.get("tgt")
        t = [t[0], t[1]] if _valid_span(t, len(tgt["tokens"])) else None
        status = ent.get("status") or ("projected" if t else "dropped")
        pairs.append({"k": len(pairs), "type": typ, "src": [a, b], "tgt": t, "status": status,
                      "reason": ent.get("reason"), "via": ent.get("via")})
        src["ents"].append([a, b, typ, len(pairs) - 1])
        if t is not None:
            tgt["ents"].append([t[0], t[1], typ, len(pairs) - 1])
    _add_unpaired(src, [] if pairs else _spans(src_meta.get("tags")))
    _add_unpaired(tgt, _spans(s.tags))
    kept = proj.get("kept")
    kept = kept_default if kept is None else bool(kept)
    return {"id": s.id, "src": src, "tgt": tgt,
            "links": _links(meta.get("alignment"), len(src["tokens"]), len(tgt["tokens"]), notes),
            "pairs": pairs, "status": "kept" if kept else "dropped", "filter": proj.get("filter"),
            "strategy": proj.get("strategy"), "notes": notes}


def translation_item(s: Sentence) -> dict[str, Any]:
    """A translation record: source entities paired with target marker spans.

    A target span ``[start, end, type]`` is paired with the next unpaired source entity of the same
    type in source order (markers keep order and type; a span with a 4th element names its source
    entity index directly). Unpaired source entities are ``lost``. A ``plain`` translation (no
    markers) has no pairs: its source entities are shown without partners.
    """
    meta, notes = s.meta, []
    src_meta = meta.get("src") if isinstance(meta.get("src"), dict) else {}
    src, tgt = _side(src_meta.get("lang"), src_meta.get("tokens")), _side(s.lang, s.tokens)
    src_spans = _spans(src_meta.get("tags"))
    tgt_spans = [sp for sp in (meta.get("spans") or []) if _valid_span(sp, len(tgt["tokens"]))]
    if not tgt_spans:
        tgt_spans = [[a, b, t] for a, b, t in _spans(s.tags)]
    partner: dict[int, list] = {}
    if meta.get("method") == "plain":  # no markers: nothing says where an entity went
        src["ents"] = [[a, b, t, -1] for a, b, t in src_spans]
        src_spans, tgt_spans = [], []
    for sp in tgt_spans:
        typ = str(sp[2]) if len(sp) > 2 else "ENT"
        idx = sp[3] if len(sp) > 3 and isinstance(sp[3], int) else None
        if idx is None or idx in partner or not 0 <= idx < len(src_spans):
            idx = next((i for i, e in enumerate(src_spans) if e[2] == typ and i not in partner), None)
        if idx is None:
            tgt["ents"].append([sp[0], sp[1], typ, -1])
        else:
            partner[idx] = [sp[0], sp[1], typ]
    pairs = []
    for i, (a, b, typ) in enumerate(src_spans):
        t = partner.get(i)
        pairs.append({"k": i, "type": typ, "src": [a, b], "tgt": t[:2] if t else None,
                      "status": "projected" if t else "lost", "reason": None if t else "no marker span",
                      "via": "markers"})
        src["ents"].append([a, b, typ, i])
        if t:
            tgt["ents"].append([t[0], t[1], typ, i])
    tgt["ents"].sort(key=lambda e: (e[0], e[1]))
    ok = meta.get("markers_ok")
    for issue in meta.get("marker_issues") or []:
        notes.append(str(issue))
    return {"id": s.id, "src": src, "tgt": tgt,
            "links": _links(meta.get("alignment"), len(src["tokens"]), len(tgt["tokens"]), notes),
            "pairs": pairs, "status": None if ok is None else ("markers ok" if ok else "markers broken"),
            "filter": None, "method": meta.get("method"), "text": meta.get("text"),
            "marked_text": meta.get("marked_text"), "notes": notes}


INVALID = "invalid tags"


def mark_issues(item: dict[str, Any], s: Sentence) -> dict[str, Any]:
    """Copy the sentence's tag problems into ``item["tag_issues"]``; a corpus sentence with some
    gets the status ``invalid tags`` (pair kinds keep their kept / dropped status)."""
    item["tag_issues"] = list(getattr(s, "issues", None) or [])
    if item["tag_issues"] and item.get("status") is None:
        item["status"] = INVALID
    return item


def make_items(sentences: Sequence[Sentence], kind: str, kept: bool = True) -> list[dict[str, Any]]:
    """Items of one kind; ``kept`` is the default sentence status of projection records."""
    if kind == "projection":
        return [mark_issues(projection_item(s, kept), s) for s in sentences]
    if kind == "translation":
        return [mark_issues(translation_item(s), s) for s in sentences]
    return [mark_issues(corpus_item(s), s) for s in sentences]


def item_entities(item: dict[str, Any]) -> list[list]:
    """The entities counted for an item: source side of a pair, else the sentence's."""
    return item["src"]["ents"] if "src" in item else item["ents"]


def parse_filter(spec: str):
    """A predicate over items for one ``--filter`` SPEC.

    ``kept`` / ``dropped``: sentence status (projection; ``dropped`` also matches a sentence with
    a dropped entity); ``type=X``: has an entity of type X; ``status=S``: has an entity (pair)
    with status S; ``markers=ok|broken``: translation marker check; ``invalid``: an invalid
    tag sequence; ``id=X``; ``text=WORD``:
    a token equal to WORD (case-insensitive).
    """
    key, _, value = spec.partition("=")
    key, value = key.strip().lower(), value.strip()
    if key in ("kept", "dropped") and not value:
        if key == "kept":
            return lambda it: it.get("status") == "kept"
        return lambda it: it.get("status") == "dropped" or any(
            p["status"] != "projected" for p in it.get("pairs", []))
    if key == "type" and value:
        return lambda it: any(e[2] == value for e in item_entities(it)) or any(
            e[2] == value for e in it.get("tgt", {}).get("ents", []))
    if key == "status" and value:
        return lambda it: it.get("status") == value or any(p["status"] == value for p in it.get("pairs", []))
    if key == "markers" and value in ("ok", "broken"):
        return lambda it: it.get("status") == f"markers {value}"
    if key == "invalid" and not value:
        return lambda it: bool(it.get("tag_issues"))
    if key == "id" and value:
        return lambda it: it["id"] == value
    if key == "text" and value:
        low = value.lower()

        def has_word(it):
            toks = it["src"]["tokens"] + it["tgt"]["tokens"] if "src" in it else it["tokens"]
            return any(t.lower() == low for t in toks)

        return has_word
    raise ConfigError(
        f"unknown filter '{spec}'; use kept, dropped, type=TYPE, status=STATUS, markers=ok|broken, "
        "invalid, id=ID or text=WORD")


def filter_items(items: list[dict[str, Any]], specs: Iterable[str]) -> list[dict[str, Any]]:
    """Items that match every filter spec (AND)."""
    preds = [parse_filter(s) for s in specs]
    return [it for it in items if all(p(it) for p in preds)] if preds else list(items)


def count_items(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts for the legend: sentences, entities per type (source / target side), statuses."""
    ents, tgt_ents, status, pair_status = Counter(), Counter(), Counter(), Counter()
    for it in items:
        ents.update(e[2] for e in item_entities(it))
        if "tgt" in it:
            tgt_ents.update(e[2] for e in it["tgt"]["ents"])
        if it.get("status"):
            status[it["status"]] += 1
        pair_status.update(p["status"] for p in it.get("pairs", []))
    return {"sentences": len(items), "entities": dict(sorted(ents.items())),
            "entities_total": sum(ents.values()), "tgt_entities": dict(sorted(tgt_ents.items())),
            "tgt_entities_total": sum(tgt_ents.values()), "status": dict(sorted(status.items())),
            "entity_status": dict(sorted(pair_status.items())),
            "invalid_tags": sum(1 for it in items if it.get("tag_issues"))}


def build_view(items: list[dict[str, Any]], kind: str, *, title: str = "", source: str = "",
               total: int | None = None) -> dict[str, Any]:
    """Everything a page needs: kind, title, items, their counts, colours per type.

    ``total`` is the number of records in the file before filters and ``--limit``.
    """
    if kind not in KINDS:
        raise ConfigError(f"unknown view kind '{kind}'; known: {', '.join(KINDS)}")
    counts = count_items(items)
    types = set(counts["entities"]) | set(counts["tgt_entities"])
    return {"kind": kind, "title": title or source or kind, "source": source, "items": items,
            "counts": counts, "colors": type_colors(types), "total": len(items) if total is None else total}
