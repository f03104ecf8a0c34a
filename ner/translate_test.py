"""Translate-test: tag target-language sentences with a source-language NER model.

Each target sentence (say Yoruba) is translated into the model's language (English) with
``augment translate --method plain``; the English NER model tags the translation; the tags are
carried back onto the original target tokens by word alignment and the same span projection that
``augment project-labels`` uses (run in reverse: English is the projection's source side). The
output is the target file with predicted tags, scored like any prediction. The translations and
their tags are kept in each sentence's ``meta["translate_test"]`` (JSONL output keeps them).

``projection="markers"`` carries the tags back through markers instead (CODEC-style): the tagged
translation is translated back into the target language with ``augment translate --method
markers`` and a ``back_mt`` model, and each marked entity of the back-translation is matched to the
most similar n-gram of the original sentence (similarity >= ``MATCH_SIMILARITY``). Sentences whose
markers broke in the back-translation fall back to the alignment route.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from align.api import aligner_option, layer_option
from augment.core.errors import ConfigError, DataError
from augment.core.options import device_option, force_option, opt
from augment.core.record import Sentence, Span
from augment.translate.options import backend_option, num_beams_option

MATCH_SIMILARITY = 0.6


@dataclass
class TranslateTestOptions:
    """Options of ``ner translate-test`` and the ``translate_test`` pipeline stage, declared once
    (:mod:`augment.core.options` generates the click options, the stage settings and the docs)."""

    src: str | None = opt(None, "Language of TARGET_FILE (e.g. yo).", required=True,
                          pipeline_help="language of the data (required; usually ${tgt})")
    tgt: str = opt("en", "Language of MODEL_DIR's training data (e.g. en).", required=True,
                   pipeline_help="language of the NER model")
    mt: str | None = opt(None, "src -> tgt translation model, hub name or path (default: the pair's).")
    backend: str = backend_option()
    num_beams: int = num_beams_option("Beams when translating (1: greedy).")
    projection: str = opt("align", "align: word alignment; markers: translate the tagged translation back with "
                                   "markers (--back-mt) and match each marked entity in TARGET_FILE (broken "
                                   "markers: alignment).", choices=["align", "markers"],
                          pipeline_help="align, or markers through a back-translation")
    back_mt: str | None = opt(None, "--projection markers: the tgt -> src model, hub name or path.")
    aligner: str = aligner_option("Word aligner that carries the tags back onto TARGET_FILE's tokens.")
    align_model: str | None = opt(None, "simalign: encoder name or path.")
    align_layer: int = layer_option("simalign: encoder layer.")
    extra_parallel: list[str] = opt([], "eflomal: more src/tgt parallel text to align with (any pair format). "
                                        "Repeatable.", metavar="PAIRS", cli_only=True)
    batch_size: int = opt(32, "Sentences per NER batch.")
    device: str = device_option()
    seed: int = opt(0, "Random seed (translation, eflomal sampling).")
    limit: int | None = opt(None, "Tag only the first N sentences.")
    force: bool = force_option()


def _align(en: list[list[str]], target: list[list[str]], o: TranslateTestOptions) -> list[list[tuple[int, int]]]:
    """English -> target links for each pair (empty for a pair with an empty side)."""
    from align.api import AlignOptions, align_pairs, learns_from_whole_corpus, read_extra

    todo = [i for i, (a, b) in enumerate(zip(en, target)) if a and b]
    links: list[list[tuple[int, int]]] = [[] for _ in en]
    if not todo:
        return links
    pairs = [(en[i], target[i]) for i in todo]
    options = AlignOptions(method=o.aligner, layer=o.align_layer, device=o.device, seed=o.seed)
    if learns_from_whole_corpus(o.aligner):
        # the extra text is target<TAB>English as the user has it; the aligner wants English first
        extra = [(t, s) for s, t in read_extra(list(o.extra_parallel))]
        found = align_pairs(pairs, o.aligner, extra=extra, **options.aligner_options())
    else:
        if not o.align_model:
            raise ConfigError(f"--aligner {o.aligner} needs --align-model (an encoder name or path)")
        options.model = o.align_model
        found = align_pairs(pairs, o.aligner, **options.aligner_options())
    for i, al in zip(todo, found, strict=True):
        links[i] = [(a, b) for a, b in al.links]
    return links


def match_spans(found: Sequence[Sequence], tokens: Sequence[str], original: Sequence[str],
                min_similarity: float = MATCH_SIMILARITY) -> list[Span]:
    """Spans of ``original`` for the typed spans ``found`` (``[start, end, type]`` over ``tokens``,
    a back-translation): the most similar n-gram (length within one of the span's; ties go to the
    closest relative position), no overlaps, longest entities placed first; an entity with no
    n-gram similar enough is left out."""
    import difflib
    import unicodedata

    def fold(text: str) -> str:  # Yoruba tone marks and case aside
        return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()

    taken: list[tuple[int, int]] = []
    out = []
    for start, end, label in sorted(found, key=lambda f: -(int(f[1]) - int(f[0]))):
        surface = fold(" ".join(tokens[int(start):int(end)]))
        n = int(end) - int(start)
        position = int(start) / max(len(tokens), 1)
        best: tuple[float, float] = (min_similarity - 1e-9, 0.0)
        where = None
        for length in (n, n - 1, n + 1):
            for i in range(0, len(original) - length + 1) if length > 0 else ():
                if any(i < b and a < i + length for a, b in taken):
                    continue
                ratio = difflib.SequenceMatcher(None, surface, fold(" ".join(original[i:i + length]))).ratio()
                # equal similarity (a name said twice): the occurrence at the closest relative position
                score = (round(ratio, 6), -abs(i / max(len(original), 1) - position))
                if score > best:
                    best, where = score, (i, i + length)
        if where is not None:
            taken.append(where)
            out.append(Span(where[0], where[1], str(label)))
    return sorted(out, key=lambda sp: sp.start)


def _back_markers(tagged: list[Sentence], sentences: list[Sentence], o: TranslateTestOptions,
                  work_path: str | os.PathLike | None, translator: Any, show_progress: bool) -> list[list[Span] | None]:
    """Per sentence, the spans found through a marked back-translation (None: markers broke)."""
    from augment.translate.stage import translate_corpus

    back_path = None if work_path is None else Path(str(work_path)).with_suffix(".back.jsonl")
    records = translate_corpus(tagged, src=o.tgt, tgt=o.src, model=o.back_mt, backend=translator or o.backend,
                               method="markers", num_beams=o.num_beams, device=o.device, seed=o.seed,
                               out_path=back_path, fresh=o.force, show_progress=show_progress)
    out: list[list[Span] | None] = []
    for rec, s, e in zip(records, sentences, tagged, strict=True):
        if not e.spans:
            out.append([])
        elif rec.get("markers_ok"):
            out.append(match_spans(rec["spans"], rec["tokens"], s.tokens))
        else:
            out.append(None)
    return out


def translate_test(model_dir: str | os.PathLike, sentences: Sequence[Sentence],
                   options: TranslateTestOptions | None = None, *,
                   work_path: str | os.PathLike | None = None, translator: Any = None,
                   back_translator: Any = None, show_progress: bool = True) -> list[Sentence]:
    """Copies of ``sentences`` tagged through translation into the model's language.

    ``work_path``: where the translations go (``.jsonl``; resumable: a rerun continues them; the
    back-translations of ``projection="markers"`` go beside it as ``.back.jsonl``).
    ``translator`` / ``back_translator``: ready :class:`augment.translate.backends.Translator`
    objects instead of loading ``options.mt`` / ``options.back_mt``.
    """
    o = options or TranslateTestOptions()
    found = tag_translations(model_dir, sentences, o, work_path=work_path, translator=translator,
                             back_translator=back_translator, show_progress=show_progress)
    return project_back(found)


def tag_translations(model_dir: str | os.PathLike, sentences: Sequence[Sentence], o: TranslateTestOptions, *,
                     work_path: str | os.PathLike | None = None, translator: Any = None,
                     back_translator: Any = None, show_progress: bool = True) -> list[Sentence]:
    """The per-sentence half of translate-test (translate, tag, align, markers): copies of
    ``sentences`` (gold tags kept) with ``meta["translate_test"]`` holding the tagged translation,
    its links to the sentence and the spans found through markers. Each sentence's result depends
    on that sentence alone, so a pipeline shard runs this and :func:`project_back` runs once over
    the merged shards (its Dice clean-up counts links over the whole corpus)."""
    from augment.translate.stage import translate_corpus
    from ner.predict import predict

    if not o.src:
        raise ConfigError("translate-test needs the language of the sentences (--src, or the setting 'src')")
    sentences = list(sentences)[: o.limit]
    if not sentences:
        raise DataError("no sentences to tag")
    if o.projection not in ("align", "markers"):
        raise ConfigError(f"unknown projection '{o.projection}'; known: align, markers")
    if o.projection == "markers" and o.back_mt is None and back_translator is None:
        raise ConfigError("--projection markers needs --back-mt (the tgt -> src translation model)")
    plain = [Sentence(s.id, list(s.tokens), None, s.lang or o.src) for s in sentences]
    records = translate_corpus(plain, src=o.src, tgt=o.tgt, model=o.mt, backend=translator or o.backend, method="plain",
                               num_beams=o.num_beams, device=o.device, seed=o.seed, out_path=work_path, fresh=o.force,
                               show_progress=show_progress)
    english = [Sentence(str(r["id"]), list(r["tokens"]), None, o.tgt) for r in records]
    tagged = predict(model_dir, english, batch_size=o.batch_size, device=o.device)
    links = _align([s.tokens for s in tagged], [s.tokens for s in sentences], o)
    marked: list[list[Span] | None] = [None] * len(sentences)
    if o.projection == "markers":
        marked = _back_markers(tagged, sentences, o, work_path, back_translator, show_progress)
    out = []
    for s, e, lk, spans in zip(sentences, tagged, links, marked, strict=True):
        found = {"tokens": e.tokens, "tags": e.tags, "links": [list(x) for x in lk],
                 "marked": None if spans is None else [[sp.start, sp.end, sp.label] for sp in spans]}
        out.append(replace(s, meta={**s.meta, "translate_test": found}))
    return out


def project_back(found: Sequence[Sentence]) -> list[Sentence]:
    """The corpus-wide half of translate-test: each sentence of :func:`tag_translations` with the
    tags carried back (markers where they held, else alignment projection with Dice scores over
    all of ``found``); ``meta["translate_test"]`` keeps the translation, its tags and the route."""
    from augment.core.alignment import Alignment
    from augment.core.tags import spans_to_tags
    from augment.project.corpus import project_corpus

    info = [s.meta["translate_test"] for s in found]
    # a sentence the model translated to nothing (a weak MT model does that) stays untagged
    full = [k for k, (s, i) in enumerate(zip(found, info, strict=True)) if s.tokens and i["tokens"]]
    projection_input = [{"id": found[k].id, "lang": found[k].lang, "tokens": list(found[k].tokens),
                         "src": {"tokens": list(info[k]["tokens"]), "tags": list(info[k]["tags"] or [])}}
                        for k in full]
    links = [Alignment(tuple(tuple(x) for x in info[k]["links"])) for k in full]
    # no filters: every sentence is kept, in input order (a lost entity is just not tagged)
    projected = project_corpus(projection_input, links, strategy="align", filters={})[0] if full else []
    by_index = dict(zip(full, (list(r.target.tags) for r in projected), strict=True))
    out = []
    for k, (s, i) in enumerate(zip(found, info, strict=True)):
        spans = None if i.get("marked") is None else [Span(int(a), int(b), str(c)) for a, b, c in i["marked"]]
        via = "align" if spans is None else "markers"
        tags = by_index.get(k, ["O"] * len(s.tokens)) if spans is None else spans_to_tags(spans, len(s.tokens), "iob2")
        meta = {**s.meta, "translate_test": {"tokens": i["tokens"], "tags": i["tags"], "via": via}}
        out.append(replace(s, tags=tags, meta=meta))
    return out


def translations_path(out: str | os.PathLike) -> Path:
    """Where the CLI keeps the translations beside ``out`` (resumable, kept for inspection)."""
    return Path(str(out) + ".mt.jsonl")
