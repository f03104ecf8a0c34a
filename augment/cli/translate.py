"""``augment translate``: translate a (labelled) corpus, carrying entities across with markers.

The translation options are :class:`augment.translate.options.TranslateOptions`, shared with the
pipeline ``translate`` stage; both call :func:`augment.translate.options.translate_with`.
"""

from __future__ import annotations

import click

from augment.core.cli import format_option, scheme_options
from augment.core.options import click_options, options_from_click
from augment.translate.options import TranslateOptions


@click.command()
@click.argument("input")
@click.argument("output")
@click_options(TranslateOptions)
@click.option("--shards", type=int, default=1, show_default=True,
              help="Cut the input into N shards translated in parallel and merged into the file one run "
                   "writes (each resumable; work kept in OUTPUT.shards-*/ until done).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where --shards run: local processes (cores and GPUs shared out), or Ray tasks "
                   "(RAY_ADDRESS or a local Ray; one GPU each where the cluster has GPUs).")
@format_option()
@scheme_options
def translate(input: str, output: str, shards: int, engine: str, format: str | None, in_scheme: str,
              repair_tags: bool, **options) -> None:
    """Translate INPUT (any corpus format, or plain text) into OUTPUT (JSONL translation records).

    Each record holds the source sentence, the clean translation and its tokens, and, with
    --method markers, the target entity spans and IOB2 tags when the markers came back intact
    (markers_ok: true). Sentences whose markers broke keep markers_ok: false so that
    `augment project-labels` can fall back to word alignment for them. A killed run resumes when
    started again with the same arguments.

    \b
    Examples:
      augment translate eng.train yo.jsonl --src en --tgt yo
      augment translate en.jsonl yo.jsonl --src en --tgt yor --model facebook/nllb-200-distilled-600M \\
          --backend ctranslate2 --num-beams 4
      augment translate sentences.txt ha.jsonl --src en --tgt ha --method plain
    """
    from augment.core.errors import ConfigError
    from augment.core.io import read_corpus
    from augment.translate import summary
    from augment.translate.options import translate_with

    opts = options_from_click(TranslateOptions, options)
    if not output.endswith((".jsonl", ".json", ".ndjson")):
        raise ConfigError(f"OUTPUT must be a .jsonl file (translation records), got '{output}'")
    sentences = read_corpus(input, format, scheme=in_scheme, repair=repair_tags, to_scheme="iob2", lang=opts.src)
    if shards < 1:
        raise ConfigError("--shards must be at least 1")
    if shards > 1:  # the translate stage's own sharding (augment/translate/sharding.py) on the core's executor
        from augment.core.options import pipeline_settings
        from augment.core.shards_file import run_file_sharded
        from augment.translate.sharding import WORK

        settings = {k: getattr(opts, k) for k in pipeline_settings(TranslateOptions)} | {"shards": shards}
        counts = run_file_sharded(WORK, "corpus", sentences, settings, "translations", output, engine,
                                  gpus=1, fresh=opts.force)["translation"]
        return _report(counts, output)
    _report(summary(translate_with(sentences, opts, out_path=output)), output)


def _report(counts: dict[str, int], output: str) -> None:
    from augment.translate.markers import MarkerSurvival

    line = f"wrote {counts['sentences']} translations to {output}"
    if counts["markers"]:
        issues = ", ".join(f"{k} {v}" for k, v in counts.items()
                           if k not in ("sentences", "markers", "markers_ok", "long_split", "long_truncated")
                           and not k.startswith("survival_"))
        survival = MarkerSurvival.from_counts({k.removeprefix("survival_"): v for k, v in counts.items()})
        line += f"; {survival.describe()}" + (f" (issues: {issues})" if issues else "")
    if counts["long_split"] or counts["long_truncated"]:
        line += (f"; longer than the model's limit: {counts['long_split']} split into pieces, "
                 f"{counts['long_truncated']} truncated")
    click.echo(line, err=True)
