"""The projection flow ``augment project-labels`` and the pipeline's ``project`` stage share.

Files in, files out: read the pairs (translation records, or a labelled source corpus and its
target side), get alignments (given, or computed once and cached beside the output), project,
write the kept pairs, the dropped ones and the report. Options are declared once in
:class:`ProjectOptions`; the CLI and the stage adapter only translate their inputs into a call.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from align.api import aligner_option, encoder_option, layer_option, matching_option
from augment.core.alignment import Alignment
from augment.core.errors import XnerError
from augment.core.options import force_option, opt
from augment.core.pair import Pair
from augment.project.corpus import STRATEGIES
from augment.project.filters import ORDER, THRESHOLDS
from augment.project.spans import LinkStats

FILTER_NAMES = ", ".join(ORDER) + ", or all"


@dataclass
class ProjectOptions:
    """Options of the project stage (``augment project-labels`` and the pipeline's ``project``)."""

    strategy: str = opt("markers+align", "markers: spans from the translation's markers; align: through word "
                        "alignments; markers+align: markers where intact, alignments elsewhere (parallel text: "
                        "always align).", choices=list(STRATEGIES))
    no_filter: list[str] = opt([], f"Turn a filter off: {FILTER_NAMES}.", metavar="NAME")
    filter_options: dict[str, str] = opt({}, f"Filter threshold (defaults: {THRESHOLDS}): repetition (min tokens "
                                         "repeated back to back beyond the source), span_ratio (max length ratio), "
                                         "coverage (min share of aligned source tokens).", cli="--filter-option",
                                         metavar="NAME=VALUE",
                                         pipeline_help=f"Filter thresholds (defaults: {THRESHOLDS}), e.g. "
                                         "{repetition: 8, coverage: 0.5}.")
    repair_tags: bool = opt(True, "Re-encode source tags that are invalid in their scheme (O I-X -> O B-X) "
                            "instead of stopping with an error.")
    aligner: str = aligner_option("Aligner used when alignments are needed and none are given (computed once, "
                                  "cached in OUT.alignments.jsonl).")
    model: str = encoder_option("SimAlign encoder.")
    matching: str = matching_option("SimAlign matching.")
    layer: int = layer_option("SimAlign layer.")
    src_lang: str | None = opt(None, "Parallel text: language code of the source side.")
    lang: str | None = opt(None, "Language code recorded on every target sentence.", cli="--tgt-lang")
    seed: int = opt(0, "Random seed (eflomal sampling).")
    force: bool = force_option()

    def filters(self) -> dict[str, float | None]:
        from augment.project.filters import parse_filters

        return parse_filters(self.no_filter or [], [f"{k}={v}" for k, v in (self.filter_options or {}).items()])


def sidecars(output: str | os.PathLike) -> dict[str, Path]:
    """Files written beside OUT: dropped pairs, report (JSON; Markdown beside it), alignment cache."""
    out = Path(output)
    return {name: out.with_name(f"{out.name}.{suffix}") for name, suffix in (
        ("dropped", "dropped.jsonl"), ("report", "report.json"), ("alignments", "alignments.jsonl"))}


def read_inputs(options: ProjectOptions, translations: str | os.PathLike | None = None,
                source: str | os.PathLike | None = None,
                target: str | os.PathLike | None = None) -> tuple[list[Pair], str]:
    """The pairs to project and the strategy they get (parallel text always goes through alignments)."""
    from augment.core.errors import ConfigError
    from augment.core.io import read_corpus
    from augment.core.pair import read_pairs
    from augment.project.corpus import check_parallel, parallel_pairs

    if translations is not None:
        if source is not None or target is not None:
            raise ConfigError("give translation records, or a source and a target corpus, not both")
        pairs, strategy = read_pairs(translations, need_source_tags=True, repair=options.repair_tags), options.strategy
    elif source is not None and target is not None:
        src = read_corpus(source, repair=options.repair_tags, to_scheme="iob2", lang=options.src_lang)
        tgt = read_corpus(target, repair=True, lang=options.lang)  # target tags are ignored
        check_parallel(src, tgt, source, target)
        pairs, strategy = parallel_pairs(src, tgt), "align"
    else:
        raise ConfigError("projection needs translation records, or both a source and a target corpus")
    if options.lang:
        for p in pairs:
            p.target.lang = options.lang
    return pairs, strategy


def cached_alignments(pairs: list[Pair], cache: Path, options: ProjectOptions,
                      extra_parallel: tuple[str | os.PathLike, ...] = ()) -> list[Alignment]:
    """Alignments of every pair, cached in ``cache``: a rerun with the same pairs and aligner
    options (after a kill, or with other filters) reuses them; eflomal learns from all pairs at
    once, so there are no partial batches."""
    from align.api import AlignOptions, align_pairs, read_extra
    from augment.core.alignment import write_alignments
    from augment.core.checkpoint import file_digest, fingerprint

    align = AlignOptions(method=options.aligner, model=options.model, matching=options.matching,
                         layer=options.layer, seed=options.seed)
    tokens = [(p.source.tokens, p.target.tokens) for p in pairs]
    run_fp = fingerprint({"pairs": tokens, "aligner": asdict(align), "extra": [file_digest(p) for p in extra_parallel]})
    found = None if options.force else _cached(cache, pairs, run_fp)
    if found is not None:
        return found
    alignments = align_pairs(tokens, method=align.method, extra=read_extra(extra_parallel),
                             **align.aligner_options())
    write_alignments(alignments, cache, ids=[p.id for p in pairs], info={"method": align.method, "fingerprint": run_fp})
    return alignments


def _cached(cache: Path, pairs: list[Pair], run_fp: str) -> list[Alignment] | None:
    """The alignments in ``cache`` when it was made by this run (``run_fp``) for these pairs; a
    cache of another run is None, a damaged one (a record of the wrong shape, not these pairs'
    lengths) None with one warning line."""
    import json

    from augment.core.alignment import record_problem
    from augment.core.fileio import read_text, split_lines
    from augment.core.state import warn

    if not cache.is_file():
        return None
    try:
        lines = split_lines(read_text(cache))
        records = [json.loads(line) for line in lines]
    except (XnerError, ValueError):
        records = [None]
    if records and isinstance(records[0], dict) and records[0].get("fingerprint") != run_fp:
        return None  # another run's alignments: recomputed, nothing is wrong
    problem = None if len(records) == len(pairs) else f"{len(records)} records for {len(pairs)} pairs"
    for n, (rec, p) in enumerate(zip(records, pairs)):
        problem = problem or record_problem(rec, p.id, len(p.source.tokens), len(p.target.tokens))
        if problem is not None:
            warn(f"{cache}:{n + 1}: damaged alignment cache ({problem}); recomputing it")
            return None
    if problem is not None:
        warn(f"{cache}: damaged alignment cache ({problem}); recomputing it")
        return None
    return [Alignment.from_links(r["alignment"], r["src_len"], r["tgt_len"]) for r in records]


def project_files(output: str | os.PathLike, options: ProjectOptions, *,
                  translations: str | os.PathLike | None = None, source: str | os.PathLike | None = None,
                  target: str | os.PathLike | None = None, alignments: str | os.PathLike | None = None,
                  extra_parallel: tuple[str | os.PathLike, ...] = (), out_format: str | None = None,
                  sidecar_paths: dict[str, Path] | None = None, stats: LinkStats | None = None,
                  reference: str | os.PathLike | None = None,
                  log: Callable[[str], None] | None = None) -> tuple[dict[str, Any], str]:
    """Project and write OUT (kept pairs in ``out_format``, default from the extension) and its
    sidecars (:func:`sidecars`, or ``sidecar_paths`` where given). ``alignments``: a Pharaoh or alignment JSONL file, one per pair;
    without it they are computed with ``options.aligner`` when some pair needs them. Returns the
    report and the format OUT was written in. ``stats``: link statistics of a larger corpus this
    one is a shard of (:func:`corpus_link_stats`). ``reference``: another labeling of the same
    target sentences (sentence i labels the target of pair i); the kept sentences are scored
    against it (:func:`compare_to_reference`) into the report's ``reference``. ``log`` gets a line
    as each step starts."""
    from augment.core.alignment import read_pharaoh
    from augment.core.errors import DataError
    from augment.core.io import write_corpus
    from augment.core.seed import set_seed
    from augment.project.corpus import needs_alignment, project_corpus, to_sentences
    from augment.project.report import write_projection_extras

    say = log or (lambda _line: None)
    set_seed(options.seed)
    filters = options.filters()
    say(f"reading {translations or f'{source} and {target}'}")
    pairs, strategy = read_inputs(options, translations, source, target)
    side = {**sidecars(output), **(sidecar_paths or {})}
    links = None
    if alignments is not None:
        links = read_pharaoh(alignments)
        if len(links) != len(pairs):
            raise DataError(f"{len(links)} alignments but {len(pairs)} records in {translations or target}",
                            path=alignments)
        links = fit_alignments(pairs, links, alignments)
    elif needs_alignment(pairs, strategy):
        say(f"aligning {len(pairs)} pairs with {options.aligner} (kept in {side['alignments'].name} for reruns)")
        links = cached_alignments(pairs, side["alignments"], options, extra_parallel)
    say(f"projecting the labels of {len(pairs)} pairs ({strategy})")
    kept, dropped, report = project_corpus(pairs, links, strategy=strategy, filters=filters, stats=stats)
    if reference is not None:
        report["reference"] = compare_to_reference(pairs, kept, reference, output)
    from augment.core.fileio import written_together

    with written_together(output):  # output, dropped file and report appear together or not at all
        fmt = write_corpus(to_sentences(kept), output, out_format)
        write_projection_extras([p.to_dict() for p in dropped], report, side["dropped"], side["report"])
    return report, fmt


def compare_to_reference(pairs: list[Pair], kept: list[Pair], reference: str | os.PathLike,
                         output: str | os.PathLike) -> dict[str, Any]:
    """Entity P/R/F1 of the kept projected targets against ``reference`` (sentence i of it labels
    the target of input pair i), over the entity types the reference has: a source type it lacks
    (CoNLL-2003's MISC against MasakhaNER-style labels) would only count as false positives.
    Sentences the filters dropped are skipped and counted."""
    from augment.compare import score_matched
    from augment.core.errors import DataError
    from augment.core.io import read_corpus

    ref = read_corpus(reference, repair=True, to_scheme="iob2")
    if len(ref) != len(pairs):
        raise DataError(f"{len(ref)} reference sentences but {len(pairs)} pairs to project: sentence i of the "
                        "reference must label the target of pair i", path=reference)
    position = {p.id: k for k, p in enumerate(pairs)}
    if len(position) != len(pairs):
        raise DataError("pair ids repeat, so kept sentences cannot be matched to the reference")
    matched = [(p.target, ref[position[p.id]]) for p in kept]
    types = sorted({sp.label for s in ref for sp in s.spans})
    return score_matched(matched, {"only_in_a": 0, "only_in_b": len(pairs) - len(kept)}, "position", output,
                         reference, types)


def fit_alignments(pairs: list[Pair], links: list[Alignment], path: str | os.PathLike) -> list[Alignment]:
    """Alignments from a file, on the tokens the pairs were read as (mark-only tokens joined).

    An alignment JSONL record states its lengths: one on the file's raw tokens is remapped
    through the pair's token maps, one on the joined tokens is used as it is, any other is an
    error. A Pharaoh line states none: for a pair whose tokens were joined it is taken as keyed
    to the joined tokens (as ``align run`` and the pipeline's ``align`` stage write them), a link
    beyond them is an error, and how many pairs that concerned is logged."""
    import logging

    from augment.core.errors import DataError
    from augment.core.marks import RAW_TOKENS_ENV, remap_links

    out, assumed = [], 0
    for k, (pair, al) in enumerate(zip(pairs, links, strict=True)):
        smap, tmap = pair.source.token_map, pair.target.token_map
        if smap is None and tmap is None:
            out.append(al)
            continue
        joined = (len(pair.source.tokens), len(pair.target.tokens))
        raw = (len(smap) if smap is not None else joined[0], len(tmap) if tmap is not None else joined[1])
        lengths = (al.src_len, al.tgt_len)
        hint = (f"its tokens were read with mark-only tokens joined ({raw[0]}x{raw[1]} raw, {joined[0]}x{joined[1]} "
                f"joined); align the joined tokens, or set {RAW_TOKENS_ENV}=1 for raw tokens everywhere")
        if lengths == raw:
            out.append(Alignment.from_links(remap_links(al.links, smap, tmap), *joined))
        elif lengths == joined or (lengths == (None, None) and all(i < joined[0] and j < joined[1] for i, j in al.links)):
            assumed += lengths == (None, None)
            out.append(al)
        else:
            raise DataError(f"alignment {k + 1} (record {pair.id}) does not fit its pair: {hint}", path=path)
    if assumed:
        logging.getLogger("xner.corpus").warning(
            f"{path}: {assumed} Pharaoh alignments of pairs with joined mark-only tokens taken as keyed to the "
            f"joined tokens (alignment JSONL with src_len/tgt_len says which; {RAW_TOKENS_ENV}=1 reads raw tokens)")
    return out


def corpus_link_stats(options: ProjectOptions, *, translations: str | os.PathLike | None = None,
                      source: str | os.PathLike | None = None, target: str | os.PathLike | None = None,
                      alignments: str | os.PathLike | None = None) -> LinkStats | None:
    """The link statistics of a whole corpus and its alignment file, for projecting one shard of
    it with the Dice scores of one run (``None`` without an alignment file)."""
    from augment.core.alignment import read_pharaoh
    from augment.project.corpus import link_stats

    if alignments is None:
        return None
    pairs, _ = read_inputs(options, translations, source, target)
    return link_stats(pairs, read_pharaoh(alignments))
