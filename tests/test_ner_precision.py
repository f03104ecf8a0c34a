"""augment.core.training.precision: bf16 autocast on CPUs with native bf16, used by the NER trainer and prediction."""

from __future__ import annotations

import torch

from augment.core.training import LoopSettings, Trainer
from augment.core.training.precision import autocast, cpu_bf16_supported, resolve_precision


def _matmul_dtype(context) -> torch.dtype:
    a, b = torch.randn(4, 8), torch.randn(8, 4)
    with context:
        return (a @ b).dtype


def test_precision_resolution_on_cpu():
    native = cpu_bf16_supported()
    assert resolve_precision("auto", "cpu") == ("bf16" if native else "fp32")
    assert resolve_precision("bf16", "cpu") == "bf16"
    assert resolve_precision("fp16", "cpu") == "fp32"  # fp16 autocast is for CUDA
    assert resolve_precision("fp32", "cpu") == "fp32"
    # this machine (and the CI one) has AVX-512 BF16; an older CPU would resolve auto to fp32
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        flags = fh.read()
    assert native == ("avx512_bf16" in flags or "amx_bf16" in flags)


def test_precision_autocast_and_trainer_use_bf16_on_cpu():
    assert _matmul_dtype(autocast("cpu", "bf16")) == torch.bfloat16
    assert _matmul_dtype(autocast("cpu", "fp32")) == torch.float32
    assert _matmul_dtype(autocast("cpu", "auto")) == (torch.bfloat16 if cpu_bf16_supported() else torch.float32)
    trainer = Trainer(model=None, objective=None, optimizer=None, scheduler=None, plan=None,  # type: ignore[arg-type]
                      settings=LoopSettings(epochs=1, seed=0, precision="bf16"),
                      device=torch.device("cpu"))
    assert _matmul_dtype(trainer._autocast()) == torch.bfloat16


def test_precision_bf16_prediction_agrees_with_fp32(ner_teacher, data_dir, ner_threads):
    """Tags predicted under bf16 autocast are nearly all those of fp32 (real yor test lines)."""
    from augment.core import read_corpus
    from ner.predict import predict

    sentences = read_corpus(data_dir / "masakhaner1" / "yor" / "test.txt", repair=True, to_scheme="iob2")[:100]
    fp32 = predict(ner_teacher, sentences, precision="fp32")
    bf16 = predict(ner_teacher, sentences, precision="bf16")
    tags32 = [t for s in fp32 for t in s.tags]
    tags16 = [t for s in bf16 for t in s.tags]
    assert sum(a == b for a, b in zip(tags32, tags16)) / len(tags32) >= 0.98
