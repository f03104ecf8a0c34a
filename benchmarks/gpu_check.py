"""GPU check: the speed-ups this toolkit counts on, measured as ratios in one run on one machine.

On random-init models of the real sizes (nothing downloaded, no data needed):

1. training step, bf16 autocast vs fp32: an mBERT-sized encoder (hidden 768, 12 layers, vocab
   119,547) with the toolkit's token-classification head, AdamW, batch 32 x 128 tokens;
2. translation, CTranslate2 (float16, int8_float16) vs transformers (float16): an NLLB-600M-sized
   M2M100 (d 1024, 12+12 layers, vocab 256,206) and an OPUS-MT-sized Marian (d 512, 6+6 layers,
   vocab 58,101), the same random source ids on both, every sentence decoded to the same length
   (a random model never stops by itself), greedy;
3. batched SimAlign (the toolkit's aligner, layer 8 of the mBERT-sized encoder) on GPU vs CPU;
4. peak GPU memory of each part (torch's allocator; CTranslate2's own memory as the change in
   the device's used memory).

It prints a table and writes JSON. On CPU (``--device cpu``) the fp16 rows become float32 and
int8 (CTranslate2's CPU types) and bf16 uses CPU autocast; with ``--small`` all sizes are tiny, so
a test runs it in seconds:

    python benchmarks/gpu_check.py --out gpu_check.json              # on a CUDA machine, a few minutes
    python benchmarks/gpu_check.py --device cpu --small --out /tmp/g.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

#: Model and workload sizes: the real ones, and tiny ones for ``--small`` (the test).
SIZES = {
    "full": {
        "encoder": {"hidden": 768, "layers": 12, "heads": 12, "ffn": 3072, "vocab": 119547},
        "train": {"batch": 32, "length": 128, "steps": 10, "warmup": 3},
        "nllb": {"d": 1024, "layers": 12, "heads": 16, "ffn": 4096, "vocab": 256206},
        "marian": {"d": 512, "layers": 6, "heads": 8, "ffn": 2048, "vocab": 58101},
        "mt": {"batch": 64, "src_len": 32, "new_tokens": 32, "repeats": 3},
        "simalign": {"layer": 8, "pairs_gpu": 1024, "pairs_cpu": 64, "words": 20},
    },
    "small": {
        "encoder": {"hidden": 32, "layers": 2, "heads": 2, "ffn": 64, "vocab": 1000},
        "train": {"batch": 4, "length": 16, "steps": 2, "warmup": 1},
        "nllb": {"d": 32, "layers": 1, "heads": 2, "ffn": 64, "vocab": 1200},
        "marian": {"d": 32, "layers": 1, "heads": 2, "ffn": 64, "vocab": 800},
        "mt": {"batch": 4, "src_len": 8, "new_tokens": 8, "repeats": 1},
        "simalign": {"layer": 2, "pairs_gpu": 16, "pairs_cpu": 16, "words": 8},
    },
}
SOURCE_VOCAB = 4000  # the source ids drawn for translation (the target side uses the whole vocabulary)


class Memory:
    """Peak torch allocation and device-used memory of one part (CUDA only; None on CPU)."""

    def __init__(self, cuda: bool):
        self.cuda = cuda

    def __enter__(self) -> Memory:
        import torch

        self.peak_mib = self.device_used_mib = None
        if self.cuda:
            torch.cuda.synchronize()
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
            free, total = torch.cuda.mem_get_info()
            self._used0 = total - free
        return self

    def __exit__(self, *exc) -> None:
        import torch

        if self.cuda:
            torch.cuda.synchronize()
            self.peak_mib = round(torch.cuda.max_memory_allocated() / 2**20, 1)
            free, total = torch.cuda.mem_get_info()
            self.device_used_mib = round((total - free - self._used0) / 2**20, 1)


def _sync(device: str) -> None:
    import torch

    if device == "cuda":
        torch.cuda.synchronize()


def _timed(fn, repeats: int):
    """Mean seconds of ``fn()`` over ``repeats`` calls after one warm-up call, and its last result."""
    fn()
    t0 = time.perf_counter()
    for _ in range(repeats):
        result = fn()
    return (time.perf_counter() - t0) / repeats, result


def _words(n: int) -> list[str]:
    """``n`` distinct pronounceable words (syllable strings): a vocabulary with no data."""
    syll = [c + v for c in "bdfgklmnprstwy" for v in "aeiou"]
    out, i = [], 0
    while len(out) < n:
        k, w = i, ""
        while True:
            w += syll[k % len(syll)]
            k //= len(syll)
            if k == 0:
                break
        out.append(w)
        i += 1
    return out


# ----------------------------------------------------------------------------- models

def build_bert(out: Path, size: dict) -> Path:
    """A random BERT (mBERT's sizes in full mode) with a WordPiece vocabulary of whole words."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = specials + _words(size["vocab"] - len(specials))
    out.mkdir(parents=True, exist_ok=True)
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizer.from_pretrained(out, do_lower_case=False).save_pretrained(out)
    config = BertConfig(vocab_size=len(vocab), hidden_size=size["hidden"], num_hidden_layers=size["layers"],
                        num_attention_heads=size["heads"], intermediate_size=size["ffn"], pad_token_id=0)
    torch.manual_seed(0)
    BertModel(config).save_pretrained(out, safe_serialization=True)
    return out


def _seq2seq_sizes(size: dict) -> dict:
    return {"d_model": size["d"], "encoder_layers": size["layers"], "decoder_layers": size["layers"],
            "encoder_attention_heads": size["heads"], "decoder_attention_heads": size["heads"],
            "encoder_ffn_dim": size["ffn"], "decoder_ffn_dim": size["ffn"], "max_position_embeddings": 1024}


def _save_seq2seq(model_class, config, out: Path, device: str) -> None:
    import torch

    torch.manual_seed(0)
    with torch.device(device):  # initialising 600M parameters is much faster on the GPU
        model = model_class(config)
    model.to("cpu").save_pretrained(out, safe_serialization=True)
    del model


def build_nllb(out: Path, size: dict, device: str) -> Path:
    """A random M2M100 with NLLB-200's sizes; its tokenizer knows the first SOURCE_VOCAB pieces,
    the rest of the vocabulary exists only in the model (CTranslate2 names it madeupwordN)."""
    from tokenizers import Tokenizer, models
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    out.mkdir(parents=True, exist_ok=True)
    n_pieces = min(SOURCE_VOCAB, size["vocab"] // 2)  # never all: the madeupword path always runs
    pieces = ["<s>", "<pad>", "</s>", "<unk>"] + ["\u2581" + w for w in _words(n_pieces - 4)]
    vocab = {p: i for i, p in enumerate(pieces)}
    Tokenizer(models.BPE(vocab=vocab, merges=[], unk_token="<unk>"))  # validates the vocabulary
    tok = NllbTokenizer(vocab=vocab, merges=[], src_lang=None, extra_special_tokens=[])
    tok.save_pretrained(out)
    config = M2M100Config(vocab_size=size["vocab"], **_seq2seq_sizes(size), pad_token_id=1, bos_token_id=0,
                          eos_token_id=2, decoder_start_token_id=2, scale_embedding=True)
    _save_seq2seq(M2M100ForConditionalGeneration, config, out, device)
    return out


def build_marian(out: Path, size: dict, device: str) -> Path:
    """A random Marian with OPUS-MT's sizes: ``vocab.json`` of the full size, a small sentencepiece
    model (the tokenizer needs one; the check feeds ids, not text)."""
    import sentencepiece as spm
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    words = _words(size["vocab"] - 3)
    lines = [" ".join(words[i:i + 12]) for i in range(0, 3000, 12)]
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_prefix=str(out / "spm"), vocab_size=200,
                                   model_type="bpe", unk_id=1, eos_id=0, bos_id=-1, pad_id=-1, minloglevel=2,
                                   num_threads=1, hard_vocab_limit=False)
    for name in ("source.spm", "target.spm"):
        (out / name).write_bytes((out / "spm.model").read_bytes())
    vocab = {"</s>": 0, "<unk>": 1, **{"\u2581" + w: i + 2 for i, w in enumerate(words)}}
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Recommended: pip install sacremoses" (not needed)
        MarianTokenizer(source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"),
                        vocab=str(out / "vocab.json")).save_pretrained(out)
    pad = len(vocab) - 1
    config = MarianConfig(vocab_size=len(vocab), **_seq2seq_sizes(size), pad_token_id=pad,
                          decoder_start_token_id=pad, eos_token_id=0, forced_eos_token_id=None,
                          share_encoder_decoder_embeddings=True)
    _save_seq2seq(MarianMTModel, config, out, device)
    return out


# ----------------------------------------------------------------------------- checks

def check_training(bert: Path, sizes: dict, device: str) -> dict:
    """Median seconds per training step, fp32 and bf16 autocast (same model, same batches)."""
    import torch
    from transformers import AutoModel

    from ner.model import TokenClassifier

    cfg = sizes["train"]
    gen = torch.Generator().manual_seed(0)
    vocab = sizes["encoder"]["vocab"]
    ids = torch.randint(5, vocab, (cfg["batch"], cfg["length"]), generator=gen).to(device)
    mask = torch.ones_like(ids)
    labels = torch.randint(0, 9, (cfg["batch"], cfg["length"]), generator=gen).to(device)
    result: dict = {}
    for dtype in ("fp32", "bf16"):
        torch.manual_seed(0)
        model = TokenClassifier(AutoModel.from_pretrained(bert), n_labels=9).to(device).train()
        opt = torch.optim.AdamW(model.parameters(), lr=1e-5)
        times = []
        with Memory(device == "cuda") as mem:
            for step in range(cfg["warmup"] + cfg["steps"]):
                _sync(device)
                t0 = time.perf_counter()
                with torch.autocast(device, dtype=torch.bfloat16, enabled=dtype == "bf16"):
                    _, logits = model(ids, mask)
                    loss = torch.nn.functional.cross_entropy(logits.float().flatten(0, 1), labels.flatten())
                loss.backward()
                opt.step()
                opt.zero_grad(set_to_none=True)
                _sync(device)
                if step >= cfg["warmup"]:
                    times.append(time.perf_counter() - t0)
        step_s = statistics.median(times)
        result[dtype] = {"step_s": round(step_s, 5), "tokens_per_s": round(ids.numel() / step_s, 1),
                         "peak_mib": mem.peak_mib}
        del model, opt
    result["bf16_speedup"] = round(result["fp32"]["step_s"] / result["bf16"]["step_s"], 3)
    return result


def check_translation(model_dir: Path, sizes: dict, device: str, ct2_cache: Path) -> dict:
    """Generated tokens per second: transformers (fp16 on CUDA, fp32 on CPU) vs CTranslate2."""
    import ctranslate2
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from augment.translate.backends.ctranslate2 import converted_model

    cfg = sizes["mt"]
    tok = AutoTokenizer.from_pretrained(model_dir)
    eos = tok.eos_token_id
    low, high = 4 if eos == 2 else 2, min(SOURCE_VOCAB, len(tok)) - 2
    gen = torch.Generator().manual_seed(1)
    ids = torch.randint(low, high, (cfg["batch"], cfg["src_len"]), generator=gen)
    ids = torch.cat([ids, torch.full((cfg["batch"], 1), eos)], 1)
    tokens = [tok.convert_ids_to_tokens(row) for row in ids.tolist()]
    n_new, reps = cfg["new_tokens"], cfg["repeats"]
    work = cfg["batch"] * n_new
    result: dict = {}

    hf_dtype = "fp16" if device == "cuda" else "fp32"
    model = AutoModelForSeq2SeqLM.from_pretrained(
        model_dir, dtype=torch.float16 if device == "cuda" else torch.float32).to(device).eval()
    inputs = {"input_ids": ids.to(device), "attention_mask": torch.ones_like(ids).to(device)}

    def hf_run(model=model):
        with torch.inference_mode():
            out = model.generate(**inputs, num_beams=1, do_sample=False, min_new_tokens=n_new, max_new_tokens=n_new)
        _sync(device)
        return out

    with Memory(device == "cuda") as mem:
        seconds, out = _timed(hf_run, reps)
    assert out.shape[1] >= n_new, out.shape
    result[f"transformers_{hf_dtype}"] = {"s": round(seconds, 4), "tokens_per_s": round(work / seconds, 1),
                                         "peak_mib": mem.peak_mib}
    base = work / seconds
    del model, hf_run, out
    if device == "cuda":
        torch.cuda.empty_cache()

    t0 = time.perf_counter()
    path = converted_model(str(model_dir), ct2_cache)
    result["ct2_convert_s"] = round(time.perf_counter() - t0, 2)
    for compute in (("float16", "int8_float16") if device == "cuda" else ("float32", "int8")):
        with Memory(device == "cuda") as mem:
            translator = ctranslate2.Translator(str(path), device=device, compute_type=compute,
                                                intra_threads=torch.get_num_threads() if device == "cpu" else 0)
            seconds, res = _timed(lambda t=translator: t.translate_batch(
                tokens, beam_size=1, min_decoding_length=n_new, max_decoding_length=n_new,
                max_batch_size=cfg["batch"]), reps)
        del translator  # after the memory reading, which it is part of
        assert len(res[0].hypotheses[0]) >= n_new - 1
        result[f"ctranslate2_{compute}"] = {"s": round(seconds, 4), "tokens_per_s": round(work / seconds, 1),
                                           "device_used_mib": mem.device_used_mib,
                                           "speedup_vs_transformers": round(work / seconds / base, 3)}
    return result


def check_simalign(bert: Path, sizes: dict, device: str) -> dict:
    """Pairs per second of batched SimAlign (itermax) on ``device`` vs on the CPU."""
    import random

    from align.aligners.simalign import SimAligner

    cfg = sizes["simalign"]
    words = _words(min(sizes["encoder"]["vocab"] - 5, 5000))
    rng = random.Random(2)
    n = max(cfg["pairs_gpu"], cfg["pairs_cpu"])
    pairs = [([rng.choice(words) for _ in range(cfg["words"])],
              [rng.choice(words) for _ in range(cfg["words"] + rng.randint(-3, 3))]) for _ in range(n)]
    result: dict = {}
    for where, count in (("cpu", cfg["pairs_cpu"]), (device, cfg["pairs_gpu"])):
        if where in result:
            continue
        aligner = SimAligner(model=str(bert), matching="itermax", layer=cfg["layer"], batch_size=64, device=where)
        aligner.align(pairs[:4])  # load the model, warm up
        with Memory(where == "cuda") as mem:
            t0 = time.perf_counter()
            links = aligner.align(pairs[:count])
            _sync(where)
            seconds = time.perf_counter() - t0
        assert len(links) == count
        result[where] = {"pairs": count, "s": round(seconds, 3), "pairs_per_s": round(count / seconds, 1),
                         "peak_mib": mem.peak_mib}
        del aligner
    if device != "cpu":
        result["gpu_speedup"] = round(result[device]["pairs_per_s"] / result["cpu"]["pairs_per_s"], 2)
    return result


# ----------------------------------------------------------------------------- report

def environment(device: str) -> dict:
    import ctranslate2
    import torch
    import transformers

    env = {"device": device, "python": platform.python_version(), "torch": torch.__version__,
           "transformers": transformers.__version__, "ctranslate2": ctranslate2.__version__,
           "cpu_threads": torch.get_num_threads()}
    if device == "cuda":
        env["gpu"] = torch.cuda.get_device_name(0)
        env["gpu_memory_mib"] = round(torch.cuda.get_device_properties(0).total_memory / 2**20)
    return env


def table(report: dict) -> str:
    """The ratios (and the figures they come from) as a Markdown table."""
    rows = [("what", "figure", "ratio")]
    sized = "tiny" if report["small"] else "mBERT-sized"
    tr = report.get("training")
    if tr:
        rows.append((f"training step, {sized}, fp32 -> bf16",
                     f"{tr['fp32']['step_s']:.4f} s -> {tr['bf16']['step_s']:.4f} s", f"{tr['bf16_speedup']:.2f}x"))
    for name in ("nllb", "marian"):
        mt = report.get(f"translate_{name}")
        if not mt:
            continue
        hf = next(k for k in mt if k.startswith("transformers_"))
        for key, val in mt.items():
            if key.startswith("ctranslate2_"):
                rows.append((f"{name} translate, {hf.replace('_', ' ')} -> {key.replace('_', ' ', 1)}",
                             f"{mt[hf]['tokens_per_s']:.0f} -> {val['tokens_per_s']:.0f} tok/s",
                             f"{val['speedup_vs_transformers']:.2f}x"))
    sa = report.get("simalign")
    if sa and "gpu_speedup" in sa:
        dev = report["environment"]["device"]
        rows.append((f"SimAlign itermax, {sized}, CPU -> GPU",
                     f"{sa['cpu']['pairs_per_s']:.1f} -> {sa[dev]['pairs_per_s']:.1f} pairs/s", f"{sa['gpu_speedup']:.1f}x"))
    elif sa:
        rows.append((f"SimAlign itermax, {sized}, CPU only", f"{sa['cpu']['pairs_per_s']:.1f} pairs/s", ""))
    peak = report.get("peak_gpu_mib")
    if peak is not None:
        rows.append(("peak GPU memory (torch, any part)", f"{peak:.0f} MiB", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def run(device: str, small: bool, workdir: Path, parts: list[str]) -> dict:
    """Build the models under ``workdir`` and run the chosen ``parts``; the report as a dict."""
    sizes = SIZES["small" if small else "full"]
    report: dict = {"environment": environment(device), "sizes": sizes, "small": small}
    started = time.perf_counter()

    def note(what: str) -> None:  # progress on stderr: a long or killed run shows where it was
        print(f"[gpu_check {time.perf_counter() - started:6.0f} s] {what}", file=sys.stderr, flush=True)

    bert = None
    if {"training", "simalign"} & set(parts):
        note("building the encoder")
        bert = build_bert(workdir / "bert", sizes["encoder"])
    if "training" in parts:
        note("training steps, fp32 then bf16")
        report["training"] = check_training(bert, sizes, device)
    for name, builder in (("nllb", build_nllb), ("marian", build_marian)):
        if name in parts:
            note(f"building the {name} model")
            t0 = time.perf_counter()
            path = builder(workdir / name, sizes[name], device)
            build_s = round(time.perf_counter() - t0, 1)
            note(f"{name}: transformers, converting, CTranslate2")
            report[f"translate_{name}"] = {"build_s": build_s,
                                          **check_translation(path, sizes, device, workdir / "ct2")}
    if "simalign" in parts:
        note("SimAlign")
        report["simalign"] = check_simalign(bert, sizes, device)
    # each part resets torch's peak counter: the run's peak is the largest part's
    peaks = [v.get("peak_mib") for part in report.values() if isinstance(part, dict)
             for v in part.values() if isinstance(v, dict)]
    report["peak_gpu_mib"] = max([p for p in peaks if p is not None], default=None)
    report["total_s"] = round(time.perf_counter() - started, 1)
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", choices=["auto", "cuda", "cpu"], default="auto")
    ap.add_argument("--small", action="store_true", help="tiny sizes (seconds on a CPU; for the test)")
    ap.add_argument("--out", default="gpu_check.json", help="JSON report (written atomically)")
    ap.add_argument("--parts", nargs="+", default=["training", "nllb", "marian", "simalign"],
                    choices=["training", "nllb", "marian", "simalign"])
    ap.add_argument("--workdir", default=None, help="where the random models are built (default: a temp dir)")
    args = ap.parse_args(argv)

    os.environ.setdefault("XNER_NO_PROGRESS", "1")
    import torch

    from augment.core.hub import quiet_transformers

    quiet_transformers()
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
    device = args.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        print("error: --device cuda: torch sees no CUDA device", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        report = run(device, args.small, Path(tmp), args.parts)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = out.with_name(out.name + ".tmp")
    tmp_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    tmp_out.replace(out)
    print(table(report))
    print(f"\n{report['total_s']:.0f} s in all; JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
