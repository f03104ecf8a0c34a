"""Sharding speed-up: one translate stage run unsharded vs cut into N shards, both on a local Ray.

    .venv/bin/python benchmarks/shards.py [--sentences 400] [--shards 2] [--cpus 2] [--d-model 128]

Translates a slice of CoNLL-2003 English with a tiny random Marian built here (a random model
always decodes to its length cap, so every sentence costs the same). Unsharded: one Ray task with
``--cpus`` torch threads. Sharded: ``--shards`` Ray tasks of ``cpus / shards`` threads each. Prints
both wall times (whole ``pipelines run``, Ray start included, and the stage alone), their ratio,
and checks the two outputs are byte-identical. On a shared 2-core machine expect little: the
threads of one process already use both cores; the gain is on a cluster with a GPU per shard.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

CONFIG = """\
name: shards-benchmark
inputs:
  conll: {data}/conll2003_en/eng.train
  menyo: {data}/menyo20k/train.tsv
stages:
  en: {{kind: prepare, inputs: {{corpus: conll}}, settings: {{limit: {n}, types: [PER, ORG, LOC], lang: en}}}}
  marian: {{kind: tiny-marian, inputs: {{parallel: menyo}}, settings: {{max_sentences: 2000, vocab_size: 1000, d_model: {d}, layers: 2, heads: 4, ffn_dim: {ffn}, max_length: 48}}}}
  translate: {{kind: translate, inputs: {{corpus: en, model: marian}}, cpus: {cpus}, settings: {{src: en, tgt: yo, batch_size: 16, device: cpu}}}}
  translate-sharded: {{kind: translate, inputs: {{corpus: en, model: marian}}, cpus: {shard_cpus}, settings: {{src: en, tgt: yo, batch_size: 16, device: cpu, shards: {shards}}}}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=400)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--cpus", type=int, default=2, help="Ray CPUs (and the unsharded run's threads)")
    parser.add_argument("--d-model", type=int, default=128)
    args = parser.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    from pipelines.config import load_config
    from pipelines.runner import Pipeline

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("RAY_TMPDIR", tmp)
        cfg = Path(tmp) / "bench.yaml"
        cfg.write_text(CONFIG.format(data=DATA, n=args.sentences, d=args.d_model, ffn=2 * args.d_model,
                                     cpus=args.cpus, shard_cpus=max(1, args.cpus // args.shards),
                                     shards=args.shards), encoding="utf-8")
        pipe = Pipeline(load_config(cfg), Path(tmp) / "w")
        pipe.run(only=["en", "marian"])  # build the model first, locally: not part of either timing
        walls, m = {}, {}
        for stage in ("translate", "translate-sharded"):
            t0 = time.perf_counter()
            m[stage] = pipe.run(engine="ray", only=[stage], num_cpus=args.cpus).manifests[stage]
            walls[stage] = (time.perf_counter() - t0, m[stage]["wall_s"])
        same = m["translate"]["output_hashes"] == m["translate-sharded"]["output_hashes"]
        shard_info = json.loads((Path(m["translate-sharded"]["dir"]) / "shards.json").read_text("utf-8"))
    (plain_total, plain_stage), (sharded_total, sharded_stage) = walls["translate"], walls["translate-sharded"]
    print(f"{args.sentences} sentences, tiny Marian d={args.d_model} 2+2 layers, Ray with {args.cpus} CPUs, "
          f"{os.cpu_count()} cores visible")
    print(f"unsharded (1 task x {args.cpus} threads):      run {plain_total:6.1f} s   stage {plain_stage:6.1f} s")
    print(f"sharded   ({args.shards} tasks x {max(1, args.cpus // args.shards)} threads):       run "
          f"{sharded_total:6.1f} s   stage {sharded_stage:6.1f} s   (shards: {shard_info['shard_wall_s']} s)")
    print(f"sharded/unsharded wall time: run {sharded_total / plain_total:.2f}   stage {sharded_stage / plain_stage:.2f}")
    print(f"outputs byte-identical: {same}")


if __name__ == "__main__":
    main()
