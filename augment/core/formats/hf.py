"""Hugging Face ``datasets``: a directory written by ``save_to_disk``, or a hub name.

Names: ``hf:NAME[:CONFIG]`` for the hub (e.g. ``hf:unimelb-nlp/wikiann:yo``,
``hf:masakhane/masakhaner2:yor``, needs internet; script-only datasets are read from the hub's
Parquet export), a local directory for a saved dataset; a split is chosen with ``#SPLIT`` (e.g.
``hf:wikiann:yo#validation``) and is required when there are several. Integer ``ner_tags`` are
mapped through ``--label-names`` or the dataset's ``ClassLabel`` names (an error when it has
neither); string tags are taken as they are.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from augment.core.errors import DataError
from augment.core.formats import CorpusFormat
from augment.core.formats._labels import check_names, tag_names
from augment.core.record import Sentence

TOKEN_COLUMNS = ("tokens", "words")
TAG_COLUMNS = ("ner_tags", "tags", "labels")


def split_spec(spec: str) -> tuple[str, str | None]:
    base, _, split = str(spec).partition("#")
    return base, (split or None)


def is_saved_dataset(path: str | os.PathLike) -> bool:
    p = Path(split_spec(str(path))[0])
    return p.is_dir() and ((p / "dataset_dict.json").exists() or (p / "dataset_info.json").exists() or (p / "state.json").exists())


def _load_hub(datasets, name: str, config: str | None):
    """``load_dataset(name, config)``; for a dataset the hub still serves as a loading script
    (CoNLL-2003, MasakhaNER 2.0, MENYO-20k), which ``datasets`` 4+ no longer runs, the hub's
    Parquet export of it (branch ``refs/convert/parquet``: one folder per config, named after it)."""
    try:
        return datasets.load_dataset(name, config)
    except RuntimeError as err:
        if "scripts are no longer supported" not in str(err):
            raise
    return datasets.load_dataset(name, revision="refs/convert/parquet", data_dir=config)


@contextlib.contextmanager
def _cache_only(datasets) -> Iterator[None]:
    """``datasets`` and ``huggingface_hub`` in offline mode inside the block (their cache only, no
    request and so no retries); the process's own setting is restored afterwards."""
    from huggingface_hub import constants

    before = datasets.config.HF_HUB_OFFLINE, constants.HF_HUB_OFFLINE
    datasets.config.HF_HUB_OFFLINE = constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        datasets.config.HF_HUB_OFFLINE, constants.HF_HUB_OFFLINE = before


def unreachable_advice(problem: str) -> str:
    """What to do about a hub data set that cannot be had now (``problem``: why)."""
    return (f"{problem}, and it is not in the local cache; run once where the hub is reachable (it is "
            "then cached), or use a local copy: a corpus file, or a datasets.save_to_disk folder as "
            "DIR#SPLIT (docs/data.md)")


def _maybe_cached(name: str) -> bool:
    """Whether a copy of hub data set ``name`` may be in a local cache (``datasets``' own, or the
    hub's download cache). False means surely not, found without importing ``datasets`` (seconds)."""
    from huggingface_hub import constants

    base = name.rsplit("/", 1)[-1].lower().replace("-", "_")
    hub = Path(constants.HF_HUB_CACHE) / f"datasets--{name.replace('/', '--')}"
    own = Path(os.environ.get("HF_DATASETS_CACHE") or Path(constants.HF_HOME) / "datasets")
    try:
        return hub.is_dir() or any(base in p.name.lower().replace("-", "_") for p in own.iterdir())
    except OSError:
        return False


def _load_by_name(base: str):
    """A hub data set by name: from the hub when it answers, else (offline by choice or the hub
    unreachable: probed once, in seconds) from the local cache or one :class:`DataError` line."""
    from augment.core.hub import hub_problem

    name, _, config = base[3:].partition(":")
    problem = hub_problem()
    if problem is not None and not _maybe_cached(name):
        raise DataError(f"cannot load data set: {unreachable_advice(problem)}", path=base)
    import datasets

    if problem is None:
        return _load_hub(datasets, name, config or None)
    with _cache_only(datasets):
        try:
            return _load_hub(datasets, name, config or None)
        except Exception:  # noqa: BLE001 - any failure here means "no usable cached copy"
            raise DataError(f"cannot load data set: {unreachable_advice(problem)}", path=base) from None


def _load_saved(base: str):
    import datasets

    return datasets.load_from_disk(base)


