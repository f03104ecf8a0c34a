"""A trained MT model on test sets, the way the toolkit uses it.

- :func:`score_parallel`: chrF and BLEU on parallel text (NTREX-128's line files, MENYO-20k's
  TSV), beside the copy-the-source baseline (the source itself scored as the translation: names
  and numbers pass unchanged, so it is not zero).
- :func:`marker_survival`: the sentences of a tagged corpus the model never saw (CoNLL-2003
  testa) translated with ``augment translate --method markers`` (its code path): an entity keeps
  its markers when its sentence comes back with every marker pair intact (what projection needs
  to use the markers), counted per entity and per sentence with entities.

Text is compared in NFC on both sides (references mix composed and decomposed tone marks).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from augment.core.errors import ConfigError
from augment.core.options import opt
from augment.mt.data import nfc
from augment.mt.score import corpus_scores
from augment.translate import markers as mk


def read_parallel(src: str | os.PathLike, ref: str | os.PathLike | None = None, *,
                  swap: bool = False) -> tuple[list[str], list[str]]:
    """``(sources, references)``: two line-aligned text files, or one pair file (``ref`` None;
    TSV, ``src ||| tgt`` or JSONL); ``swap`` exchanges the sides."""
    from augment.core.errors import DataError
    from augment.core.fileio import read_text, split_lines

    if ref is None:
        from augment.mt.data import build_pairs

        pairs, _ = build_pairs(src)
        sources, refs = [p.src for p in pairs], [p.ref for p in pairs]
    else:
        sources = [nfc(line) for line in split_lines(read_text(src))]
        refs = [nfc(line) for line in split_lines(read_text(ref))]
        while sources and refs and not sources[-1] and not refs[-1]:
            sources.pop(), refs.pop()
        if len(sources) != len(refs):
            raise DataError(f"{len(sources)} lines here but {len(refs)} in {ref}: expected line-aligned files",
                            path=src)
    return (refs, sources) if swap else (sources, refs)


def translate_texts(translator, texts: Sequence[str], *, num_beams: int = 1, max_batch_tokens: int = 3000,
                    show_progress: bool = False) -> list[str]:
    """``texts`` translated in length-sorted batches of at most ``max_batch_tokens`` source
    subwords, returned in input order."""
    from augment.core.progress import progress
    from augment.translate.batching import plan_batches

    lengths = translator.count_tokens(list(texts))
    batches = plan_batches(lengths, max_batch_tokens, None)
    out: list[str] = [""] * len(texts)
    for batch in progress(batches, desc="translate", unit="batch") if show_progress else batches:
        for i, text in zip(batch, translator.translate([texts[i] for i in batch], num_beams=num_beams)):
            out[i] = nfc(" ".join(text.split()))
    return out


def score_parallel(translator, sources: Sequence[str], refs: Sequence[str], *, num_beams: int = 1,
                   show_progress: bool = False) -> tuple[dict[str, Any], list[str]]:
    """``(scores, outputs)``: chrF/BLEU of the translations and of the copy baseline."""
    outputs = translate_texts(translator, sources, num_beams=num_beams, show_progress=show_progress)
    scores: dict[str, Any] = {"sentences": len(sources), **corpus_scores(outputs, refs),
                              "distinct_outputs": len(set(outputs))}
    copy = corpus_scores(list(sources), refs)
    scores.update(copy_chrf=copy["chrf"], copy_bleu=copy["bleu"])
    return scores, outputs


def marker_survival(translator, corpus: str | os.PathLike, *, src: str, tgt: str,
                    types: Sequence[str] = ("PER", "ORG", "LOC"), num_beams: int = 1, limit: int | None = None,
                    show_progress: bool = False) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``(counts, rows)``: the sentences of ``corpus`` with entities of ``types`` (other types
    untagged, as in training) translated with markers; per entity and per sentence, the share whose
    markers came back intact. ``rows``: marked source, raw output and verdict of each sentence."""
    from augment.core.io import read_corpus
    from augment.core.tags import spans_to_tags
    from augment.translate.stage import translate_corpus

    sentences = []
    for s in read_corpus(corpus, to_scheme="iob2", repair=True):
        spans = [x for x in s.spans if x.label in types]
        if spans:
            s.tags = spans_to_tags(spans, len(s.tokens))
            sentences.append(s)
    sentences = sentences[:limit] if limit is not None else sentences
    records = translate_corpus(sentences, src=src, tgt=tgt, backend=translator, method="markers",
                               num_beams=num_beams, show_progress=show_progress)
    survival = mk.MarkerSurvival()
    kept_sent = [r.get("markers_ok") is True for r in records]
    for s, ok in zip(sentences, kept_sent):
        survival.add(len(s.spans), ok)
    issues: dict[str, int] = {}
    for r in records:
        for issue in set(r.get("marker_issues") or ()):
            issues[issue] = issues.get(issue, 0) + 1
    rate = survival.entity_rate
    srate = survival.sentence_rate
    counts = {**survival.counts(), "per_entity": None if rate is None else round(rate, 4),
              "per_sentence": None if srate is None else round(srate, 4), "describe": survival.describe(),
              "types": list(types), "issues": issues, "markers": [mk.DEFAULT_OPEN, mk.DEFAULT_CLOSE]}
    rows = [{"source": mk.mark_sentence(s.tokens, s.spans), "output": r.get("marked_text", r.get("text")),
             "entities": len(s.spans), "markers_ok": ok} for s, r, ok in zip(sentences, records, kept_sent)]
    return counts, rows


