"""The NER model: any ``AutoModel`` encoder + a linear token-classification head.

A model directory is a normal encoder directory (``config.json``, ``model.safetensors``,
tokenizer files, so ``AutoModel.from_pretrained(dir)`` loads the encoder, e.g. to start a
student) plus ``ner_head.safetensors`` (classifier and projection head), ``ner_head.json`` (head
sizes) and ``labels.json`` (the label map). No pickles: weights are safetensors only.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import torch
from torch import nn

from augment.core.errors import ConfigError, ModelError
from augment.core.hub import from_pretrained, load_error, load_errors, quietly
from ner.labels import LabelMap

HEAD_WEIGHTS = "ner_head.safetensors"
HEAD_CONFIG = "ner_head.json"


class TokenClassifier(nn.Module):
    """Encoder -> dropout -> linear classifier; ``projection`` maps token vectors for the
    label-contrastive loss (a 2-layer MLP as in SupCon, or identity when ``projection_dim`` is 0)."""

    def __init__(self, encoder: nn.Module, n_labels: int, projection_dim: int = 128, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        self.n_labels = n_labels
        self.projection_dim = projection_dim
        self.dropout_p = dropout
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(hidden, n_labels)
        self.projection = (
            nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, projection_dim))
            if projection_dim else nn.Identity()
        )

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``(hidden [B, T, H], logits [B, T, C])``."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return hidden, self.classifier(self.dropout(hidden))

    def head_config(self) -> dict:
        return {"n_labels": self.n_labels, "projection_dim": self.projection_dim, "dropout": self.dropout_p}

    def head_state(self) -> dict[str, torch.Tensor]:
        return {k: v.detach().contiguous().cpu() for k, v in self.state_dict().items() if not k.startswith("encoder.")}


def _from_pretrained(auto_class, what: str, name_or_path: str | os.PathLike):
    """``auto_class.from_pretrained`` by hub name or path, no remote code; a missing path or a
    failed load becomes one :class:`ModelError` line naming ``what``."""
    return from_pretrained(auto_class, name_or_path, what)


#: Model types transformers lists for causal LM and not masked LM that are encoders nonetheless.
_ENCODERS_WITH_CAUSAL_HEADS = {"bert-generation"}
_SUPPORTED = "an encoder such as BERT, RoBERTa, XLM-R, DeBERTa or ELECTRA"


def check_encoder_config(config, name_or_path: str | os.PathLike) -> None:
    """A :class:`ModelError` (one line, saying why) unless ``config`` is an encoder ``AutoModel`` loads.

    Token classification reads one vector per subword that has seen the whole sentence: an
    encoder-decoder (T5, BART, Marian) or a decoder-only model (GPT-2, Llama) is not that."""
    from transformers.models.auto.modeling_auto import (
        MODEL_FOR_CAUSAL_LM_MAPPING_NAMES,
        MODEL_FOR_MASKED_LM_MAPPING_NAMES,
        MODEL_MAPPING_NAMES,
    )

    kind = getattr(config, "model_type", "") or "unknown"
    where = f"'{name_or_path}' ({kind})"
    if getattr(config, "is_encoder_decoder", False):
        raise ModelError(f"{where} is an encoder-decoder model; ner needs {_SUPPORTED}")
    decoder_only = kind in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES and kind not in MODEL_FOR_MASKED_LM_MAPPING_NAMES \
        and kind not in _ENCODERS_WITH_CAUSAL_HEADS
    if getattr(config, "is_decoder", False) or decoder_only:
        raise ModelError(f"{where} is a decoder-only model (it sees only the words to the left); "
                         f"ner needs {_SUPPORTED}")
    if kind not in MODEL_MAPPING_NAMES:
        raise ModelError(f"{where} is not a model type transformers' AutoModel loads; ner needs {_SUPPORTED}")
    if not hasattr(config, "hidden_size"):
        raise ModelError(f"{where} has no hidden_size in its config; ner needs {_SUPPORTED}")


def load_encoder(name_or_path: str | os.PathLike):
    """``AutoModel`` by hub name or path, checked to be a usable encoder; a failure or an
    unusable model (:func:`check_encoder_config`) becomes one :class:`ModelError` line."""
    from transformers import AutoConfig, AutoModel

    check_encoder_config(_from_pretrained(AutoConfig, "encoder", name_or_path), name_or_path)
    return _from_pretrained(AutoModel, "encoder", name_or_path)


def load_tokenizer(name_or_path: str | os.PathLike):
    """``AutoTokenizer`` by hub name or path; a failure, or a tokenizer without a fast
    (``tokenizers``) implementation, becomes one :class:`ModelError` line."""
    from transformers import AutoConfig, AutoTokenizer

    # the model's kind first: a decoder-only model's tokenizer is fine, the model is not
    check_encoder_config(_from_pretrained(AutoConfig, "encoder", name_or_path), name_or_path)
    tok = _from_pretrained(AutoTokenizer, "tokenizer", name_or_path)
    if not getattr(tok, "is_fast", False):
        raise ModelError(f"'{name_or_path}' has no fast tokenizer ({type(tok).__name__} is a Python one; "
                         "ner needs a tokenizers-backed one, i.e. a tokenizer.json): convert it, or pick a "
                         "model that ships one")
    return tok


@quietly  # no "Writing model shards" bar in a log at every epoch
def save_model(model: TokenClassifier, tokenizer, label_map: LabelMap, directory: str | os.PathLike) -> Path:
    """Write the model directory: files are written to a temporary folder inside it, then renamed
    into place as one set by the state layer (a kill never leaves weights of two epochs mixed)."""
    from safetensors.torch import save_file

    from augment.core.state import CommitSet, ensure_dir

    out = ensure_dir(directory)
    tmp = Path(tempfile.mkdtemp(prefix=".model.", dir=out))
    commit = CommitSet(out / HEAD_WEIGHTS)
    commit.cleanup.append(tmp)  # removed once committed or aborted
    with commit:
        model.encoder.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        save_file(model.head_state(), str(tmp / HEAD_WEIGHTS))
        (tmp / HEAD_CONFIG).write_text(json.dumps(model.head_config(), indent=1) + "\n", encoding="utf-8")
        label_map.save(tmp)
        for f in sorted(tmp.iterdir()):
            commit.add(f, out / f.name)
    return out


def load_model(directory: str | os.PathLike, device: str | torch.device = "cpu") -> tuple[TokenClassifier, object, LabelMap]:
    """``(model in eval mode, tokenizer, label map)`` from a directory written by :func:`save_model`."""
    from safetensors.torch import load_file

    path = Path(directory)
    if not path.is_dir():
        raise ModelError("no such model directory", path=directory)
    label_map = LabelMap.load(path)
    if not (path / HEAD_WEIGHTS).is_file() or not (path / HEAD_CONFIG).is_file():
        raise ModelError(f"not an NER model directory (no {HEAD_WEIGHTS})", path=directory)
    head = json.loads((path / HEAD_CONFIG).read_text("utf-8"))
    if head.get("n_labels") != len(label_map):
        raise ModelError(f"{HEAD_CONFIG} has {head.get('n_labels')} labels but labels.json {len(label_map)}", path=path)
    model = TokenClassifier(load_encoder(path), len(label_map), head.get("projection_dim", 0), head.get("dropout", 0.1))
    try:
        head_weights = load_file(str(path / HEAD_WEIGHTS))
    except load_errors() as err:
        raise load_error("NER head", path / HEAD_WEIGHTS, err) from None
    missing, unexpected = model.load_state_dict(head_weights, strict=False)
    if unexpected or any(not k.startswith("encoder.") for k in missing):
        raise ModelError(f"head weights do not match the model (missing {missing[:3]}, unexpected {unexpected[:3]})", path=path)
    model.to(device).eval()
    return model, load_tokenizer(path), label_map


def freeze_bottom(encoder: nn.Module, layers: int, embeddings: bool = True) -> int:
    """Freeze the embeddings and the bottom ``layers`` transformer layers; returns how many were frozen.

    Works for BERT/RoBERTa/XLM-R style encoders (``embeddings`` + ``encoder.layer``) and those
    with a ``layers`` list."""
    if layers <= 0 and not embeddings:
        return 0
    if embeddings:
        emb = getattr(encoder, "embeddings", None) or getattr(encoder, "embed_tokens", None)
        if emb is None:
            raise ConfigError(f"cannot find the embeddings of a {type(encoder).__name__} to freeze")
        for p in emb.parameters():
            p.requires_grad_(False)
    if layers <= 0:
        return 0
    stack = None
    inner = getattr(encoder, "encoder", None)
    for owner in (inner, encoder):
        for name in ("layer", "layers"):
            if owner is not None and isinstance(getattr(owner, name, None), nn.ModuleList):
                stack = getattr(owner, name)
                break
        if stack is not None:
            break
    if stack is None:
        raise ConfigError(f"cannot find the layers of a {type(encoder).__name__} to freeze")
    if layers > len(stack):
        raise ConfigError(f"--freeze-layers {layers} but the encoder has only {len(stack)} layers")
    for layer in stack[:layers]:
        for p in layer.parameters():
            p.requires_grad_(False)
    return layers


def usable_length(encoder: nn.Module, wanted: int) -> int:
    """``wanted`` subwords per sentence, no more than the encoder's positions allow (RoBERTa-type
    models reserve two for the padding offset): a longer input would crash the position lookup."""
    config = encoder.config
    limit = getattr(config, "max_position_embeddings", None)
    if not isinstance(limit, int) or limit <= 0:
        return wanted
    if getattr(config, "model_type", "") in ("roberta", "xlm-roberta", "camembert"):
        limit -= 2
    return min(wanted, limit)


def resolve_device(name: str = "auto") -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device cuda but no CUDA device is available")
    if name not in ("cpu", "cuda") and not name.startswith("cuda:"):
        raise ConfigError(f"unknown device '{name}' (auto, cpu, cuda)")
    return torch.device(name)
