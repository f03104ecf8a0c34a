"""Long commands say what they do: project-labels names its steps as they start, eflomal's bar
moves over its sampling (in a terminal) or ends in one line (in a log), SimAlign's bar counts pairs;
`augment show` documents its filters and tells how to see the pairs of a CoNLL projection output."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _europarl(data_dir: Path, tmp_path: Path, n: int = 120) -> tuple[Path, Path]:
    """The first ``n`` Europarl en sentences (tagged) and their German side as plain text."""
    from augment.core import read_corpus, write_corpus

    d = data_dir / "europarl_ner_parallel"
    en, de = (read_corpus(d / f"{lang}-europarl.test.conll02")[:n] for lang in ("en", "de"))
    write_corpus(en, tmp_path / "en.conll", "conll")
    (tmp_path / "de.txt").write_text("".join(" ".join(s.tokens) + "\n" for s in de), encoding="utf-8")
    return tmp_path / "en.conll", tmp_path / "de.txt"


def _in_terminal(args: list[str], cwd: Path) -> str:
    """What ``args`` draws on a 120-column terminal (carriage returns as newlines)."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("XNER_NO_PROGRESS", "XNER_QUIET")}
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.Popen([sys.executable, "-c", args[0], *args[1:]], stdin=child, stdout=child, stderr=child,
                            cwd=cwd, env=env, close_fds=True)
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert proc.wait(timeout=300) == 0, out.decode(errors="replace")[-2000:]
    return out.decode(errors="replace").replace("\r", "\n")


def test_project_labels_names_each_step_as_it_starts(run_cli, data_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("XNER_NO_PROGRESS", raising=False)
    en, de = _europarl(data_dir, tmp_path)
    code, _, err = run_cli("augment", ["project-labels", "--source", en, "--target", de, tmp_path / "de.conll"])
    assert code == 0, err
    lines = err.splitlines()
    steps = [next(i for i, line in enumerate(lines) if line.startswith(word))
             for word in ("reading", "aligning 120 pairs with eflomal", "eflomal: aligned 120 pairs", "projecting",
                          "projected")]
    assert steps == sorted(steps), lines  # in the order they happen, the result last
    assert str(en) in lines[steps[0]] and str(de) in lines[steps[0]]


def test_eflomal_bar_moves_over_its_sampling_iterations(data_dir, tmp_path):
    en, de = _europarl(data_dir, tmp_path, n=150)
    pairs = tmp_path / "pairs.txt"
    from augment.core import read_corpus

    src = read_corpus(en)
    tgt = de.read_text("utf-8").splitlines()
    pairs.write_text("".join(f"{' '.join(s.tokens)} ||| {t}\n" for s, t in zip(src, tgt)), encoding="utf-8")
    screen = _in_terminal(["from align.cli import main; main()", "run", str(pairs), str(tmp_path / "links.txt"),
                           "--method", "eflomal", "--seed", "1"], tmp_path)
    bars = [line for line in screen.splitlines() if line.startswith("eflomal (150 pairs, both ways)")]
    shown = {int(line.split("|")[2].split("/")[0]) for line in bars}
    total = int(bars[-1].split("/")[1].split()[0])
    assert 0 in shown and total in shown and len(shown) >= 4, bars  # it starts at 0 and moves, model by model
    assert any("forward fertility" in line for line in bars) and "1/1" not in screen
    assert "wrote 150 alignments" in screen


def test_simalign_bar_counts_pairs(tiny_bert, data_dir, tmp_path):
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("".join(f"the house {i} ||| das Haus {i}\n" for i in range(40)), encoding="utf-8")
    screen = _in_terminal(["from align.cli import main; main()", "run", str(pairs), str(tmp_path / "l.txt"),
                           "--method", "simalign", "--model", str(tiny_bert), "--layer", "1", "--device", "cpu"],
                          tmp_path)
    assert "40/40" in screen and "pair" in screen and "batch" not in screen


def test_show_help_lists_every_filter_docs_show_md_names(run_cli):
    import re

    code, out, _ = run_cli("augment", ["show", "--help"])
    assert code == 0
    row = next(line for line in (REPO / "docs" / "show.md").read_text("utf-8").splitlines()
               if line.startswith("| `--filter SPEC`"))
    documented = set(re.findall(r"`([a-z]+)(?:=|`)", re.split(r"(?<!\\)\|", row)[2]))
    assert documented >= {"kept", "dropped", "type", "status", "markers", "invalid", "id", "text"}
    flat = " ".join(out.split())
    for name in documented:
        assert re.search(rf"\b{name}\b", flat), name


@pytest.mark.parametrize("ext", ["conll", "jsonl"])
def test_show_conll_projection_output_says_how_to_see_the_pairs(run_cli, data_dir, tmp_path, ext):
    en, de = _europarl(data_dir, tmp_path, n=40)
    out_file = tmp_path / f"de.projected.{ext}"
    code, _, err = run_cli("augment", ["project-labels", "--source", en, "--target", de, out_file])
    assert code == 0, err
    code, out, err = run_cli("augment", ["show", out_file, "--limit", "2"])
    assert code == 0, err
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    if ext == "conll":  # target tokens only: one line says how to see the pairs
        assert len(notes) == 1 and ".jsonl" in notes[0] and "augment project-labels" in notes[0]
        assert f"augment show {out_file}.dropped.jsonl" in notes[0]
        assert "corpus" in out
    else:  # the JSONL output holds the pairs and is shown as such
        assert notes == [] and "projection" in out and " src " in out