@dataclass
class ScoreMTOptions:
    """Options of ``augment score-mt`` (declared once: click options, pipeline settings, docs)."""

    src: str = opt("en", "Language of the model's input (ISO 639-1 or 639-3).", required=True)
    tgt: str = opt("yo", "Language of its output.", required=True)
    reference: str | None = opt(None, "Reference file, line-aligned with SOURCE (NTREX-128 style); without it "
                                      "SOURCE is a pair file (TSV, 'src ||| tgt', JSONL) or, with --markers, a "
                                      "tagged corpus.", metavar="FILE")
    markers: bool = opt(False, "SOURCE is a tagged corpus (e.g. CoNLL-2003 testa): translate its sentences with "
                               "entities of --marker-types with markers and count the entities whose markers come "
                               "back intact.")
    marker_types: list[str] = opt(["PER", "ORG", "LOC"], "Entity types marked (others left untagged).", split=",",
                                  metavar="TYPES")
    swap: bool = opt(False, "Exchange the two sides of SOURCE/--reference (yo -> en from en-yo files).")
    limit: int | None = opt(None, "Score only the first N sentences.")
    num_beams: int = opt(1, "Beams (1: greedy).")
    backend: str = opt("transformers", "Translation backend.", choices=["transformers", "ctranslate2"])
    device: str = opt("auto", "auto, cpu or cuda.", choices=["auto", "cpu", "cuda"])

    def check(self) -> None:
        if self.num_beams < 1:
            raise ConfigError("--num-beams must be at least 1")
        if self.limit is not None and self.limit < 1:
            raise ConfigError("--limit must be at least 1")
        if self.markers and self.reference:
            raise ConfigError("--markers scores a tagged corpus; it takes no --reference")


def score_mt(model: str | os.PathLike, source: str | os.PathLike, out: str | os.PathLike | None = None,
             options: ScoreMTOptions | None = None, *, show_progress: bool = True) -> dict[str, Any]:
    """Score ``model`` on ``source`` (see :class:`ScoreMTOptions`); with ``out`` (a folder) write
    ``scores.json`` and ``translations.jsonl`` (source, output and reference of every sentence)."""
    from augment.core.fileio import atomic_write
    from augment.translate.stage import make_translator

    o = options or ScoreMTOptions()
    o.check()
    translator = make_translator(o.src, o.tgt, model=str(model), backend=o.backend, device=o.device)
    if o.markers:
        scores, rows = marker_survival(translator, source, src=o.src, tgt=o.tgt, types=o.marker_types,
                                       num_beams=o.num_beams, limit=o.limit, show_progress=show_progress)
    else:
        sources, refs = read_parallel(source, o.reference, swap=o.swap)
        sources, refs = sources[:o.limit], refs[:o.limit]
        scores, outputs = score_parallel(translator, sources, refs, num_beams=o.num_beams,
                                         show_progress=show_progress)
        rows = [{"source": s, "output": h, "reference": r} for s, h, r in zip(sources, outputs, refs)]
    scores = {**scores, "model": str(model), "source": str(source), "options": asdict(o)}
    if out is not None:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_write(folder / "translations.jsonl") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        with atomic_write(folder / "scores.json") as fh:
            json.dump(scores, fh, indent=1, ensure_ascii=False)
    return scores
