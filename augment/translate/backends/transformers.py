"""The transformers backend: ``AutoModelForSeq2SeqLM.generate`` on length-sorted batches.

fp32 on CPU; bf16 (or fp16 where bf16 is unsupported) on CUDA unless ``dtype`` says otherwise.
Greedy when ``num_beams`` is 1, beam search otherwise; never sampling, so output is deterministic.
"""

from __future__ import annotations

from typing import Any

from augment.core.errors import ConfigError
from augment.core.hub import from_pretrained
from augment.translate.batching import NUM_BEAMS, max_new_tokens
from augment.translate.models import ModelSpec
from augment.translate.plan import SourceCounter


def _device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device cuda given but no CUDA device is available")
    return device


def _dtype(dtype: str, device: str):
    import torch

    if dtype == "int8":
        raise ConfigError("dtype int8 needs --backend ctranslate2")
    if dtype == "auto":
        if device == "cpu":
            return torch.float32
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device == "cpu" and dtype == "fp16":
        raise ConfigError("fp16 is for CUDA; use fp32 or bf16 on CPU")
    return {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[dtype]


class TransformersBackend(SourceCounter):
    name = "transformers"

    def __init__(self, spec: ModelSpec, tokenizer, *, device: str = "auto", dtype: str = "auto",
                 cache_dir: str | None = None):
        import torch
        from transformers import AutoModelForSeq2SeqLM

        SourceCounter.__init__(self, spec, tokenizer)
        self.device = _device(device)
        self.dtype = _dtype(dtype, self.device)
        self.model = from_pretrained(AutoModelForSeq2SeqLM, spec.model, "model", dtype=self.dtype)
        self.model.to(self.device).eval()
        # the decoder cannot go past its positions (the start token takes one)
        limits = [getattr(self.model.generation_config, "max_length", None),
                  spec.max_positions - 1 if spec.max_positions else None]
        self.limit = min((x for x in limits if x), default=None)
        self.forced_bos = None
        if spec.forced_bos:
            self.forced_bos = tokenizer.convert_tokens_to_ids(spec.forced_bos)
        self._torch = torch

    def translate(self, texts: list[str], *, num_beams: int = NUM_BEAMS) -> list[str]:
        if not texts:
            return []
        # what the stage could not split is cut at the model's limit here, never past its positions
        enc = self.tok([self.spec.prefix + t for t in texts], return_tensors="pt", padding=True,
                       truncation=self.max_source_tokens is not None, max_length=self.max_source_tokens,
                       ).to(self.device)
        extra: dict[str, Any] = {}
        if self.forced_bos is not None:
            extra["forced_bos_token_id"] = self.forced_bos
        with self._torch.inference_mode():
            out = self.model.generate(
                **enc, num_beams=num_beams, do_sample=False,
                max_new_tokens=max_new_tokens(enc["input_ids"].shape[1], self.limit), **extra)
        rows = out.tolist()
        if self.forced_bos is not None:
            # transformers 5 does not count M2M100's __xx__ codes as special tokens: drop them here
            rows = [[t for t in row if t != self.forced_bos] for row in rows]
        return self.tok.batch_decode(rows, skip_special_tokens=True, clean_up_tokenization_spaces=False)

    def info(self) -> dict[str, Any]:
        return {**self.spec.info(), "backend": self.name, "device": self.device,
                "dtype": str(self.dtype).replace("torch.", "")}


BACKEND = TransformersBackend
