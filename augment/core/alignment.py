"""The alignment record: links between source and target tokens of one sentence pair.

Links are 0-based ``(i, j)`` pairs, source token ``i`` with target token ``j``. Both directions
are derivable from the one sorted link tuple; the text form is Pharaoh (``0-0 1-2 2-1``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from augment.core.errors import DataError


@dataclass(frozen=True)
class Alignment:
    """Links of one pair; ``src_len``/``tgt_len`` bound the indices (``None`` when unknown)."""

    links: tuple[tuple[int, int], ...]
    src_len: int | None = None
    tgt_len: int | None = None

    def __post_init__(self) -> None:
        links = tuple(sorted({(int(i), int(j)) for i, j in self.links}))
        object.__setattr__(self, "links", links)
        for i, j in links:
            if i < 0 or j < 0 or (self.src_len is not None and i >= self.src_len) or (
                self.tgt_len is not None and j >= self.tgt_len
            ):
                raise ValueError(f"link {i}-{j} out of range for {self.src_len}x{self.tgt_len} tokens")

    @classmethod
    def from_links(cls, links: Iterable[Iterable[int]], src_len: int | None = None,
                   tgt_len: int | None = None) -> Alignment:
        return cls(tuple((int(a), int(b)) for a, b in links), src_len, tgt_len)

    def reversed(self) -> Alignment:
        """The same links seen from the target side (target-source)."""
        return Alignment(tuple((j, i) for i, j in self.links), self.tgt_len, self.src_len)

    def src_to_tgt(self) -> dict[int, list[int]]:
        """Source index -> sorted target indices it links to."""
        out: dict[int, list[int]] = {}
        for i, j in self.links:
            out.setdefault(i, []).append(j)
        return out

    def tgt_to_src(self) -> dict[int, list[int]]:
        """Target index -> sorted source indices it links to."""
        out: dict[int, list[int]] = {}
        for i, j in sorted(self.links, key=lambda link: (link[1], link[0])):
            out.setdefault(j, []).append(i)
        return out

    def to_pharaoh(self) -> str:
        return " ".join(f"{i}-{j}" for i, j in self.links)

    def to_list(self) -> list[list[int]]:
        return [[i, j] for i, j in self.links]

    @classmethod
    def from_pharaoh(cls, line: str, src_len: int | None = None, tgt_len: int | None = None,
                     index_base: int = 0) -> Alignment:
        """Parse ``i-j`` links (``ipj`` possible links count as links here)."""
        sure, possible = parse_links(line, index_base)
        return cls(tuple(sure | possible), src_len, tgt_len)


def parse_links(line: str, index_base: int = 0) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Sure (``i-j``) and possible (``ipj``) links of one Pharaoh line, shifted to 0-based.

    Raises ``ValueError`` with the bad item; callers add the file and line.
    """
    sure: set[tuple[int, int]] = set()
    possible: set[tuple[int, int]] = set()
    for item in line.split():
        sep = "-" if "-" in item else "p" if "p" in item else None
        parts = item.split(sep) if sep else []
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise ValueError(f"bad link {item!r} (expected i-j or ipj)")
        link = (int(parts[0]) - index_base, int(parts[1]) - index_base)
        if link[0] < 0 or link[1] < 0:
            raise ValueError(f"link {item!r} below index base {index_base}")
        (sure if sep == "-" else possible).add(link)
    return sure, possible


def iter_alignment_file(path, index_base: int = 0,
                        check_lengths: bool = True) -> Iterator[tuple[int, str | None, Alignment]]:
    """``(line, id, alignment)`` per pair of a Pharaoh file (one line per pair, even an empty one;
    id ``None``) or of an alignment JSONL file (``.jsonl`` or a first ``{``; id from the record).

    JSONL links are checked against the record's ``src_len``/``tgt_len`` unless ``check_lengths``
    is false (a viewer draws what it is given)."""
    from augment.core.fileio import read_text, split_lines
    from augment.core.formats.jsonl import iter_json_lines

    text = read_text(path)
    if str(path).endswith(".jsonl") or text.lstrip().startswith("{"):
        for n, rec in iter_json_lines(path, text):
            links = rec.get("alignment") if isinstance(rec, dict) else None
            if links is None:
                raise DataError("expected an alignment record with 'alignment': [[i, j], ...]", path=path, line=n)
            try:
                lengths = (rec.get("src_len"), rec.get("tgt_len")) if check_lengths else (None, None)
                alignment = Alignment.from_links(links, *lengths)
            except (ValueError, TypeError) as err:
                raise DataError(str(err), path=path, line=n) from None
            yield n, None if rec.get("id") is None else str(rec["id"]), alignment
        return
    for n, line in enumerate(split_lines(text), 1):
        try:
            alignment = Alignment.from_pharaoh(line, index_base=index_base)
        except (ValueError, TypeError) as err:
            raise DataError(str(err), path=path, line=n) from None
        yield n, None, alignment


def record_problem(rec: Any, pair_id: Any, src_len: int, tgt_len: int) -> str | None:
    """What is wrong with an alignment record read back from resume state or a cache for the pair
    ``pair_id`` of ``src_len`` x ``tgt_len`` tokens (checked field by field), or None."""
    if not isinstance(rec, dict):
        return "not a JSON object"
    if rec.get("id") != pair_id:
        return f"'id' is not the pair's ({pair_id!r})"
    if rec.get("src_len") != src_len or rec.get("tgt_len") != tgt_len:
        return "'src_len'/'tgt_len' are not the pair's token counts"
    links = rec.get("alignment")
    if not isinstance(links, list) or not all(
            isinstance(link, list) and len(link) == 2 and all(type(x) is int for x in link)
            and 0 <= link[0] < src_len and 0 <= link[1] < tgt_len for link in links):
        return "'alignment' is not a list of [i, j] links within the pair's tokens"
    return None


def read_pharaoh(path, index_base: int = 0) -> list[Alignment]:
    """Alignments from a Pharaoh file (one line per pair) or an alignment JSONL file."""
    return [alignment for _, _, alignment in iter_alignment_file(path, index_base)]


def write_alignments(alignments: list[Alignment], path, ids: list[str] | None = None,
                     info: dict | None = None) -> None:
    """Write Pharaoh text, or alignment JSONL when ``path`` ends in ``.jsonl`` (atomically)."""
    import json

    from augment.core.fileio import atomic_write

    with atomic_write(path) as fh:
        if str(path).endswith(".jsonl"):
            for k, a in enumerate(alignments):
                rec = {"id": ids[k] if ids else str(k), "src_len": a.src_len, "tgt_len": a.tgt_len,
                       "alignment": a.to_list(), **(info or {})}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            for a in alignments:
                fh.write(a.to_pharaoh() + "\n")
