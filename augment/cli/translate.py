"""``augment translate``: translate a (labelled) corpus, carrying entities across with markers."""

from __future__ import annotations

import click

from augment.core.cli import format_option, scheme_options


@click.command()
@click.argument("input")
@click.argument("output")
@click.option("--src", required=True, help="Source language: ISO 639-1 or 639-3 code (en, eng).")
@click.option("--tgt", required=True, help="Target language: ISO 639-1 or 639-3 code (yo, yor).")
@click.option("--model", default=None,
              help="Hub name or local path of a Marian or NLLB model. Default: an OPUS-MT pair model "
                   "where one is known, else facebook/nllb-200-distilled-600M (see docs/translate.md).")
@click.option("--backend", type=click.Choice(["transformers", "ctranslate2"]), default="transformers",
              show_default=True, help="ctranslate2 is faster on CPU (pip install 'xner[fast]'); the "
                                      "model is converted once into a cache directory.")
@click.option("--method", type=click.Choice(["markers", "plain"]), default="markers", show_default=True,
              help="markers: wrap entities in markers and read them back as target tags; "
                   "plain: translation only (for alignment-based projection).")
@click.option("--open-marker", default="[", show_default=True, help="String that opens an entity.")
@click.option("--close-marker", default="]", show_default=True, help="String that closes an entity.")
@click.option("--batch-size", type=int, default=None, help="Sentences per batch (instead of a token budget).")
@click.option("--max-batch-tokens", type=int, default=None,
              help="Padded source subwords per batch (default 4096, at most 64 sentences).")
@click.option("--num-beams", type=int, default=1, show_default=True, help="1 = greedy; more = beam search.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--dtype", type=click.Choice(["auto", "fp32", "fp16", "bf16", "int8"]), default="auto",
              show_default=True, help="auto: fp32 on CPU and bf16/fp16 on CUDA (transformers); int8 on "
                                      "CPU and fp16 on CUDA (ctranslate2). int8 needs ctranslate2.")
@click.option("--cache-dir", default=None,
              help="Where converted CTranslate2 models are kept (default $XNER_CACHE/ct2 or ~/.cache/xner/ct2).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--limit", type=int, default=None, help="Translate only the first N sentences.")
@click.option("--force-languages", is_flag=True,
              help="Use the model even when the languages it declares (tokenizer, config, name) "
                   "contradict --src/--tgt.")
@click.option("--shards", type=int, default=1, show_default=True,
              help="Cut the input into N shards translated in parallel and merged into the file one run "
                   "writes (each resumable; work kept in OUTPUT.shards-*/ until done).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where --shards run: local processes (cores and GPUs shared out), or Ray tasks "
                   "(RAY_ADDRESS or a local Ray; one GPU each where the cluster has GPUs).")
@format_option()
@scheme_options
def translate(input: str, output: str, src: str, tgt: str, model: str | None, backend: str, method: str,
              open_marker: str, close_marker: str, batch_size: int | None, max_batch_tokens: int | None,
              num_beams: int, device: str, dtype: str, cache_dir: str | None, seed: int, limit: int | None,
              force_languages: bool, shards: int, engine: str, format: str | None, in_scheme: str,
              repair_tags: bool) -> None:
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
    from augment.translate import summary, translate_corpus

    if not output.endswith((".jsonl", ".json", ".ndjson")):
        raise ConfigError(f"OUTPUT must be a .jsonl file (translation records), got '{output}'")
    sentences = read_corpus(input, format, scheme=in_scheme, repair=repair_tags, to_scheme="iob2", lang=src)
    if shards < 1:
        raise ConfigError("--shards must be at least 1")
    if shards > 1:  # the pipeline's translate stage, cut into shards (pipelines/shards.py)
        from pipelines.engines.standalone import run_file_sharded

        settings = {"src": src, "tgt": tgt, "model": model, "backend": backend, "method": method,
                    "num_beams": num_beams, "batch_size": batch_size, "max_batch_tokens": max_batch_tokens,
                    "device": device, "dtype": dtype, "open_marker": open_marker, "close_marker": close_marker,
                    "limit": limit, "seed": seed, "shards": shards}
        counts = run_file_sharded("translate", "corpus", sentences, settings, "translations", output,
                                  engine)["translation"]
        return _report(counts, output)
    records = translate_corpus(
        sentences, src=src, tgt=tgt, model=model, backend=backend, method=method, open_marker=open_marker,
        close_marker=close_marker, num_beams=num_beams, batch_size=batch_size,
        max_batch_tokens=max_batch_tokens, device=device, dtype=dtype, seed=seed, limit=limit,
        out_path=output, cache_dir=cache_dir, force_languages=force_languages)
    _report(summary(records), output)


def _report(counts: dict[str, int], output: str) -> None:
    line = f"wrote {counts['sentences']} translations to {output}"
    if counts["markers"]:
        issues = ", ".join(f"{k} {v}" for k, v in counts.items()
                           if k not in ("sentences", "markers", "markers_ok", "long_split", "long_truncated"))
        line += f"; markers intact in {counts['markers_ok']}/{counts['markers']}" + (f" ({issues})" if issues else "")
    if counts["long_split"] or counts["long_truncated"]:
        line += (f"; longer than the model's limit: {counts['long_split']} split into pieces, "
                 f"{counts['long_truncated']} truncated")
    click.echo(line, err=True)
