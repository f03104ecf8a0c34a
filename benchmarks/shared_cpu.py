"""Training on a shared CPU: a short `ner train` alone, then beside CPU-bound processes; the ratio.

    .venv/bin/python benchmarks/shared_cpu.py [--sentences 2000] [--hogs 2] [--job] [--code DIR ...]

Builds a tiny BERT from real data (CoNLL-2003 + MasakhaNER yor), then runs `ner train` (1 epoch
on the first --sentences CoNLL-2003 English sentences) twice back to back: alone, and beside
--hogs processes `python3 -c "while True: pass"`. With as many hogs as cores, fair sharing halves
the trainer's share, so the wall time should about double (goal: at most 2.5x). With --job, the
default job (`pipelines run`, reduced by --job-var, cold work directory) is timed the same way.

--code DIR (repeatable) runs the commands from another checkout of the toolkit (PYTHONPATH=DIR),
e.g. main's code from `git worktree add /tmp/fh-main main`, so a before/after comparison is one
run. The commands get the environment a newcomer has: the thread and OpenMP variables
(OMP_WAIT_POLICY, OMP_NUM_THREADS, XNER_THREADS, ...) are removed unless --keep-env; each version
of the toolkit then applies its own defaults. Times are wall seconds; CPU-s is the command's own
user + system time (a thread spinning while it waits shows up there, not as progress).
Only the ratio measured within one run means something on a machine others share.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO))

DATA = REPO.parent / "shared" / "data"
#: Variables a newcomer's shell does not have (this project's helpers export some of them).
CLEARED = ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
           "RAYON_NUM_THREADS", "XNER_THREADS", "GOMP_SPINCOUNT", "KMP_BLOCKTIME")


def child_env(code: Path, keep: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if keep or k not in CLEARED}
    env.update(PYTHONPATH=str(code), HF_HUB_OFFLINE="1", XNER_NO_PROGRESS="1", PYTHONDONTWRITEBYTECODE="1")
    return env


def timed(cmd: list[str], env: dict[str, str], cwd: Path, log: Path) -> tuple[float, float]:
    """Run ``cmd``; its wall seconds and its own CPU seconds (user + system, children included)."""
    t0 = time.perf_counter()
    with open(log, "ab") as fh:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=fh, stderr=fh)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(cmd[3:6])} ... failed ({proc.returncode}); see {log}")
    return wall, usage.ru_utime + usage.ru_stime


def alone_then_loaded(make_cmd, hogs: int, env: dict[str, str], cwd: Path, log: Path):
    """``make_cmd(tag)`` timed alone, then beside ``hogs`` CPU-bound processes (stopped afterwards)."""
    alone = timed(make_cmd("alone"), env, cwd, log)
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(hogs)]
    try:
        time.sleep(0.5)
        loaded = timed(make_cmd("hogs"), env, cwd, log)
    finally:
        for p in procs:
            p.kill()
            p.wait()
    return alone, loaded


def prepare(tmp: Path, data: Path, sentences: int) -> tuple[Path, Path]:
    from augment.core import read_corpus, write_corpus
    from ner.tiny_encoder import build_tiny_bert

    en = read_corpus(data / "conll2003_en" / "eng.train", to_scheme="iob2")
    yo = read_corpus(data / "masakhaner1" / "yor" / "train.txt", repair=True)
    texts = [" ".join(s.tokens) for s in en[:3000] + yo[:3000]]
    model = build_tiny_bert(texts, tmp / "bert", vocab_size=3000, seed=0)
    train = tmp / "train.jsonl"
    write_corpus(en[:sentences], train, "jsonl")
    return model, train


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000, help="CoNLL-2003 sentences trained on (1 epoch)")
    parser.add_argument("--hogs", type=int, default=2, help="CPU-bound processes beside it")
    parser.add_argument("--code", action="append", type=Path, default=[],
                        help="a checkout of the toolkit to run the commands from (default: this one); repeatable")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--job", action="store_true", help="also time the default job (pipelines run)")
    parser.add_argument("--job-var", action="append", default=[], metavar="NAME=VALUE",
                        help="--var for the default job (default: n_en=1500, n_pairs=1500)")
    parser.add_argument("--skip-train", action="store_true", help="time only the default job")
    parser.add_argument("--keep-env", action="store_true", help="pass OMP_*/XNER_THREADS on to the commands")
    args = parser.parse_args()
    codes = [c.resolve() for c in args.code] or [REPO]
    job_vars = args.job_var or ["n_en=1500", "n_pairs=1500"]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="shared-cpu-") as tmp_name:
        tmp = Path(tmp_name)
        log = tmp / "commands.log"
        model, train = prepare(tmp, args.data.resolve(), args.sentences)
        for n, code in enumerate(codes):
            env = child_env(code, args.keep_env)
            label = str(code) if code != REPO else "this checkout"
            if not args.skip_train:
                cmd = [sys.executable, "-c", "from ner.cli import main; main()", "train", "--train", str(train),
                       "--model", str(model), "--epochs", "1", "--lr", "1e-3", "--lambda-label", "0",
                       "--lambda-translation", "0", "--seed", "1", "--out"]
                times = alone_then_loaded(lambda tag, cmd=cmd, n=n: cmd + [str(tmp / f"train-{n}-{tag}")],
                                          args.hogs, env, tmp, log)
                print(_row(f"ner train, {args.sentences} sentences", label, *times, args.hogs), flush=True)
            if args.job:
                cmd = [sys.executable, "-c", "from pipelines.cli import main; main()", "run",
                       "--var", f"data={args.data.resolve()}"] + [x for v in job_vars for x in ("--var", v)]
                times = alone_then_loaded(lambda tag, cmd=cmd, n=n: cmd + ["--workdir", str(tmp / f"job-{n}-{tag}")],
                                          args.hogs, env, tmp, log)
                print(_row(f"default job ({', '.join(job_vars)}), cold", label, *times, args.hogs), flush=True)
    print(f"\n{os.cpu_count()} cores; {args.hogs} hogs; fair sharing ~{1 + args.hogs / max(1, os.cpu_count() or 1):.1f}x, "
          "goal <= 2.5x")


def _row(what: str, code: str, alone: tuple[float, float], loaded: tuple[float, float], hogs: int) -> str:
    return (f"{what} [{code}]: alone {alone[0]:.1f} s ({alone[1]:.1f} CPU-s), beside {hogs} hogs "
            f"{loaded[0]:.1f} s ({loaded[1]:.1f} CPU-s): {loaded[0] / alone[0]:.2f}x")


if __name__ == "__main__":
    main()
