"""The README's short tour runs as written: its code block, pasted into bash in a fresh folder
with the data beside it, offline; every command succeeds and leaves the files the next one reads."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def tour_block() -> str:
    text = (REPO / "README.md").read_text("utf-8")
    section = text.split("## A short tour", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)\n```", section, flags=re.S)
    assert len(blocks) == 1, "the tour is one bash block"
    return blocks[0]


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_readme_tour_block_uses_only_what_earlier_commands_make():
    block = tour_block()
    assert "../shared/data" in block and "pipelines tiny-models models" in block
    for line in block.splitlines():
        command = line.split("#", 1)[0]
        # no hub model in a command: hub names only in comments
        assert "Helsinki-NLP" not in command and "bert-base" not in command, line


@pytest.mark.slow
def test_readme_tour_runs_as_written_offline(tmp_path, data_dir):
    (tmp_path / "shared").symlink_to(data_dir.parent, target_is_directory=True)
    repo = tmp_path / "repo"  # a fresh clone's root, with ../shared/data beside it
    repo.mkdir()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "HF_HOME": str(tmp_path / "hf")}
    proc = subprocess.run(["bash", "-e", "-c", tour_block()], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout + proc.stderr
    assert "14041" in out and '"sentences": 2171' in out  # the two stats commands
    for name in ("marian-en-yo", "marian-yo-en", "bert"):
        assert (repo / "models" / name / "config.json").is_file()
        assert f"models/{name}" in out  # tiny-models prints the paths
    tour = repo / "runs" / "tour"
    en = _records(tour / "en.jsonl")
    assert len(en) == 200 and {t.split("-")[-1] for s in en for t in s["tags"]} <= {"O", "PER", "ORG", "LOC"}
    yo = _records(tour / "yo.jsonl")
    assert len(yo) == 200 and all(r["tokens"] and r["src"]["tokens"] for r in yo)
    assert len((tour / "yo.links").read_text("utf-8").splitlines()) == 200
    report = json.loads((tour / "yo.projected.jsonl.report.json").read_text("utf-8"))
    assert report["sentences_in"] == 200 and len(_records(tour / "yo.projected.jsonl")) == report["sentences_kept"] > 0
    de = json.loads((tour / "de.projected.jsonl.report.json").read_text("utf-8"))
    assert de["sentences_in"] == 300 and de["entities_projected"] > 0.8 * de["entities_in"]  # real text aligns
    assert "<html" in (tour / "de.html").read_text("utf-8")[:500].lower()
    assert len((tour / "yo.txt").read_text("utf-8").splitlines()) == 200
    for model in ("concner", "student", "mt-en-yo"):
        assert (tour / model / "config.json").is_file(), model
    assert "overall" in out  # ner evaluate's table
    tagged, tt, ensemble = (_records(tour / f"yo.{n}.jsonl") for n in ("tagged", "tt", "ensemble"))
    assert len(tagged) == len(tt) == len(ensemble) == 50
    assert [r["tokens"] for r in ensemble] == [r["tokens"] for r in tagged]
    assert "Retrying" not in out and "Traceback" not in out
