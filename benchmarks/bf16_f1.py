"""Entity F1 of ``ner train`` under bf16 autocast vs fp32, same seeds: is bf16 within seed noise?

    .venv/bin/python benchmarks/bf16_f1.py [--seeds 1 2 3] [--train-sentences 2000] [--epochs 3]

A tiny random-init BERT (2 layers, hidden 128, WordPiece vocabulary from CoNLL-2003 + MasakhaNER
yor) is trained on the first N sentences of MasakhaNER 1.0 yor train with each precision and
seed, and scored on yor test (PER/ORG/LOC/DATE). Prints one line per run, then mean +- std per
precision and the mean wall time per run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--train-sentences", type=int, default=2000)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    import torch

    from augment.core import read_corpus, write_corpus
    from augment.core.training.precision import cpu_bf16_supported
    from ner.cli import ner
    from ner.evaluate import evaluate_model
    from ner.tiny_encoder import build_tiny_bert

    torch.set_num_threads(args.threads)
    print(f"CPU native bf16: {cpu_bf16_supported()}")
    results: dict[str, list[float]] = {"fp32": [], "bf16": []}
    seconds: dict[str, list[float]] = {"fp32": [], "bf16": []}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        texts = []
        for path in ("conll2003_en/eng.train", "masakhaner1/yor/train.txt"):
            texts += [" ".join(s.tokens) for s in read_corpus(DATA / path, repair=True)[:3000]]
        bert = build_tiny_bert(texts, root / "bert", vocab_size=3000, seed=0)
        yor = DATA / "masakhaner1" / "yor"
        write_corpus(read_corpus(yor / "train.txt", repair=True, to_scheme="iob2")[:args.train_sentences],
                     root / "train.jsonl")
        test = read_corpus(yor / "test.txt", repair=True, to_scheme="iob2")
        for seed in args.seeds:
            for precision in ("fp32", "bf16"):
                out = root / f"{precision}-{seed}"
                start = time.perf_counter()
                ner.main(["train", "--train", str(root / "train.jsonl"), "--model", str(bert), "--out", str(out),
                          "--epochs", str(args.epochs), "--lr", "2e-3", "--batch-size", "16", "--max-length", "64",
                          "--lambda-label", "0", "--lambda-translation", "0", "--warmup", "0.1",
                          "--seed", str(seed), *(["--bf16"] if precision == "bf16" else [])],
                         standalone_mode=False)
                seconds[precision].append(time.perf_counter() - start)
                f1 = evaluate_model(out, test)["f1"]
                results[precision].append(f1)
                print(json.dumps({"seed": seed, "precision": precision, "test_f1": round(f1, 4),
                                  "seconds": round(seconds[precision][-1], 1)}), flush=True)
    for precision, f1s in results.items():
        sd = statistics.stdev(f1s) if len(f1s) > 1 else 0.0
        print(f"{precision}: test F1 {statistics.mean(f1s):.4f} +- {sd:.4f} over seeds {args.seeds}; "
              f"{statistics.mean(seconds[precision]):.1f} s a run")


if __name__ == "__main__":
    main()
