"""Every command that resumes offers ``--force`` (declared once: augment.core.options.force_option),
which starts clean instead of resuming what an interrupted run left beside its output."""

from __future__ import annotations

import importlib

import click
import pytest

from augment.core.alignment import Alignment

# program, command: the commands that resume (the training commands have --overwrite: helper "loop")
RESUMING = [("augment", "translate"), ("align", "run"), ("augment", "project-labels"), ("ner", "translate-test")]


def _command(prog: str, name: str) -> click.Command:
    group = importlib.import_module(f"{prog}.cli").__dict__[prog]
    with click.Context(group) as ctx:
        return group.get_command(ctx, name)


@pytest.mark.parametrize("prog, name", RESUMING)
def test_cli_force_every_resuming_command_has_the_one_force_option(prog, name):
    from augment.core.options import force_option

    declared = force_option().metadata["help"]
    force = [p for p in _command(prog, name).params if p.name == "force"]
    assert len(force) == 1 and force[0].opts == ["--force"] and force[0].is_flag and force[0].help == declared


def test_cli_force_translate_starts_over(run_cli, data_dir, tiny_marian, tmp_path, translate_batches):
    src = data_dir / "masakhaner1" / "yor" / "test.txt"
    args = ["--src", "yo", "--tgt", "en", "--model", tiny_marian, "--batch-size", 4, "--limit", 20, "--repair-tags"]
    out = tmp_path / "out.jsonl"
    translate_batches.kill_at = 3
    assert run_cli("augment", ["translate", src, out, *args])[0] == 130
    assert (tmp_path / "out.jsonl.partial.jsonl").read_text().count("\n") == 8
    translate_batches.calls.clear()
    translate_batches.kill_at = None
    code, _, err = run_cli("augment", ["translate", src, out, *args, "--force"])
    assert code == 0, err
    assert len(translate_batches.calls) == 5  # all 20 sentences again, in batches of 4: nothing was resumed
    assert run_cli("augment", ["translate", src, tmp_path / "clean.jsonl", *args])[0] == 0
    assert out.read_bytes() == (tmp_path / "clean.jsonl").read_bytes()


class _Diagonal:
    calls = 0

    def __init__(self, **_):
        pass

    def align(self, pairs):
        _Diagonal.calls += 1
        if _Diagonal.calls == 3 and _Diagonal.kill:
            raise KeyboardInterrupt
        return [Alignment(tuple((i, i) for i in range(min(len(s), len(t)))), len(s), len(t)) for s, t in pairs]


def test_cli_force_align_run_starts_over(run_cli, data_dir, tmp_path, monkeypatch):
    import align.api as api

    monkeypatch.setattr(api, "CHUNK", 4)
    monkeypatch.setattr(api, "get_aligner", lambda name, **kw: _Diagonal())
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("".join(open(data_dir / "menyo20k" / "dev.tsv", encoding="utf-8").readlines()[:13]), "utf-8")
    args = ["run", pairs, tmp_path / "links.txt", "--method", "simalign", "--model", tmp_path]
    _Diagonal.calls, _Diagonal.kill = 0, True
    assert run_cli("align", args)[0] == 130
    assert (tmp_path / "links.txt.partial.jsonl").read_text().count("\n") == 8
    _Diagonal.calls, _Diagonal.kill = 0, False
    code, _, err = run_cli("align", [*args, "--force"])
    assert code == 0, err
    assert _Diagonal.calls == 3  # 12 pairs in batches of 4, none resumed


def test_cli_force_project_labels_recomputes_cached_alignments(run_cli, europarl, tmp_path, monkeypatch):
    import align.api as api
    from augment.core import write_corpus

    write_corpus(europarl["en"][:10], tmp_path / "en.conll")
    (tmp_path / "de.txt").write_text("".join(" ".join(s.tokens) + "\n" for s in europarl["de"][:10]), "utf-8")
    real, calls = api.align_pairs, []
    monkeypatch.setattr(api, "align_pairs", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    args = ["project-labels", "--source", tmp_path / "en.conll", "--target", tmp_path / "de.txt", tmp_path / "o.jsonl"]
    for extra, expected in (([], 1), ([], 1), (["--force"], 2)):
        code, _, err = run_cli("augment", [*args, *extra])
        assert code == 0, err
        assert len(calls) == expected
