"""Library entry points for alignment: ``align_pairs`` (pairs in, alignments out) and
``align_to_file`` (the resumable flow ``align run`` and the pipeline's ``align`` stage share),
with the options both declare once in :class:`AlignOptions`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from align.aligners import PARTS, get_aligner
from align.aligners.simalign import DEFAULT_MODEL, MATCHINGS
from align.readers import TokenPair, read_pairs
from align.symmetrize import METHODS as SYMMETRIZE
from augment.core.alignment import Alignment
from augment.core.options import device_option, force_option, opt

CHUNK = 512  # pairs per resumable batch (SimAlign); eflomal learns from all pairs at once
METHODS = PARTS.names()


# The aligner settings other stages offer too (project-labels, translate-test), declared once here.
def aligner_option(help: str) -> Any:
    """Which aligner: one of those in ``align/aligners/`` (eflomal by default)."""
    return opt("eflomal", help, choices=list(METHODS))


def encoder_option(help: str) -> Any:
    """SimAlign's encoder, a hub name or a local path."""
    return opt(DEFAULT_MODEL, help)


def matching_option(help: str) -> Any:
    """SimAlign's matching method."""
    return opt("itermax", help, choices=list(MATCHINGS))


def layer_option(help: str) -> Any:
    """SimAlign's encoder layer to embed with."""
    return opt(8, help)


def learns_from_whole_corpus(method: str) -> bool:
    """Whether aligner ``method`` learns from all pairs at once (eflomal): it takes extra parallel
    text, aligns in one batch and is never cut into shards."""
    return PARTS.get(method).WHOLE_CORPUS


@dataclass
class AlignOptions:
    """Options of the align stage (``align run`` and the pipeline's ``align``), declared once."""

    method: str = aligner_option("Aligner: eflomal (statistical, no model) or simalign (encoder embeddings).")
    symmetrize: str = opt("grow-diag-final-and", "eflomal: how to combine the two directions.",
                          choices=list(SYMMETRIZE))
    iterations: float = opt(1.0, "eflomal: number of sampling iterations relative to its default.")
    extra_limit: int | None = opt(None, "eflomal: use at most this many pairs of each extra parallel file.")
    model: str = encoder_option("SimAlign: encoder name on the hub or local path.")
    matching: str = matching_option("SimAlign matching method.")
    layer: int = layer_option("SimAlign: hidden layer to embed with.")
    batch_size: int = opt(32, "SimAlign: sentences per batch.")
    device: str = device_option("SimAlign device: auto, cpu or cuda.")
    seed: int = opt(0, "Random seed (eflomal sampling).")
    force: bool = force_option()

    def aligner_options(self) -> dict[str, Any]:
        """Keyword options of the chosen aligner, as its class maps these options onto its own
        (``SETTINGS``; ``extra`` pairs are added by the caller)."""
        return {keyword: getattr(self, name) for keyword, name in PARTS.get(self.method).SETTINGS.items()}

    def info(self) -> dict[str, str]:
        """What each alignment record says about how it was made: the method and its first setting."""
        name = next(iter(PARTS.get(self.method).SETTINGS.values()))
        return {"method": self.method, name: getattr(self, name)}


def _tokens(pairs: Sequence[TokenPair | tuple[Sequence[str], Sequence[str]]]) -> list[tuple[list[str], list[str]]]:
    return [(list(p.src), list(p.tgt)) if isinstance(p, TokenPair) else (list(p[0]), list(p[1])) for p in pairs]


def read_extra(paths: Sequence[str | Path], limit: int | None = None) -> list[tuple[list[str], list[str]]]:
    """Unlabelled parallel pairs from ``--extra-parallel`` files (any pair format), at most
    ``limit`` of each file."""
    out: list[tuple[list[str], list[str]]] = []
    for path in paths:
        out += _tokens(read_pairs(path))[:limit]
    return out


