"""The state layer: output locks, safe temp files, commit sets, resume state checks, OS errors."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from augment.core.checkpoint import ResumableOutput
from augment.core.errors import XnerError
from augment.core.fileio import atomic_path, atomic_write
from augment.core.state import CommitSet, output_lock, recover

REPO = Path(__file__).resolve().parents[1]


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_state_second_writer_refused_while_first_runs(tmp_path):
    out = tmp_path / "links.txt"
    first = ResumableOutput(out, "fp")
    first.start()
    second = ResumableOutput(out, "fp")
    with pytest.raises(XnerError, match=rf"another process \(pid {os.getpid()}\) is writing"):
        second.start()
    first.append([{"i": 1}])
    first.finish()
    assert out.read_text() == '{"i": 1}\n'
    assert _leftovers(tmp_path, {"links.txt"}) == []  # lock and partial files gone


def test_state_stale_lock_of_dead_process_taken_over(tmp_path):
    out = tmp_path / "out.jsonl"
    code = textwrap.dedent(f"""
        import os
        from augment.core.state import output_lock
        held = output_lock({str(out)!r})
        os._exit(9)  # dies holding the lock: no release runs
    """)
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
    assert (tmp_path / ".out.jsonl.lock").exists()
    with output_lock(out):
        pass
    assert not (tmp_path / ".out.jsonl.lock").exists()


def test_state_planted_symlink_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial.jsonl").symlink_to(victim)
    (tmp_path / "out.jsonl.partial.json").symlink_to(victim)
    ro = ResumableOutput(out, "fp")
    assert ro.start() == 0
    ro.append([{"a": 1}])
    ro.finish()
    assert victim.read_text() == "precious\n"
    assert out.read_text() == '{"a": 1}\n'


def test_state_atomic_write_never_writes_through_symlinked_temp(tmp_path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    import secrets

    monkeypatch.setattr(secrets, "token_hex", lambda n: "fixed")
    (tmp_path / ".o.txt.fixed.tmp").symlink_to(victim)
    with pytest.raises(XnerError, match="cannot create a temporary file"):
        with atomic_write(tmp_path / "o.txt") as fh:
            fh.write("x")
    assert victim.read_text() == "precious\n"


def test_state_damaged_resume_line_discarded_with_warning(tmp_path, caplog):
    out = tmp_path / "out.jsonl"
    ro = ResumableOutput(out, "fp")
    ro.start()
    ro.append([{"i": 0}, {"i": 1}, {"i": 2}])
    ro.close()
    partial = tmp_path / "out.jsonl.partial.jsonl"
    lines = partial.read_text().splitlines()
    partial.write_text(lines[0] + "\n" + '{"i": 1' + "\n" + lines[2] + "\n")
    with caplog.at_level(logging.WARNING, logger="xner.state"):
        again = ResumableOutput(out, "fp")
        assert again.start() == 1
    assert "out.jsonl.partial.jsonl:2: damaged resume record" in caplog.text
    again.append([{"i": 1}, {"i": 2}])
    assert [r["i"] for r in again.finish()] == [0, 1, 2]


def test_state_fresh_starts_clean(tmp_path):
    out = tmp_path / "out.jsonl"
    ro = ResumableOutput(out, "fp")
    ro.start()
    ro.append([{"i": 0}])
    ro.close()
    again = ResumableOutput(out, "fp", fresh=True)
    assert again.start() == 0


def test_state_commit_set_appears_together(tmp_path):
    names = [tmp_path / "out.jsonl", tmp_path / "report.json", tmp_path / "dropped.jsonl"]
    for n in names:
        n.write_text("old\n")
    with pytest.raises(RuntimeError):
        with CommitSet(names[0]) as cs:
            for n in names:
                cs.path(n).write_text("new\n")
            raise RuntimeError("killed before the commit")
    assert [n.read_text() for n in names] == ["old\n"] * 3
    assert _leftovers(tmp_path, {n.name for n in names}) == []

    # a kill in the middle of the renames: the journal is there, one file was renamed
    cs = CommitSet(names[0])
    tmps = [cs.path(n) for n in names]
    for t in tmps:
        t.write_text("new\n")
    journal = tmp_path / ".out.jsonl.commit"
    journal.write_text(json.dumps([[str(t), str(n)] for t, n in zip(tmps, names)]))
    os.replace(tmps[0], names[0])
    assert recover(names[0])
    assert [n.read_text() for n in names] == ["new\n"] * 3
    assert _leftovers(tmp_path, {n.name for n in names}) == []


def test_state_output_is_directory_one_line(tmp_path):
    target = tmp_path / "out.txt"
    target.mkdir()
    with pytest.raises(XnerError, match="out.txt: cannot write: is a directory"):
        with atomic_write(target) as fh:
            fh.write("x")
    with pytest.raises(XnerError, match="out.txt: cannot write: is a directory"):
        ResumableOutput(target, "fp").start()
    assert _leftovers(tmp_path, {"out.txt"}) == []


def test_state_model_folder_over_a_file_refused(tmp_path):
    target = tmp_path / "model"
    target.write_text("keep\n")
    with pytest.raises(XnerError, match="is a file, expected a directory"):
        with atomic_path(target) as tmp:
            tmp.mkdir()
            (tmp / "w.bin").write_bytes(b"1")
    assert target.read_text() == "keep\n"
    assert _leftovers(tmp_path, {"model"}) == []


def test_state_permission_denied_one_line(tmp_path):
    if os.geteuid() == 0:
        folder = tmp_path / "ro"
        folder.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,ro", "tmpfs", str(folder)], check=True)
        try:
            with pytest.raises(XnerError, match="ro/o.txt: cannot write: read-only file system"):
                with atomic_write(folder / "o.txt") as fh:
                    fh.write("x")
        finally:
            subprocess.run(["umount", str(folder)], check=True)
    else:  # pragma: no cover
        folder = tmp_path / "ro"
        folder.mkdir(mode=0o500)
        with pytest.raises(XnerError, match="permission denied"):
            with atomic_write(folder / "o.txt") as fh:
                fh.write("x")


def test_state_disk_full_one_line_nothing_damaged(small_disk):
    old = small_disk / "out.txt"
    old.write_text("old output\n")
    with pytest.raises(XnerError, match="out.txt: cannot write: no space left on the device"):
        with atomic_write(old) as fh:
            for _ in range(200):
                fh.write("x" * 1024)
    assert old.read_text() == "old output\n"
    assert _leftovers(small_disk, {"out.txt"}) == []


def test_state_atomic_write_keeps_umask_and_gives_it_to_files(tmp_path):
    before = os.umask(0o027)
    try:
        with atomic_write(tmp_path / "a.txt") as fh:
            fh.write("x")
        assert os.umask(0o027) == 0o027  # unchanged by the write
        assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(before)


def test_state_project_labels_killed_between_files_writes_none(tmp_path, run_cli, monkeypatch, make_record):
    import augment.project.report as report_mod

    records = [make_record("m2", ["Smith", "visited", "Oslo"], ["B-PER", "O", "B-LOC"],
                           ["Smith", "besuchte", "die", "Stadt"], spans=[[0, 1, "PER"]]),
               make_record("p1", ["the", "European", "Commission", "agreed"], ["O", "B-ORG", "I-ORG", "O"],
                           ["die", "Europäische", "Kommission", "stimmte", "zu"])]
    inp = tmp_path / "tr.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in records))
    (tmp_path / "links.txt").write_text("\n0-0 1-1 2-2 3-3 3-4\n")
    out = tmp_path / "proj.jsonl"
    args = ["project-labels", inp, out, "--alignments", tmp_path / "links.txt"]
    code, _, err = run_cli("augment", args)
    assert code == 0, err
    names = ["proj.jsonl", "proj.jsonl.dropped.jsonl", "proj.jsonl.report.json", "proj.jsonl.report.md"]
    before = {n: (tmp_path / n).read_bytes() for n in names}

    def killed(report):
        raise KeyboardInterrupt  # after the output, the dropped file and the JSON report were written

    monkeypatch.setattr(report_mod, "report_markdown", killed)
    (tmp_path / "links.txt").write_text("\n0-0 1-2 2-1 3-3\n")  # a different projection this time
    code, _, err = run_cli("augment", args)
    assert code == 130
    assert {n: (tmp_path / n).read_bytes() for n in names} == before  # the old set, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names, "tr.jsonl", "links.txt"])
    monkeypatch.undo()
    assert run_cli("augment", args)[0] == 0
    assert (tmp_path / "proj.jsonl").read_bytes() != before["proj.jsonl"]


@pytest.mark.parametrize("kind", ["hard link", "symlink"])
def test_state_output_lock_never_writes_another_file(tmp_path, caplog, kind):
    """Finding 8: a lock file that is a hard link to another file (or a symlink to one) is replaced
    by a fresh lock file; the other file keeps its bytes and its single name."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out.jsonl"
    lock = tmp_path / ".out.jsonl.lock"
    os.link(victim, lock) if kind == "hard link" else lock.symlink_to(victim)
    with output_lock(out):
        assert lock.read_text() == f"{os.getpid()}\n" and not lock.is_symlink()
    assert victim.read_text() == "precious\n" and victim.stat().st_nlink == 1
    assert not os.path.lexists(lock)
    assert len([r for r in caplog.records if r.levelname == "WARNING"]) == 1
