"""``augment project-labels``: carry entity spans from source to target tokens."""

from __future__ import annotations

from pathlib import Path

import click

from augment.core.options import click_options
from augment.project.flow import ProjectOptions


@click.command()
@click.argument("input", metavar="IN", required=False)
@click.argument("output", metavar="OUT", required=False)
@click.option("--source", "source", default=None, metavar="SRC",
              help="Parallel text: labelled source corpus (sentence i translates into TGT's sentence i).")
@click.option("--target", "target", default=None, metavar="TGT",
              help="Parallel text: target side (plain tokenized text, or a corpus whose tags are ignored).")
@click.option("--alignments", default=None, metavar="FILE",
              help="Precomputed alignments (Pharaoh or alignment JSONL from `align run`, one per record). "
                   "Default: computed with --aligner when needed.")
@click.option("--extra-parallel", multiple=True, metavar="FILE",
              help="eflomal: more unlabelled parallel text to learn from (repeatable).")
@click.option("--reference", default=None, metavar="FILE",
              help="Another labeling of the same target sentences (sentence i labels target i, e.g. T-Projection's "
                   "labels): the kept sentences are scored against it (entity P/R/F1 per type, in the report).")
@click.option("--out-format", type=click.Choice(["conll", "jsonl", "parquet", "hf"]), default=None,
              help="Format of OUT (default: from its extension).")
@click_options(ProjectOptions)
def project_labels(input, output, source, target, alignments, extra_parallel, reference, out_format,
                   **kwargs) -> None:
    """Project source entity labels onto target tokens and write the kept sentences to OUT.

    Either IN is a translation JSONL file of `augment translate`, or --source SRC --target TGT
    give parallel text (then the only argument is OUT). OUT keeps the target tokens exactly.
    Beside OUT: OUT.dropped.jsonl (sentences the filters dropped), OUT.report.json and
    OUT.report.md. Formats: docs/formats.md.

    \b
      augment project-labels yo.jsonl yo.projected.jsonl
      augment project-labels --source en.conll --target de.txt de.projected.conll
      augment project-labels yo.jsonl out.jsonl --strategy align --extra-parallel menyo20k/train.tsv
      augment project-labels --source en.conll --target yor.conll yo.jsonl --reference yor.conll
    """
    from augment.core.errors import ConfigError
    from augment.core.options import options_from_click
    from augment.project.flow import project_files

    options = options_from_click(ProjectOptions, kwargs)
    if source is not None or target is not None:
        if source is None or target is None:
            raise ConfigError("parallel text needs both --source and --target")
        if output is not None:
            raise ConfigError("with --source/--target give only OUT")
        output, input = input, None
        if output is None:
            raise ConfigError("missing argument OUT")
    elif input is None or output is None:
        raise ConfigError("give IN and OUT, or --source SRC --target TGT OUT")
    from augment.core.progress import summary

    report, fmt = project_files(output, options, translations=input, source=source, target=target,
                                alignments=alignments, extra_parallel=extra_parallel, out_format=out_format,
                                reference=reference, log=summary)
    name = Path(output).name
    click.echo(f"projected {report['entities_projected']}/{report['entities_in']} entities; kept "
               f"{report['sentences_kept']}/{report['sentences_in']} sentences -> {output} ({fmt}); "
               f"dropped -> {name}.dropped.jsonl; report -> {name}.report.md", err=True)
    if reference is not None:
        from augment.compare import summary_line

        ref = report["reference"]
        click.echo(f"against {reference}: entity F1 {ref['scores']['f1']:.4f} (P {ref['scores']['precision']:.4f}, "
                   f"R {ref['scores']['recall']:.4f}); {summary_line(ref)}")
