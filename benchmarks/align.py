"""Alignment speed: eflomal on MENYO-20k (pairs/s, with and without symmetrisation) and SimAlign's
batched path vs the ``simalign`` package on the same tiny encoder (ratio, measured in this run).

    .venv/bin/python benchmarks/align.py [--eflomal-pairs 10000] [--full] [--simalign-pairs 200]

Targets: the 20k MENYO pairs in under a minute on 2 cores (``--full``); batched SimAlign >= 3x the
package. Times are wall-clock on whatever else the machine is doing: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

# this file is named like the `align` package: keep its folder off the import path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _child_cpu() -> float:
    """CPU seconds used so far by finished child processes (eflomal runs as two)."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def bench_eflomal(n: int, full: bool, seed: int) -> None:
    from align.aligners.eflomal import EflomalAligner
    from align.readers import read_pairs
    from align.symmetrize import symmetrize

    pairs = [(p.src, p.tgt) for p in read_pairs(DATA / "menyo20k" / "train.tsv")][:n]
    aligner = EflomalAligner(seed=seed)
    cpu0 = _child_cpu()
    t0 = time.perf_counter()
    fwd, rev = aligner.directional(pairs)
    t1 = time.perf_counter()
    cpu = _child_cpu() - cpu0
    links = [symmetrize(f, r, "grow-diag-final-and") for f, r in zip(fwd, rev)]
    t2 = time.perf_counter()
    print(f"eflomal, {len(pairs)} MENYO train pairs (seed {seed}):")
    print(f"  both directions, no symmetrisation: {t1 - t0:6.1f} s  {len(pairs) / (t1 - t0):7.0f} pairs/s")
    print(f"  + grow-diag-final-and:              {t2 - t0:6.1f} s  {len(pairs) / (t2 - t0):7.0f} pairs/s "
          f"(symmetrisation {t2 - t1:.2f} s, {sum(map(len, links))} links)")
    print(f"  eflomal CPU time {cpu:.1f} s in two single-threaded processes: about {cpu / 2:.1f} s wall "
          f"on 2 free cores ({len(pairs) / (cpu / 2):.0f} pairs/s)")
    if full:
        allp = [(p.src, p.tgt) for split in ("train", "dev", "test")
                for p in read_pairs(DATA / "menyo20k" / f"{split}.tsv")]
        cpu0 = _child_cpu()
        t0 = time.perf_counter()
        EflomalAligner(seed=seed).align(allp)
        dt = time.perf_counter() - t0
        cpu = _child_cpu() - cpu0
        print(f"  all {len(allp)} MENYO pairs, symmetrised: {dt:6.1f} s wall  {len(allp) / dt:7.0f} pairs/s; "
              f"eflomal CPU {cpu:.1f} s = about {cpu / 2:.1f} s on 2 free cores (target: < 60 s)")


def bench_simalign(n: int, layer: int) -> None:
    from align.aligners import get_aligner
    from align.readers import read_pairs
    from augment.corpus import read_corpus
    from ner.tiny_encoder import build_tiny_bert

    texts = [" ".join(s.tokens) for s in read_corpus(DATA / "conll2003_en" / "eng.train")[:3000]]
    pairs = [(p.src, p.tgt) for p in read_pairs(DATA / "align_gold_awesome" / "enfr.src-tgt")][:n]
    with tempfile.TemporaryDirectory() as tmp:
        model = str(build_tiny_bert(texts, Path(tmp) / "tiny", vocab_size=3000, seed=0))
        print(f"SimAlign, {len(pairs)} en-fr pairs, tiny BERT (2 layers, hidden 128), layer {layer}:")
        for matching in ("argmax", "itermax", "mwmf"):
            ours = get_aligner("simalign", model=model, layer=layer, matching=matching)
            ref = get_aligner("simalign-package", model=model, layer=layer, matching=matching)
            ours.align(pairs[:4])  # load both models before timing
            ref.align(pairs[:4])
            t0 = time.perf_counter()
            a = ours.align(pairs)
            t1 = time.perf_counter()
            b = ref.align(pairs)
            t2 = time.perf_counter()
            same = sum(x.links == y.links for x, y in zip(a, b))
            print(f"  {matching:8s} batched {len(pairs) / (t1 - t0):7.1f} pairs/s   package "
                  f"{len(pairs) / (t2 - t1):6.1f} pairs/s   ratio {(t2 - t1) / (t1 - t0):5.1f}x   "
                  f"identical links {same}/{len(pairs)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eflomal-pairs", type=int, default=10000)
    ap.add_argument("--full", action="store_true", help="also align all 20,100 MENYO pairs")
    ap.add_argument("--simalign-pairs", type=int, default=200)
    ap.add_argument("--layer", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip", choices=["eflomal", "simalign"], default=None)
    args = ap.parse_args()
    import os

    os.environ.setdefault("XNER_NO_PROGRESS", "1")
    if args.skip != "eflomal":
        bench_eflomal(args.eflomal_pairs, args.full, args.seed)
    if args.skip != "simalign":
        bench_simalign(args.simalign_pairs, args.layer)


if __name__ == "__main__":
    main()
