"""A clone without ../shared: the default job reads its data sets by hub name when the hub answers,
and says in one line where to get them when it does not; a hub data set out of reach fails fast.

Nothing leaves the machine: the hub endpoint is a local port (closed, or a listener that accepts
and says nothing) and HF_HUB_OFFLINE is unset only in a child process's environment."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HUB_NAMES = {"conll": "hf:eriktks/conll2003#train", "menyo_train": "hf:UdS-LSV/menyo20k_mt#train",
             "menyo_dev": "hf:UdS-LSV/menyo20k_mt#validation", "yor_train": "hf:masakhane/masakhaner:yor#train",
             "yor_test": "hf:masakhane/masakhaner:yor#test", "yor_dev": "hf:masakhane/masakhaner:yor#validation"}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hub_env(tmp_path: Path, endpoint: str, pythonpath: Path = REPO) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")}
    env.update(HF_ENDPOINT=endpoint, HF_HOME=str(tmp_path / "hf"), PYTHONPATH=str(pythonpath))
    return env


@pytest.fixture()
def clone(tmp_path) -> Path:
    """The toolkit's packages in a folder with no ../shared beside it (a fresh clone's layout)."""
    root = tmp_path / "clone" / "xner"
    for package in ("augment", "align", "ner", "pipelines"):
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    assert not (root.parent / "shared").exists()
    return root


def _run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", args[0]] + args[1:], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=120)
    return proc, time.monotonic() - start


def test_hub_data_unreachable_data_set_fails_fast_with_advice(tmp_path):
    env = _hub_env(tmp_path, f"http://127.0.0.1:{_closed_port()}")
    proc, took = _run(["from augment.cli import main; main()", "stats", "hf:eriktks/conll2003#train"], env, tmp_path)
    err = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1 and took < 20, (took, proc.stderr)
    assert len(err) == 1, err
    assert err[0].startswith("error: hf:eriktks/conll2003: cannot load data set: the hub")
    assert "connection refused" in err[0] and "not in the local cache" in err[0]
    assert "reachable" in err[0] and "save_to_disk" in err[0] and "Retrying" not in proc.stderr


def test_hub_data_default_job_without_data_or_hub_says_where_to_get_them(tmp_path, clone):
    env = _hub_env(tmp_path, f"http://127.0.0.1:{_closed_port()}", clone)
    proc, took = _run(["from pipelines.cli import main; main()", "run", "--workdir", str(tmp_path / "w")], env, tmp_path)
    err = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1 and took < 20, (took, proc.stderr)
    assert len(err) == 1, err
    line = err[0]
    for name in ("hf:eriktks/conll2003", "hf:UdS-LSV/menyo20k_mt", "hf:masakhane/masakhaner:yor"):
        assert name in line
    assert "CoNLL-2003" in line and "MENYO-20k" in line and "MasakhaNER 1.0" in line
    assert "hub is reachable" in line and "--var data=PATH" in line and "masakhaner1/yor/test.txt" in line
    assert str(clone.parent / "shared" / "data") in line
    assert not (tmp_path / "w").exists()


def test_hub_data_default_job_reads_the_data_sets_by_name_when_the_hub_answers(tmp_path, clone):
    with socket.socket() as listener:  # a hub that accepts connections (the probe) and is never asked more
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        env = _hub_env(tmp_path, f"http://127.0.0.1:{listener.getsockname()[1]}", clone)
        env.pop("XNER_NO_PROGRESS", None)
        code = ("import json; from pipelines.cli._options import load; cfg, work = load(None, (), (), None); "
                f"print(json.dumps({{k: str(cfg.resolve_path(cfg.vars[k])) for k in {sorted(HUB_NAMES)!r}}}))")
        proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1]) == HUB_NAMES
    assert "reading the data sets by name from the hub" in proc.stderr


def test_hub_data_default_job_names_match_its_config():
    from pipelines.cli._options import DEFAULT_CONFIG, DEFAULT_DATA
    from pipelines.config import load_config

    cfg = load_config(DEFAULT_CONFIG, variables={"data": str(REPO.parent / "shared" / "data")})
    assert {k[4:]: v for k, v in cfg.vars.items() if k.startswith("hub_")} == HUB_NAMES
    assert {var for var, _, _ in DEFAULT_DATA} == set(HUB_NAMES)
    assert set(cfg.inputs) == set(HUB_NAMES) and all(v == f"${{{k}}}" for k, v in cfg.inputs.items())


def test_hub_data_translation_data_set_feeds_the_menyo_stages_like_the_tsv(tmp_path, data_dir):
    """A MENYO-20k split by name (here a save_to_disk copy of the TSV's first rows, as the hub serves
    it: a translation column) gives the menyo-pairs stage and the encoder's text the same output."""
    import datasets

    from pipelines.stages._text import iter_texts
    from pipelines.stages.exp_menyo_pairs import MenyoPairs

    lines = (data_dir / "menyo20k" / "train.tsv").read_text("utf-8").splitlines()[:41]
    tsv = tmp_path / "train.tsv"
    tsv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = [line.split("\t") for line in lines[1:]]
    ds = datasets.Dataset.from_dict({"translation": [{"en": en, "yo": yo} for en, yo in rows]},
                                    features=datasets.Features({"translation": datasets.Translation(languages=["en", "yo"])}))
    datasets.DatasetDict({"train": ds}).save_to_disk(str(tmp_path / "menyo"))
    spec = f"{tmp_path / 'menyo'}#train"
    outs = {}
    for name, source in (("tsv", tsv), ("dataset", spec)):
        out = tmp_path / name
        out.mkdir()
        settings = {k: v.default for k, v in MenyoPairs.settings.items()}
        MenyoPairs().run({"tsv": source}, settings, out)
        outs[name] = {f: (out / f).read_bytes() for f in MenyoPairs.outputs.values()}
    assert outs["tsv"] == outs["dataset"] and outs["tsv"]["pairs.txt"].count(b"\n") == 40
    assert list(iter_texts(spec)) == list(iter_texts(tsv))
