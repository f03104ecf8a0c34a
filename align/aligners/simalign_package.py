"""The reference ``simalign`` package behind the aligner interface (one pair at a time; slow).

Kept to check the batched :mod:`align.aligners.simalign` against, and for users who want the
package's exact code path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from align.aligners.simalign import DEFAULT_MODEL, MATCHERS, SimAligner, encoder_max_length
from augment.core.alignment import Alignment
from augment.core.errors import ConfigError, MissingExtraError
from augment.core.hub import load_error, local_copy, quiet_transformers

_LETTER = {"argmax": ("a", "inter"), "itermax": ("i", "itermax"), "mwmf": ("m", "mwmf")}


class PackageSimAligner:
    name = "simalign-package"
    SETTINGS = SimAligner.SETTINGS
    WHOLE_CORPUS = False

    def __init__(self, model: str = DEFAULT_MODEL, matching: str = "itermax", layer: int = 8,
                 device: str = "cpu", seed: int | None = None, **_: Any):
        if matching not in MATCHERS:
            raise ConfigError(f"unknown matching {matching!r}; choose from {', '.join(MATCHERS)}")
        self.model_name, self.matching, self.layer = model, matching, layer
        if device in (None, "auto"):
            import torch

            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = device
        self._aligner = None
        self.cut = {"sentences": 0, "words": 0}  #: as :attr:`SimAligner.cut`

    def info(self) -> dict[str, Any]:
        return {"method": "simalign-package", "model": self.model_name, "matching": self.matching,
                "layer": self.layer}

    def align(self, pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[Alignment]:
        from augment.core.progress import progress

        if self._aligner is None:
            try:
                from simalign import SentenceAligner
            except ImportError:
                raise MissingExtraError("simalign", "align") from None
            location = local_copy(self.model_name, "encoder")
            try:
                with quiet_transformers():
                    self._aligner = SentenceAligner(model=location, token_type="bpe", layer=self.layer,
                                                    matching_methods=_LETTER[self.matching][0], device=self.device)
            except (OSError, ValueError) as err:
                raise load_error("encoder", self.model_name, err) from None
        key = _LETTER[self.matching][1]
        loader = self._aligner.embed_loader
        limit = encoder_max_length(loader.emb_model.config, loader.tokenizer)
        self.cut = {"sentences": 0, "words": 0}
        out = []
        for s, t in progress(pairs, desc="simalign (package)", unit="pair"):
            if not s or not t:
                out.append(Alignment((), len(s), len(t)))
                continue
            # the package crashes past the encoder's positions: give it only the words that fit
            s_kept, t_kept = self._fit(list(s), limit), self._fit(list(t), limit)
            links = self._aligner.get_word_aligns(s_kept, t_kept)[key] if s_kept and t_kept else []
            out.append(Alignment(tuple(links), len(s), len(t)))
        return out

    def _fit(self, words: list[str], limit: int | None) -> list[str]:
        """The leading words whose subwords fit in ``limit`` positions (with [CLS] and [SEP])."""
        if limit is None:
            return words
        pieces = self._aligner.embed_loader.tokenizer(words, add_special_tokens=False)["input_ids"]
        total, kept = 2, 0
        for p in pieces:
            if total + max(1, len(p)) > limit:
                break
            total += max(1, len(p))
            kept += 1
        if kept < len(words):
            self.cut["sentences"] += 1
            self.cut["words"] += len(words) - kept
        return words[:kept]


ALIGNER = PackageSimAligner