def _load(spec: str):
    base, split = split_spec(spec)
    try:
        ds = _load_by_name(base) if base.startswith("hf:") else _load_saved(base)
    except DataError:
        raise
    except FileNotFoundError as err:
        raise DataError(f"no dataset there: {err}", path=base) from None
    except Exception as err:  # datasets raises many kinds (offline, missing config, bad files)
        msg = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise DataError(f"cannot load dataset: {msg}", path=base) from None
    import datasets  # imported by the loaders above

    if isinstance(ds, datasets.DatasetDict):
        if split is None:
            if len(ds) != 1:
                raise DataError(f"dataset has splits {sorted(ds)}; choose one with '#SPLIT'", path=base)
            split = next(iter(ds))
        if split not in ds:
            raise DataError(f"no split '{split}'; it has {sorted(ds)}", path=base)
        ds = ds[split]
    return ds, base


def is_dataset(spec: str | os.PathLike) -> bool:
    """A hub name (``hf:...``) or a ``save_to_disk`` folder (``DIR`` or ``DIR#SPLIT``)."""
    return str(spec).startswith("hf:") or is_saved_dataset(spec)


def translation_pairs(spec: str | os.PathLike) -> list[tuple[str, str, str]]:
    """``(id, text, text)`` of each row of a data set with a ``translation`` column (MENYO-20k:
    ``{"en": ..., "yo": ...}``), the sides in its feature's language order; ids are the ``id``
    column or ``<name>-<row>``; byte-order marks dropped and spaces stripped, as in a parallel TSV.
    An error when it has no such column or no rows."""
    ds, base = _load(str(spec))
    if "translation" not in ds.column_names:
        raise DataError(f"dataset has no 'translation' column; columns: {ds.column_names}", path=base)
    langs = list(getattr(ds.features["translation"], "languages", None) or [])
    stem = Path(base).name
    pairs = []
    for i, row in enumerate(ds):
        sides = row["translation"]
        a, b = langs if len(langs) == 2 else list(sides)[:2]
        # a byte-order mark inside a cell is no text (MENYO-20k has two; the TSV reader drops them too)
        pairs.append((str(row.get("id", f"{stem}-{i}")), *(str(sides[x]).replace("\ufeff", "").strip() for x in (a, b))))
    if not pairs:
        raise DataError("no sentence pairs in dataset", path=base)
    return pairs


def has_translation(spec: str | os.PathLike) -> bool:
    """Whether a data set (hub name or saved folder) holds sentence pairs (a ``translation`` column)."""
    ds, _ = _load(str(spec))
    return "translation" in ds.column_names


def read(spec: str | os.PathLike, lang: str | None = None, label_names: list[str] | None = None) -> list[Sentence]:
    ds, base = _load(str(spec))
    tok_col = next((c for c in TOKEN_COLUMNS if c in ds.column_names), None)
    if tok_col is None:
        raise DataError(f"dataset has no token column (looked for {TOKEN_COLUMNS}); columns: {ds.column_names}", path=base)
    tag_col = next((c for c in TAG_COLUMNS if c in ds.column_names), None)
    names = label_names
    if names is None and tag_col is not None:
        feature = ds.features[tag_col]
        inner = getattr(feature, "feature", None)
        names = getattr(inner, "names", None)
        if names is not None:
            names = check_names(list(names), base, what=f"'{tag_col}' ClassLabel names")
    out = []
    for i, row in enumerate(ds):
        tokens = [str(t) for t in row[tok_col]]
        tags = None
        if tag_col is not None:
            raw = row[tag_col]
            tags = tag_names(list(raw), names, base, i + 1, tag_col) if raw else []
            if len(tags) != len(tokens):
                raise DataError(f"row {i}: {len(tokens)} tokens but {len(tags)} tags", path=base, line=i + 1)
        sid = str(row["id"]) if "id" in row and row["id"] is not None else f"{Path(base).name}-{i}"
        row_lang = row.get("lang") or lang
        out.append(Sentence(id=sid, tokens=tokens, tags=tags, lang=row_lang, line=i + 1))
    return out


def write(sentences: list[Sentence], path: str | os.PathLike) -> None:
    import datasets

    from augment.core.fileio import atomic_path

    labels = sorted({t for s in sentences for t in (s.tags or [])}, key=lambda t: (t != "O", t))
    data = {
        "id": [s.id for s in sentences],
        "lang": [s.lang for s in sentences],
        "tokens": [s.tokens for s in sentences],
    }
    features = {
        "id": datasets.Value("string"),
        "lang": datasets.Value("string"),
        "tokens": datasets.Sequence(datasets.Value("string")),
    }
    if any(s.tags is not None for s in sentences):
        index = {t: i for i, t in enumerate(labels)}
        data["ner_tags"] = [[index[t] for t in (s.tags or ["O"] * len(s.tokens))] for s in sentences]
        features["ner_tags"] = datasets.Sequence(datasets.ClassLabel(names=labels))
    ds = datasets.Dataset.from_dict(data, features=datasets.Features(features))
    with atomic_path(path) as tmp:
        ds.save_to_disk(str(tmp))


FORMAT = CorpusFormat("hf", read, write)
