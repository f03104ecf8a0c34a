"""Shared test setup: offline hub, data paths, tiny models built once per session.

Fixtures of each area live in ``tests/fixtures/<area>.py`` and are registered here.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["XNER_NO_PROGRESS"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# OpenMP threads that spin while waiting make torch 10-15x slower whenever another process (a Ray
# worker, eflomal, a second pytest) shares the 2 cores; passive waiting costs nothing when alone.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

pytest_plugins = [
    "tests.fixtures.data",
    "tests.fixtures.encoders",
    "tests.fixtures.translate",
    "tests.fixtures.align",
    "tests.fixtures.ner",
    "tests.fixtures.pipelines",
    "tests.fixtures.show",
    "tests.fixtures.models",
]
