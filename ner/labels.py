"""The label map of a token-classification model: IOB2 labels <-> integer ids, saved as JSON.

Labels come from the training data: ``O`` first, then ``B-X``, ``I-X`` for every entity type in
sorted order, so the same data always gives the same ids. The map is saved with the model
(``labels.json``) and checked against the data at evaluation time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from augment.core.errors import DataError, ModelError
from augment.core.fileio import atomic_write
from augment.core.tags import parse_tag

LABELS_FILE = "labels.json"
IGNORE = -100  # label id of positions that get no loss (later subwords, special tokens, padding)


@dataclass(frozen=True)
class LabelMap:
    """IOB2 labels in id order (``labels[0] == "O"``)."""

    labels: tuple[str, ...]

    @classmethod
    def from_types(cls, types: Iterable[str]) -> LabelMap:
        out = ["O"]
        for t in sorted(set(types)):
            out += [f"B-{t}", f"I-{t}"]
        return cls(tuple(out))

    @classmethod
    def from_tags(cls, sequences: Iterable[Sequence[str] | None]) -> LabelMap:
        """All entity types seen in IOB2 tag sequences (``None`` = untagged, skipped)."""
        types = set()
        for tags in sequences:
            for tag in tags or ():
                _, typ = parse_tag(tag)
                if typ is not None:
                    types.add(typ)
        return cls.from_types(types)

    @property
    def types(self) -> list[str]:
        return sorted({lab[2:] for lab in self.labels if lab != "O"})

    @property
    def index(self) -> dict[str, int]:
        return {lab: i for i, lab in enumerate(self.labels)}

    def __len__(self) -> int:
        return len(self.labels)

    def encode(self, tags: Sequence[str], where: str | None = None) -> list[int]:
        """Ids of IOB2 ``tags``; a tag outside the map raises :class:`DataError`."""
        index = self.index
        try:
            return [index[t] for t in tags]
        except KeyError as err:
            raise DataError(
                f"label {err.args[0]} is not in the model's label set ({', '.join(self.types)})", path=where
            ) from None

    def decode(self, ids: Iterable[int]) -> list[str]:
        return [self.labels[i] for i in ids]

    def save(self, directory: str | os.PathLike) -> None:
        with atomic_write(Path(directory) / LABELS_FILE) as fh:
            json.dump({"scheme": "iob2", "labels": list(self.labels)}, fh, indent=1)
            fh.write("\n")

    @classmethod
    def load(cls, directory: str | os.PathLike) -> LabelMap:
        path = Path(directory) / LABELS_FILE
        if not Path(directory).is_dir():
            raise ModelError("no such model directory", path=directory)
        if not path.is_file():
            raise ModelError(f"not an NER model directory (no {LABELS_FILE})", path=directory)
        try:
            data = json.loads(path.read_text("utf-8"))
            labels = tuple(str(x) for x in data["labels"])
        except (ValueError, KeyError, TypeError) as err:
            raise ModelError(f"unreadable label map: {err}", path=path) from None
        if not labels or labels[0] != "O":
            raise ModelError("label map must start with 'O'", path=path)
        return cls(labels)


def check_types(data_types: Iterable[str], model: LabelMap, where: str | os.PathLike | None) -> None:
    """Fail with one line when the data has entity types the model cannot predict."""
    extra = sorted(set(data_types) - set(model.types))
    if extra:
        raise DataError(
            f"label set mismatch: the data has entity types {', '.join(extra)} that the model does not "
            f"know (model types: {', '.join(model.types) or 'none'}); restrict them with --types",
            path=where,
        )
