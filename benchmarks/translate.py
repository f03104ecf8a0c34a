"""Benchmark: transformers vs CTranslate2 on the same model and the same MENYO-20k English sentences.

Builds a random-init Marian en->yo model offline (sentencepiece trained on MENYO-20k), translates
the first N English sentences of MENYO-20k train through ``translate_corpus`` with each backend
(same batching; greedy, and beam search with --num-beams 1 4), and prints sentences/s of each and
the ratio CTranslate2 / transformers, per wall-clock second and per CPU second (process time,
all threads): on a shared machine the wall-clock figures move with the load, CPU time much less.
A random model never emits its end token, so every sentence decodes to the length cap
(2 x source subwords + 10, see augment/translate/batching.py) on both backends: the same work.

    python benchmarks/translate.py                      # 2,000 sentences, d_model 256, 2+2 layers
    python benchmarks/translate.py --sentences 200 --d-model 64 --layers 1
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "menyo20k" / "train.tsv"


def read_english(n: int) -> list[str]:
    from augment.core.formats.tsv_pairs import read_tsv_pairs

    rows = read_tsv_pairs(DATA)[:n]
    return [r.src for r in rows], [r.tgt for r in rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--d-model", type=int, default=256)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--vocab-size", type=int, default=8000)
    ap.add_argument("--max-length", type=int, default=64, help="model's decoding-length limit")
    ap.add_argument("--threads", type=int, default=1,
                    help="CPU threads for both backends (1: on shared cores, spinning OpenMP threads distort timings)")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--max-batch-tokens", type=int, default=2048)
    ap.add_argument("--num-beams", type=int, nargs="+", default=[1], help="e.g. 1 4: greedy, then beam 4")
    args = ap.parse_args()

    os.environ.setdefault("XNER_NO_PROGRESS", "1")
    import torch

    torch.set_num_threads(args.threads)
    from augment.core import Sentence
    from augment.core.tokenize import tokenize
    from augment.translate import translate_corpus
    from augment.translate.backends.ctranslate2 import converted_model
    from augment.translate.tiny_models import build_tiny_marian

    en, yo = read_english(max(args.sentences, 4000))
    sentences = [Sentence(f"menyo-{i}", tokenize(t), lang="en") for i, t in enumerate(en[:args.sentences])]
    with tempfile.TemporaryDirectory() as tmp:
        model = build_tiny_marian(en, yo, Path(tmp) / "marian", vocab_size=args.vocab_size, d_model=args.d_model,
                                  layers=args.layers, heads=max(2, args.d_model // 64), ffn_dim=4 * args.d_model,
                                  max_length=args.max_length, seed=0)
        cache = Path(tmp) / "ct2"
        t = time.perf_counter()
        converted_model(str(model), cache)
        convert_s = time.perf_counter() - t
        print(f"model: random Marian d_model={args.d_model} layers={args.layers}+{args.layers} "
              f"vocab={args.vocab_size} max_length={args.max_length}; {len(sentences)} MENYO-20k English "
              f"sentences; {args.threads} thread(s), {args.device}; CTranslate2 conversion {convert_s:.1f} s",
              flush=True)
        for beams in args.num_beams:
            rates = {}
            for backend, dtype in (("transformers", "auto"), ("ctranslate2", "auto"), ("ctranslate2", "fp32")):
                t, cpu = time.perf_counter(), time.process_time()
                records = translate_corpus(sentences, src="en", tgt="yo", model=str(model), backend=backend,
                                           method="plain", dtype=dtype, device=args.device, cache_dir=cache,
                                           num_beams=beams, max_batch_tokens=args.max_batch_tokens,
                                           show_progress=False)
                seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
                label = f"{backend} ({records[0]['mt']['dtype']}), beams {beams}"
                rates[label] = (len(records) / seconds, len(records) / cpu)
                print(f"{label:36s} wall {seconds:7.1f} s {rates[label][0]:7.1f} sent/s | "
                      f"CPU {cpu:7.1f} s {rates[label][1]:7.1f} sent/CPU-s", flush=True)
            base = next(iter(rates.values()))
            for label, (wall, per_cpu) in list(rates.items())[1:]:
                print(f"ratio {label} / transformers: {wall / base[0]:.2f}x wall, "
                      f"{per_cpu / base[1]:.2f}x CPU time", flush=True)


if __name__ == "__main__":
    sys.exit(main())