def align_pairs(pairs: Sequence[TokenPair | tuple[Sequence[str], Sequence[str]]], method: str = "eflomal",
                extra: Sequence[tuple[Sequence[str], Sequence[str]]] = (), **options: Any) -> list[Alignment]:
    """Align each (source tokens, target tokens) pair with the aligner ``method``.

    ``extra``: unlabelled pairs added to eflomal's training (ignored by SimAlign); ``options``
    go to the aligner (eflomal: ``symmetrize``, ``seed``, ``n_samplers``, ``rel_iterations``;
    simalign: ``model``, ``matching``, ``layer``, ``batch_size``, ``device``).
    """
    if learns_from_whole_corpus(method):
        options["extra"] = list(extra)
    return get_aligner(method, **options).align(_tokens(pairs))


def align_to_file(pairs: Sequence[TokenPair], output: str | Path, options: AlignOptions,
                  extra_paths: Sequence[str | Path] = (), log: Callable[[str], None] | None = None,
                  ) -> dict[str, int]:
    """Align ``pairs`` and write OUT (Pharaoh, or alignment JSONL when it ends in ``.jsonl``).

    Resumable: finished batches go to ``OUT.partial.jsonl``; a rerun with the same pairs, options
    and extra files continues after them. ``log`` gets one-line progress notes. Returns the
    counts ``{"pairs", "extra_pairs", "links"}``.
    """
    from augment.core.alignment import record_problem, write_alignments
    from augment.core.checkpoint import ResumableOutput, file_digest, fingerprint
    from augment.core.errors import ConfigError
    from augment.core.progress import progress
    from augment.core.seed import set_seed

    set_seed(options.seed)
    kwargs = options.aligner_options()
    extra: list[tuple[list[str], list[str]]] = []
    if learns_from_whole_corpus(options.method):
        extra = read_extra(extra_paths, options.extra_limit)
        kwargs["extra"] = extra
        chunk = max(1, len(pairs))
    elif extra_paths:
        raise ConfigError(f"extra parallel text only helps an aligner that learns from the whole corpus "
                          f"(eflomal); remove it for {options.method}")
    else:
        chunk = CHUNK
    settings = {k: v for k, v in asdict(options).items() if k != "force"}  # how it runs, not what it writes
    run_fp = fingerprint({"pairs": [[p.id, p.src, p.tgt] for p in pairs], "options": settings,
                          "extra": [file_digest(p) for p in extra_paths]})
    info = options.info()

    def check(n: int, rec: dict[str, Any]) -> str | None:  # the n-th record is the n-th pair's
        if n >= len(pairs):
            return "more records than pairs"
        p = pairs[n]
        problem = record_problem(rec, p.id, len(p.src), len(p.tgt))
        if problem is None and any(rec.get(k) != v for k, v in info.items()):
            problem = "not made with these aligner options"
        return problem

    out = ResumableOutput(output, run_fp, fresh=options.force, check=check)
    done = out.start()
    if done and log is not None:
        log(f"resuming after {done} pairs")
    if done < len(pairs):
        aligner = get_aligner(options.method, **kwargs)
        # an aligner that learns from the whole corpus (eflomal) draws its own bar over its
        # sampling; SimAlign's counts pairs
        whole = learns_from_whole_corpus(options.method)
        bar = None if whole else progress(total=len(pairs) - done, desc="aligning", unit="pair")
        for start in range(done, len(pairs), chunk):
            batch = pairs[start:start + chunk]
            links = aligner.align([(p.src, p.tgt) for p in batch])
            out.append({"id": p.id, "src_len": a.src_len, "tgt_len": a.tgt_len, "alignment": a.to_list(), **info}
                       for p, a in zip(batch, links, strict=True))
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()

    def write_final(records: list[dict[str, Any]]) -> None:
        alignments = [Alignment.from_links(r["alignment"], r["src_len"], r["tgt_len"]) for r in records]
        write_alignments(alignments, output, ids=[r["id"] for r in records], info=options.info())

    records = out.finish(write_final)
    return {"pairs": len(records), "extra_pairs": len(extra), "links": sum(len(r["alignment"]) for r in records)}
