"""benchmarks/gpu_check.py on the CPU with tiny sizes: every part runs and the report holds."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _module():
    spec = importlib.util.spec_from_file_location("gpu_check", REPO / "benchmarks" / "gpu_check.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_gpu_check_runs_small_on_cpu_and_writes_ratios(tmp_path, capsys):
    import torch

    mod = _module()
    out = tmp_path / "report" / "gpu.json"
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        assert mod.main(["--device", "cpu", "--small", "--out", str(out), "--workdir", str(tmp_path)]) == 0
    finally:
        torch.set_num_threads(before)
    report = json.loads(out.read_text())
    assert report["environment"]["device"] == "cpu" and report["small"] is True
    assert report["training"]["bf16_speedup"] > 0
    assert report["training"]["fp32"]["step_s"] > 0 and report["training"]["bf16"]["step_s"] > 0
    for name in ("nllb", "marian"):
        mt = report[f"translate_{name}"]
        assert mt["transformers_fp32"]["tokens_per_s"] > 0
        assert {"ctranslate2_float32", "ctranslate2_int8"} <= set(mt)
        assert all(mt[k]["speedup_vs_transformers"] > 0 for k in ("ctranslate2_float32", "ctranslate2_int8"))
    assert report["simalign"]["cpu"]["pairs"] == mod.SIZES["small"]["simalign"]["pairs_cpu"]
    assert report["peak_gpu_mib"] is None  # no GPU here
    printed = capsys.readouterr().out
    assert "| training step, tiny, fp32 -> bf16" in printed and "ctranslate2 int8" in printed
    assert list(tmp_path.iterdir()) == [out.parent]  # the models were built in a temp dir, then removed


def test_gpu_check_full_sizes_are_the_real_ones():
    sizes = _module().SIZES["full"]
    assert sizes["encoder"] == {"hidden": 768, "layers": 12, "heads": 12, "ffn": 3072, "vocab": 119547}
    assert (sizes["nllb"]["d"], sizes["nllb"]["layers"], sizes["nllb"]["vocab"]) == (1024, 12, 256206)
    assert (sizes["marian"]["d"], sizes["marian"]["layers"]) == (512, 6)
