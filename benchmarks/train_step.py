"""Training throughput of ``ner train``: CE only vs CE + both contrastive losses vs a plain
``transformers`` token-classification loop, on the same tiny model and the same batches.

    .venv/bin/python benchmarks/train_step.py [--steps 30] [--rounds 5] [--threads 1] [--device cpu]

Batches are Europarl en->de translation pairs with gold tags on both sides (so the translation
loss has pairs), built once with ``length_batches``. The three loops run interleaved in rounds
(the machine is shared; interleaving spreads its noise evenly) and the median tokens/s of each is
reported with the ratios. Target: CE + contrastive step time <= 1.2x CE alone.

``--bf16`` adds the CE and CE + contrastive loops under bf16 autocast (``augment.core.training.precision``: what
``ner train --precision auto`` uses on a CPU with AVX-512 BF16 / AMX) and reports their speed-up
over fp32 in the same run; ``--size base`` uses a BERT-base-sized encoder (768 hidden, 12 layers)
instead of the tiny one (128 hidden, 2 layers).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data"


SIZES = {"tiny": {}, "base": {"hidden_size": 768, "num_layers": 12, "num_heads": 12, "intermediate_size": 3072}}


def build(tmp: Path, n_pairs: int, batch_size: int, size: str = "tiny"):
    import json

    from augment.core import read_corpus
    from ner.data import WordEncoder, length_batches
    from ner.labels import LabelMap
    from ner.model import load_tokenizer
    from ner.pairs import read_augmented
    from ner.tiny_encoder import build_tiny_bert

    texts = []
    for path in ("conll2003_en/eng.train", "masakhaner1/yor/train.txt"):
        texts += [" ".join(s.tokens) for s in read_corpus(DATA / path, repair=True)[:3000]]
    model_dir = build_tiny_bert(texts, tmp / "tiny", vocab_size=3000, seed=0, **SIZES[size])
    en = read_corpus(DATA / "europarl_ner_parallel" / "en-europarl.test.conll02")[:n_pairs]
    de = read_corpus(DATA / "europarl_ner_parallel" / "de-europarl.test.conll02")[:n_pairs]
    aug = tmp / "aug.jsonl"
    with open(aug, "w", encoding="utf-8") as fh:
        for s, t in zip(en, de, strict=True):
            fh.write(json.dumps({**t.to_dict(), "src": s.to_dict()}) + "\n")
    sentences, groups = read_augmented(aug)
    label_map = LabelMap.from_tags(s.tags for s in sentences)
    tokenizer = load_tokenizer(model_dir)
    encoder = WordEncoder(tokenizer, 64)
    examples = encoder.encode_all(sentences, label_map, groups)
    batches = length_batches(examples, batch_size, seed=0, epoch=1)
    return model_dir, label_map, examples, batches, encoder.pad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=30, help="optimizer steps per loop per round")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pairs", type=int, default=400)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--bf16", action="store_true", help="also time the loops under bf16 autocast")
    ap.add_argument("--size", choices=sorted(SIZES), default="tiny", help="encoder size")
    ap.add_argument("--only-bf16", action="store_true", help="time only ce and its bf16 twin (implies --bf16)")
    args = ap.parse_args()
    args.bf16 = args.bf16 or args.only_bf16
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)

    from transformers import AutoModelForTokenClassification

    from ner.concner import ConCNERObjective
    from ner.data import collate
    from ner.model import TokenClassifier, load_encoder
    from ner.options import TrainConfig

    d = TrainConfig()  # the declared defaults of ner train

    with tempfile.TemporaryDirectory() as tmp:
        model_dir, label_map, examples, batches, pad = build(Path(tmp), args.pairs, args.batch_size, args.size)
        batches = [collate([examples[i] for i in idx], pad).to(device) for idx in batches]
        torch.manual_seed(0)
        ours = TokenClassifier(load_encoder(model_dir), len(label_map)).to(device)
        plain = AutoModelForTokenClassification.from_pretrained(model_dir, num_labels=len(label_map)).to(device)
        loops = {
            "ce": (ours, ConCNERObjective(0.0, 0.0, d.temperature, d.o_keep)),
            "ce+contrastive": (ours, ConCNERObjective(d.lambda_label, d.lambda_translation, d.temperature, d.o_keep)),
            "ce+contr,o_keep=1": (ours, ConCNERObjective(d.lambda_label, d.lambda_translation, d.temperature,
                                                         o_keep=1.0)),
            "transformers": (plain, None),
        }
        if args.only_bf16:
            loops = {"ce": loops["ce"]}
        precision = {name: "fp32" for name in loops}
        if args.bf16:
            for name in list(loops):
                if name.startswith("ce") and "o_keep=1" not in name:
                    loops[name + " bf16"] = loops[name]
                    precision[name + " bf16"] = "bf16"
        optims = {name: torch.optim.AdamW(m.parameters(), lr=1e-4) for name, (m, _) in loops.items()}
        speeds: dict[str, list[float]] = {name: [] for name in loops}

        from augment.core.training.precision import autocast

        def run(name: str, steps: int) -> float:
            model, objective = loops[name]
            opt = optims[name]
            model.train()
            tokens, start = 0, time.perf_counter()
            for k in range(steps):
                b = batches[k % len(batches)]
                with autocast(device, precision[name]):
                    if objective is None:
                        loss = model(input_ids=b.input_ids, attention_mask=b.attention_mask, labels=b.labels).loss
                    else:
                        loss = objective(model, b)["loss"]
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                opt.zero_grad(set_to_none=True)
                tokens += b.n_tokens
            if device.type == "cuda":
                torch.cuda.synchronize()
            return tokens / (time.perf_counter() - start)

        for name in loops:  # warm-up
            run(name, 3)
        for _ in range(args.rounds):
            for name in loops:
                speeds[name].append(run(name, args.steps))

    med = {name: statistics.median(v) for name, v in speeds.items()}
    n_tok = sum(b.n_tokens for b in batches) / len(batches)
    print(f"device {device}, threads {args.threads}, {len(batches)} batches of {args.batch_size} sentences "
          f"(~{n_tok:.0f} subword tokens each), {args.rounds} rounds x {args.steps} steps, median tokens/s:")
    for name, v in med.items():
        print(f"  {name:18s} {v:10.0f} tokens/s")
    if args.bf16:
        for name in [n for n in med if n.endswith(" bf16")]:
            base = name[:-len(" bf16")]
            print(f"speed-up   {name} / {base} fp32 = {med[name] / med[base]:.3f}x  (same run, {args.size} encoder)")
    if args.only_bf16:
        return
    print(f"step time  ce+contrastive / ce           = {med['ce'] / med['ce+contrastive']:.3f}x  (target <= 1.2x)"
          "  [default --o-keep 0.2]")
    print(f"step time  ce+contrastive / ce, o_keep=1 = {med['ce'] / med['ce+contr,o_keep=1']:.3f}x  (all O tokens)")
    print(f"step time  ce / plain transformers loop  = {med['transformers'] / med['ce']:.3f}x")
    print(f"step time  ce+contrastive / transformers = {med['transformers'] / med['ce+contrastive']:.3f}x")


if __name__ == "__main__":
    main()
