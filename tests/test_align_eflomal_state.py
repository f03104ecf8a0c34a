"""eflomal's state: a killed run leaves no process and no copy of the corpus; the cached seed
library is checked before it is preloaded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _marked_pids(mark: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if mark.encode() in (entry / "environ").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _eflomal_running(pids: list[int]) -> bool:
    for pid in pids:
        try:
            if b"eflomal" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]:
                return True
        except OSError:
            continue
    return False


def _start_align(tmp_path: Path, data_dir: Path) -> tuple[subprocess.Popen, str, Path]:
    """``align run`` with eflomal on 5,000 MENYO pairs in a child process, once eflomal runs."""
    pairs = data_dir / "menyo20k" / "train.tsv"
    rows = pairs.read_text(encoding="utf-8").splitlines()[1:5001]
    (tmp_path / "pairs.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    mark = f"XNER_TEST_MARK={uuid.uuid4().hex}"
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(scratch), mark.split("=")[0]: mark.split("=")[1]}
    proc = subprocess.Popen([sys.executable, "-c", "from align.cli import main; main()", "run",
                             str(tmp_path / "pairs.tsv"), str(tmp_path / "links.txt"), "--method", "eflomal",
                             "--iterations", "3"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and not _eflomal_running(_marked_pids(mark)):
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.1)
    assert _eflomal_running(_marked_pids(mark)), "eflomal never started"
    return proc, mark, scratch


def test_align_run_second_writer_on_the_same_output_refused(tmp_path, data_dir, run_cli):
    proc, _, _ = _start_align(tmp_path, data_dir)
    try:
        code, _, err = run_cli("align", ["run", tmp_path / "pairs.tsv", tmp_path / "links.txt",
                                         "--method", "eflomal"])
        assert code == 1 and err.count("\n") == 1
        assert err == (f"error: {tmp_path / 'links.txt'}: another process (pid {proc.pid}) is writing this "
                       "output; wait for it to finish\n")
    finally:
        proc.kill()
        proc.wait()


def test_align_eflomal_killed_run_leaves_no_process_and_no_copy(tmp_path, data_dir):
    proc, mark, scratch = _start_align(tmp_path, data_dir)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for _ in range(50):
        if not _marked_pids(mark):
            break
        time.sleep(0.1)
    left = {pid: Path(f"/proc/{pid}/cmdline").read_bytes()[:80] for pid in _marked_pids(mark)}
    assert left == {}
    assert [p.name for p in scratch.iterdir() if not p.name.startswith("torchinductor")] == []
    # only the resume state and a stale lock (taken over by the next run) stay
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "tmp") == [
        ".links.txt.lock", "links.txt.partial.json", "links.txt.partial.jsonl", "pairs.tsv"]


def test_align_eflomal_tampered_seed_library_is_rebuilt(tmp_path, monkeypatch, caplog):
    from align.aligners import eflomal as ef

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lib = Path(ef._seed_shim())
    good = lib.read_bytes()
    assert ef._seed_shim() == str(lib)  # trusted: reused as is
    lib.write_bytes(good + b"\0evil")
    assert Path(ef._seed_shim()).read_bytes() == good
    assert "failed its content check" in caplog.text
    # a symlink planted in its place is not loaded either
    other = tmp_path / "other.so"
    other.write_bytes(good)
    lib.unlink()
    lib.symlink_to(other)
    assert not Path(ef._seed_shim()).is_symlink()
