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

import os
from collections.abc import Sequence
from typing import Any

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
    """``(counts, records)``: the sentences of ``corpus`` with entities of ``types`` (other types
    untagged, as in training) translated with markers; per entity and per sentence, the share whose
    markers came back intact. ``records`` are ``augment translate`` records."""
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
    entities = sum(len(s.spans) for s in sentences)
    kept_sent = [r.get("markers_ok") is True for r in records]
    kept_ent = sum(len(s.spans) for s, ok in zip(sentences, kept_sent) if ok)
    issues: dict[str, int] = {}
    for r in records:
        for issue in set(r.get("marker_issues") or ()):
            issues[issue] = issues.get(issue, 0) + 1
    counts = {"sentences_with_entities": len(sentences), "sentences_kept": sum(kept_sent),
              "entities": entities, "entities_kept": kept_ent,
              "per_sentence": round(sum(kept_sent) / len(sentences), 4) if sentences else None,
              "per_entity": round(kept_ent / entities, 4) if entities else None,
              "types": list(types), "issues": issues, "markers": [mk.DEFAULT_OPEN, mk.DEFAULT_CLOSE]}
    return counts, records
