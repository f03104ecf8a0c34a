"""The reference ``simalign`` package behind the aligner interface (one pair at a time; slow).

Kept to check the batched :mod:`align.aligners.simalign` against, and for users who want the
package's exact code path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from align.aligners.simalign import DEFAULT_MODEL, MATCHERS
from augment.core.alignment import Alignment
from augment.core.errors import ConfigError, MissingExtraError
from augment.core.hub import load_error, local_copy, quiet_transformers

_LETTER = {"argmax": ("a", "inter"), "itermax": ("i", "itermax"), "mwmf": ("m", "mwmf")}


class PackageSimAligner:
    name = "simalign-package"

    def __init__(self, model: str = DEFAULT_MODEL, matching: str = "itermax", layer: int = 8,
                 device: str = "cpu", seed: int | None = None, **_: Any):
        if matching not in MATCHERS:
            raise ConfigError(f"unknown matching {matching!r}; choose from {', '.join(MATCHERS)}")
        self.model_name, self.matching, self.layer, self.device = model, matching, layer, device
        self._aligner = None

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
            quiet_transformers()
            location = local_copy(self.model_name, "encoder")
            try:
                self._aligner = SentenceAligner(model=location, token_type="bpe", layer=self.layer,
                                                matching_methods=_LETTER[self.matching][0], device=self.device)
            except (OSError, ValueError) as err:
                raise load_error("encoder", self.model_name, err) from None
        key = _LETTER[self.matching][1]
        out = []
        for s, t in progress(pairs, desc="simalign (package)", unit="pair"):
            if not s or not t:
                out.append(Alignment((), len(s), len(t)))
                continue
            links = self._aligner.get_word_aligns(list(s), list(t))[key]
            out.append(Alignment(tuple(links), len(s), len(t)))
        return out
