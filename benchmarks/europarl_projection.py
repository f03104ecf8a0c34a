"""Projection quality on the Europarl NER parallel set (en -> de, es, it): default vs plain baseline.

Both use the same eflomal run per pair (grow-diag-final-and); the baseline projects each English
gold span to min..max of its aligned tokens with no heuristics and no filters (the data README's
baseline). Scores are span+type exact over all 799 sentences; with filters, a dropped sentence
predicts nothing.

    .venv/bin/python benchmarks/europarl_projection.py [--seed 0] [--markdown]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "europarl_ner_parallel"


def evaluate_pair(lang: str, seed: int = 0, data: Path = DATA) -> dict:
    from align.api import align_pairs
    from augment.core import read_corpus
    from augment.project.score import compare_with_baseline

    en = read_corpus(data / "en-europarl.test.conll02", lang="en")
    tgt = read_corpus(data / f"{lang}-europarl.test.conll02", lang=lang)
    t0 = time.perf_counter()
    alignments = align_pairs([(s.tokens, t.tokens) for s, t in zip(en, tgt)], method="eflomal", seed=seed)
    align_s = time.perf_counter() - t0
    return {"lang": lang, "align_s": align_s, **compare_with_baseline(en, tgt, alignments)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--langs", default="de,es,it")
    args = ap.parse_args()
    rows = [evaluate_pair(lang, args.seed) for lang in args.langs.split(",")]
    print("| pair | baseline P / R / F1 | default P / R / F1 | default + filters P / R / F1 | kept sentences | ΔF1 |")
    print("| --- | --- | --- | --- | ---: | ---: |")
    fmt = lambda s: f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f}"  # noqa: E731
    for r in rows:
        d = r["default"]["all"]["f1"] - r["baseline"]["all"]["f1"]
        print(f"| en-{r['lang']} | {fmt(r['baseline']['all'])} | {fmt(r['default']['all'])} | "
              f"{fmt(r['filtered']['all'])} | {r['kept']}/{r['sentences']} | {d:+.3f} |")
    avg = lambda key: sum(r[key]["all"]["f1"] for r in rows) / len(rows)  # noqa: E731
    print(f"| average F1 | {avg('baseline'):.3f} | {avg('default'):.3f} | {avg('filtered'):.3f} | | "
          f"{avg('default') - avg('baseline'):+.3f} |")
    print()
    print("| pair | type | baseline F1 | default F1 | default + filters P / R / F1 |")
    print("| --- | --- | ---: | ---: | --- |")
    for r in rows:
        for t in r["default"]["by_type"]:
            print(f"| en-{r['lang']} | {t} | {r['baseline']['by_type'][t]['f1']:.3f} | "
                  f"{r['default']['by_type'][t]['f1']:.3f} | {fmt(r['filtered']['by_type'][t])} |")
    print()
    print("eflomal seconds per pair:", ", ".join(f"en-{r['lang']} {r['align_s']:.1f}" for r in rows))


if __name__ == "__main__":
    main()
