"""``align run``: word alignments for sentence pairs (eflomal or SimAlign)."""

from __future__ import annotations

import click

CHUNK = 512  # pairs per resumable batch (SimAlign); eflomal learns from all pairs at once


@click.command()
@click.argument("input", metavar="IN")
@click.argument("output", metavar="OUT")
@click.option("--method", type=click.Choice(["eflomal", "simalign", "simalign-package"]), default="eflomal",
              show_default=True, help="Aligner: eflomal (statistical, no model) or simalign (encoder embeddings).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text", "tsv"]), default=None,
              help="Input format: translation JSONL, 'src ||| tgt' text, or src<TAB>tgt. Default: from content.")
@click.option("--model", default="bert-base-multilingual-cased", show_default=True,
              help="SimAlign: encoder name on the hub or local path.")
@click.option("--matching", type=click.Choice(["argmax", "itermax", "mwmf"]), default="itermax", show_default=True,
              help="SimAlign matching method.")
@click.option("--layer", type=int, default=8, show_default=True, help="SimAlign: hidden layer to embed with.")
@click.option("--batch-size", type=int, default=32, show_default=True, help="SimAlign: sentences per batch.")
@click.option("--symmetrize", default="grow-diag-final-and", show_default=True,
              type=click.Choice(["grow-diag-final-and", "grow-diag-final", "grow-diag", "intersection", "union",
                                 "forward", "reverse"]),
              help="eflomal: how to combine the two directions.")
@click.option("--extra-parallel", multiple=True, metavar="FILE",
              help="eflomal: more unlabelled parallel text to learn from (any input format; repeatable). "
                   "Only IN's pairs are written.")
@click.option("--iterations", type=float, default=1.0, show_default=True,
              help="eflomal: number of sampling iterations relative to its default.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (eflomal sampling).")
def run(input: str, output: str, method: str, fmt: str | None, model: str, matching: str, layer: int,
        batch_size: int, symmetrize: str, extra_parallel: tuple[str, ...], iterations: float, seed: int) -> None:
    """Align the sentence pairs in IN and write OUT.

    OUT is Pharaoh text (one line per pair, 0-based i-j links) unless it ends in .jsonl (one
    alignment record per pair; see docs/formats.md). A killed run resumes where it stopped.

    \b
      align run pairs.txt links.txt --method eflomal --extra-parallel menyo20k/train.tsv
      align run yo.jsonl links.jsonl --method simalign --model xlm-roberta-base --layer 8
    """
    from align.aligners import get_aligner
    from align.api import read_extra
    from align.readers import read_pairs
    from augment.core.alignment import Alignment, write_alignments
    from augment.core.checkpoint import ResumableOutput, file_digest, fingerprint
    from augment.core.hub import preflight
    from augment.core.progress import progress
    from augment.core.seed import set_seed

    if method != "eflomal":
        preflight(model, "encoder")  # an unreachable hub model fails before torch is imported
    set_seed(seed)
    pairs = read_pairs(input, fmt)
    if method == "eflomal":
        options = {"symmetrize": symmetrize, "extra": read_extra(extra_parallel), "seed": seed,
                   "rel_iterations": iterations}
        info = {"method": "eflomal", "symmetrize": symmetrize}
        chunk = len(pairs)
    else:
        options = {"model": model, "matching": matching, "layer": layer, "batch_size": batch_size}
        info = {"method": method, "matching": matching}
        chunk = CHUNK
    aligner = get_aligner(method, **options)
    run_fp = fingerprint({"input": file_digest(input), "method": method, "format": fmt,
                          "options": {k: v for k, v in options.items() if k != "extra"},
                          "extra": [file_digest(p) for p in extra_parallel]})
    out = ResumableOutput(output, run_fp)
    done = out.start()
    if done:
        click.echo(f"resuming after {done} pairs", err=True)
    for start in progress(range(done, len(pairs), chunk), desc="aligning", unit="batch"):
        batch = pairs[start:start + chunk]
        links = aligner.align([(p.src, p.tgt) for p in batch])
        out.append({"id": p.id, "src_len": a.src_len, "tgt_len": a.tgt_len, "alignment": a.to_list(), **info}
                   for p, a in zip(batch, links, strict=True))

    def write_final(records):
        alignments = [Alignment.from_links(r["alignment"], r["src_len"], r["tgt_len"]) for r in records]
        write_alignments(alignments, output, ids=[r["id"] for r in records], info=info)

    records = out.finish(write_final)
    n_links = sum(len(r["alignment"]) for r in records)
    click.echo(f"wrote {len(records)} alignments ({n_links} links) to {output}", err=True)
