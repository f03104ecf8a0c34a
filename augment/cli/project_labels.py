"""``augment project-labels``: carry entity spans from source to target tokens."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("input", metavar="IN", required=False)
@click.argument("output", metavar="OUT", required=False)
@click.option("--source", "source", default=None, metavar="SRC",
              help="Parallel text: labelled source corpus (sentence i translates into TGT's sentence i).")
@click.option("--target", "target", default=None, metavar="TGT",
              help="Parallel text: target side (plain tokenized text, or a corpus whose tags are ignored).")
@click.option("--strategy", type=click.Choice(["markers", "align", "markers+align"]), default="markers+align",
              show_default=True,
              help="markers: spans from the translation's markers; align: through word alignments; "
                   "markers+align: markers where intact, alignments elsewhere.")
@click.option("--alignments", default=None, metavar="FILE",
              help="Precomputed alignments (Pharaoh or alignment JSONL from `align run`, one per record). "
                   "Default: computed with --aligner when needed.")
@click.option("--aligner", type=click.Choice(["eflomal", "simalign"]), default="eflomal", show_default=True,
              help="Aligner used when alignments are needed and --alignments is not given.")
@click.option("--model", default="bert-base-multilingual-cased", show_default=True, help="SimAlign encoder.")
@click.option("--matching", type=click.Choice(["argmax", "itermax", "mwmf"]), default="itermax",
              show_default=True, help="SimAlign matching.")
@click.option("--layer", type=int, default=8, show_default=True, help="SimAlign layer.")
@click.option("--extra-parallel", multiple=True, metavar="FILE",
              help="eflomal: more unlabelled parallel text to learn from (repeatable).")
@click.option("--no-filter", "no_filter", multiple=True, metavar="NAME",
              help="Turn a filter off: unaligned_entity, entity_count, span_ratio, coverage, or all.")
@click.option("--filter-option", multiple=True, metavar="NAME=VALUE",
              help="Filter threshold: span_ratio=3.0 (max length ratio), coverage=0.3 (min share of aligned "
                   "source tokens).")
@click.option("--out-format", type=click.Choice(["conll", "jsonl", "parquet", "hf"]), default=None,
              help="Format of OUT (default: from its extension).")
@click.option("--src-lang", default=None, help="Parallel text: language code of SRC.")
@click.option("--tgt-lang", default=None, help="Parallel text: language code of TGT.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (eflomal sampling).")
def project_labels(input, output, source, target, strategy, alignments, aligner, model, matching, layer,
                   extra_parallel, no_filter, filter_option, out_format, src_lang, tgt_lang, seed) -> None:
    """Project source entity labels onto target tokens and write the kept sentences to OUT.

    Either IN is a translation JSONL file of `augment translate`, or --source SRC --target TGT
    give parallel text (then the only argument is OUT). OUT keeps the target tokens exactly.
    Beside OUT: OUT.dropped.jsonl (sentences the filters dropped), OUT.report.json and
    OUT.report.md. Formats: docs/formats.md.

    \b
      augment project-labels yo.jsonl yo.projected.jsonl
      augment project-labels --source en.conll --target de.txt de.projected.conll
      augment project-labels yo.jsonl out.jsonl --strategy align --extra-parallel menyo20k/train.tsv
    """
    from augment.core.errors import ConfigError, DataError
    from augment.core.io import read_corpus, write_corpus
    from augment.core.seed import set_seed
    from augment.core.translation import read_translation_records
    from augment.project import (
        check_parallel,
        needs_alignment,
        parallel_records,
        parse_filters,
        project_corpus,
        to_sentences,
    )
    from augment.project.report import write_projection_extras

    set_seed(seed)
    parallel = source is not None or target is not None
    if parallel:
        if source is None or target is None:
            raise ConfigError("parallel text needs both --source and --target")
        if output is not None:
            raise ConfigError("with --source/--target give only OUT")
        output, input = input, None
        if output is None:
            raise ConfigError("missing argument OUT")
        src = read_corpus(source, lang=src_lang, to_scheme="iob2")
        tgt = read_corpus(target, lang=tgt_lang, scheme="auto")
        check_parallel(src, tgt, source, target)
        records = parallel_records(src, tgt)
        strategy = "align"
    else:
        if input is None or output is None:
            raise ConfigError("give IN and OUT, or --source SRC --target TGT OUT")
        records = read_translation_records(input, require_src_tags=True)
    filters = parse_filters(no_filter, filter_option)
    links = None
    if alignments:
        from augment.core.alignment import read_pharaoh

        links = read_pharaoh(alignments)
        if len(links) != len(records):
            raise DataError(f"{len(links)} alignments but {len(records)} records in {input or target}",
                            path=alignments)
    elif needs_alignment(records, strategy):
        links = _align(records, output, aligner, model, matching, layer, extra_parallel, seed)
    kept, dropped, report = project_corpus(records, links, strategy=strategy, filters=filters)
    out_path = Path(output)
    from augment.core.fileio import written_together

    with written_together(output):  # output, dropped file and report appear together or not at all
        fmt = write_corpus(to_sentences(kept), output, out_format)
        write_projection_extras(dropped, report, out_path.with_name(out_path.name + ".dropped.jsonl"),
                                out_path.with_name(out_path.name + ".report.json"))
    click.echo(f"projected {report['entities_projected']}/{report['entities_in']} entities; kept "
               f"{report['sentences_kept']}/{report['sentences_in']} sentences -> {output} ({fmt}); "
               f"dropped -> {out_path.name}.dropped.jsonl; report -> {out_path.name}.report.md", err=True)


def _align(records, output, aligner, model, matching, layer, extra_parallel, seed):
    """Alignments for every record, cached in OUT.alignments.jsonl: a rerun (after a kill, or with
    other filters) reuses them. eflomal learns from all pairs at once, so there are no partial batches."""
    from align.api import align_pairs, read_extra
    from augment.core.alignment import Alignment, write_alignments
    from augment.core.checkpoint import file_digest, fingerprint

    pairs = [(r["src"]["tokens"], r["tokens"]) for r in records]
    options = ({"seed": seed} if aligner == "eflomal" else {"model": model, "matching": matching, "layer": layer})
    side = Path(output).with_name(Path(output).name + ".alignments.jsonl")
    run_fp = fingerprint({"pairs": pairs, "aligner": aligner, "options": options,
                          "extra": [file_digest(p) for p in extra_parallel]})
    if side.exists():
        try:
            with open(side, encoding="utf-8") as fh:
                first = json.loads(fh.readline() or "{}")
            if first.get("fingerprint") == run_fp:
                with open(side, encoding="utf-8") as fh:
                    recs = [json.loads(line) for line in fh if line.strip()]
                if len(recs) == len(records):
                    return [Alignment.from_links(r["alignment"], r["src_len"], r["tgt_len"]) for r in recs]
        except (OSError, ValueError, KeyError):
            pass
    links = align_pairs(pairs, method=aligner, extra=read_extra(extra_parallel), **options)
    write_alignments(links, side, ids=[str(r.get("id")) for r in records],
                     info={"method": aligner, "fingerprint": run_fp})
    return links
