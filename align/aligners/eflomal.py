"""eflomal (Östling & Tiedemann 2016): a fast Bayesian HMM+fertility aligner, no model download.

It learns from the corpus it aligns, so unlabelled parallel text (``extra``) can be added to its
training; only the requested pairs are returned. Both directions are run and symmetrised here.

eflomal seeds its samplers from ``/dev/urandom`` and has no seed option. With ``seed`` set we
preload a tiny shim (compiled once with the system C compiler into the user cache) that serves
``/dev/urandom`` reads from a stream derived from the seed, and run each direction's process
single-threaded, which makes runs bit-identical (measured: same links on repeated runs). Without a C compiler the run works but is not reproducible (a warning says so). The cached
library is checked against the content hash recorded at build time before it is preloaded.

The corpus goes to eflomal through anonymous in-memory files (``/proc/self/fd/N``) and each
eflomal process dies with the one that started it, so a killed run leaves no process and no
copy of the data behind.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from align.aligners.eflomal_progress import SamplingProgress
from align.symmetrize import METHODS, symmetrize
from augment.core.alignment import Alignment
from augment.core.errors import ConfigError, MissingExtraError, XnerError
from augment.core.state import CommitSet, warn

log = logging.getLogger(__name__)

_SHIM = r"""
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
FILE *fopen(const char *path, const char *mode) {
    static FILE *(*real)(const char *, const char *) = NULL;
    static unsigned long long calls = 0;
    if (!real) real = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
    const char *seed = getenv("XNER_EFLOMAL_SEED");
    if (seed && strcmp(path, "/dev/urandom") == 0) {
        unsigned long long k = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
        unsigned long long x = strtoull(seed, NULL, 10) * 0x9E3779B97F4A7C15ULL ^ (k * 0xBF58476D1CE4E5B9ULL);
        if (!x) x = 88172645463325252ULL;
        unsigned char *buf = malloc(4096);
        for (int i = 0; i < 4096; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; buf[i] = (unsigned char)(x >> 24); }
        return fmemopen(buf, 4096, "rb");
    }
    return real(path, mode);
}
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _trusted(lib: Path, sidecar: Path) -> bool:
    """The cached library is ours and unchanged: a regular file (no symlink) owned by this user,
    writable by no one else, whose content hash is the one recorded when it was built."""
    try:
        st = os.lstat(lib)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
            return False
        return sidecar.read_text("ascii").strip() == _digest(lib)
    except (OSError, ValueError):
        return False


def _seed_shim() -> str | None:
    """Path of the compiled seeding shim, building it on first use; None when no compiler.

    Anything loaded from the user cache is checked first (:func:`_trusted`); a library that fails
    the check (changed, replaced by a link, writable by others) is rebuilt, never preloaded."""
    digest = hashlib.sha256(_SHIM.encode()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "xner"
    lib = cache / f"eflomal_seed_{digest}.so"
    sidecar = cache / f"eflomal_seed_{digest}.sha256"
    if _trusted(lib, sidecar):
        return str(lib)
    if os.path.lexists(lib):
        warn(f"{lib}: cached eflomal seed library failed its content check; rebuilding it")
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if cc is None:
        return None
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            src = Path(tmp) / "shim.c"
            src.write_text(_SHIM)
            out = Path(tmp) / lib.name
            subprocess.run([cc, "-shared", "-fPIC", "-O2", "-o", str(out), str(src), "-ldl"],
                           check=True, capture_output=True)
            os.chmod(out, 0o755)
            (Path(tmp) / sidecar.name).write_text(_digest(out) + "\n", "ascii")
            with CommitSet(lib) as both:  # the library and its recorded hash land together
                both.add(Path(tmp) / sidecar.name, sidecar)
                both.add(out, lib)
    except (OSError, XnerError, subprocess.CalledProcessError) as err:
        log.info("could not build the eflomal seed shim: %s", err)
        return None
    return str(lib) if _trusted(lib, sidecar) else None


def _anonymous_file(name: str) -> int:
    """A file with no name on disk (memfd, else an unlinked temp file): a killed run leaves no
    copy of the corpus behind. The child process reaches it as ``/proc/self/fd/N``."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create(f"xner-eflomal-{name}", 0)
    fd, path = tempfile.mkstemp(prefix="xner-eflomal-")  # pragma: no cover - not Linux
    os.unlink(path)
    return fd


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the kernel kills eflomal when the process that started it dies (even by SIGKILL)."""
    parent = os.getppid()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the line above: do not run orphaned
        os._exit(1)


def _line(tokens: Sequence[str], lowercase: bool) -> str:
    # eflomal splits on whitespace: a token with inner spaces must stay one token
    text = " ".join("_".join(t.split()) or "_" for t in tokens)
    return text.lower() if lowercase else text


class EflomalAligner:
    """eflomal both ways, then symmetrised (``symmetrize``: one of :data:`align.symmetrize.METHODS`)."""

    name = "eflomal"
    #: ``align.api.AlignOptions`` fields it takes (constructor keyword -> field; records name the first).
    SETTINGS = {"symmetrize": "symmetrize", "seed": "seed", "rel_iterations": "iterations"}
    WHOLE_CORPUS = True  #: learns from all pairs at once (extra parallel text too)

    def __init__(self, symmetrize: str = "grow-diag-final-and", extra: Sequence[tuple[Sequence[str], Sequence[str]]] = (),
                 n_samplers: int = 3, rel_iterations: float = 1.0, null_prior: float = 0.2,
                 lowercase: bool = True, seed: int | None = None, model: int = 3):
        if symmetrize not in METHODS:
            raise ConfigError(f"unknown symmetrisation {symmetrize!r}; choose from {', '.join(METHODS)}")
        self.symmetrize = symmetrize
        self.extra = list(extra)
        self.n_samplers = n_samplers
        self.rel_iterations = rel_iterations
        self.null_prior = null_prior
        self.lowercase = lowercase
        self.seed = seed
        self.model = model

    def info(self) -> dict[str, Any]:
        return {"method": "eflomal", "symmetrize": self.symmetrize, "n_samplers": self.n_samplers,
                "rel_iterations": self.rel_iterations, "extra_pairs": len(self.extra), "seed": self.seed}

    def iterations(self, n_sentences: int) -> tuple[int, int, int]:
        """IBM1, HMM and fertility iterations: eflomal's own rule (fewer for larger corpora)."""
        n3 = max(2, round(self.rel_iterations * 5000 / math.sqrt(max(1, n_sentences))))
        return max(1, n3 // 4), max(1, n3 // 4), n3

    def directional(self, pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> tuple[list[set], list[set]]:
        """Forward and reverse links per pair (both in source-target order).

        The two directions run as two eflomal processes at once (each single-threaded when
        seeded, so the run is reproducible, and still uses two cores).
        """
        try:
            import eflomal
            from eflomal import Aligner as _Eflomal
        except ImportError:
            raise MissingExtraError("eflomal", "align") from None
        usable = [k for k, (s, t) in enumerate(pairs) if len(s) and len(t)]
        extra = [(s, t) for s, t in self.extra if len(s) and len(t)]
        src = [_line(pairs[k][0], self.lowercase) for k in usable] + [_line(s, self.lowercase) for s, _ in extra]
        tgt = [_line(pairs[k][1], self.lowercase) for k in usable] + [_line(t, self.lowercase) for _, t in extra]
        fwd: list[set] = [set() for _ in pairs]
        rev: list[set] = [set() for _ in pairs]
        if not usable:
            return fwd, rev
        binary = Path(eflomal.__file__).parent / "bin" / "eflomal"
        n1, n2, n3 = self.iterations(len(src))
        env = dict(os.environ)
        if self.seed is not None:
            shim = _seed_shim()
            if shim is None:
                warnings.warn("no C compiler found: eflomal runs are not reproducible with --seed", stacklevel=2)
            else:
                env["LD_PRELOAD"] = shim + (f" {env['LD_PRELOAD']}" if env.get("LD_PRELOAD") else "")
            # the samplers' threads would draw seeds and sum counts in racy order
            env["OMP_NUM_THREADS"] = "1"
        else:  # the two directions share this process's cores
            from augment.core.process import cpu_budget

            env["OMP_NUM_THREADS"] = str(max(1, cpu_budget() // 2))
        fds = {name: _anonymous_file(name) for name in ("src", "tgt", "fwd", "rev")}
        try:
            with open(fds["src"], "wb", closefd=False) as sf, open(fds["tgt"], "wb", closefd=False) as tf:
                _Eflomal().prepare_files(src, sf, tgt, tf, None, None)
            path = {name: f"/proc/self/fd/{fd}" for name, fd in fds.items()}
            procs = []
            bar = SamplingProgress(2 * (n1 + n2 + n3), len(src))
            for k, (flag, out_name) in enumerate((("-f", "fwd"), ("-r", "rev"))):
                cmd = [str(binary), "-m", str(self.model), "-s", path["src"], "-t", path["tgt"],
                       "-n", str(self.n_samplers), "-N", str(self.null_prior), "-1", str(n1), "-2", str(n2),
                       "-3", str(n3), flag, path[out_name]]
                proc_env = dict(env)
                if self.seed is not None:
                    proc_env["XNER_EFLOMAL_SEED"] = str((int(self.seed) * 2 + k) % (2**63))
                procs.append(subprocess.Popen(cmd, env=proc_env, stderr=subprocess.PIPE,
                                              pass_fds=tuple(fds.values()), preexec_fn=_die_with_parent))
                bar.follow(procs[-1], "forward" if k == 0 else "reverse")
            try:
                for proc in procs:
                    proc.wait()
                    err = bar.stderr(proc)
                    if proc.returncode != 0:
                        raise RuntimeError(f"eflomal failed ({proc.returncode}): {err[-500:]}")
            finally:  # an interrupt must not leave the other direction running
                for proc in procs:
                    if proc.poll() is None:
                        proc.kill()
                        proc.wait()
                bar.close()
            for out, name in ((fwd, "fwd"), (rev, "rev")):
                with open(fds[name], encoding="utf-8", closefd=False) as fh:
                    fh.seek(0)
                    lines = fh.read().split("\n")
                for k, line in zip(usable, lines, strict=False):
                    out[k] = {tuple(map(int, x.split("-"))) for x in line.split()}
        finally:
            for fd in fds.values():
                os.close(fd)
        return fwd, rev

    def align(self, pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[Alignment]:
        fwd, rev = self.directional(pairs)
        return [Alignment(tuple(symmetrize(f, r, self.symmetrize)), len(s), len(t))
                for f, r, (s, t) in zip(fwd, rev, pairs, strict=True)]


ALIGNER = EflomalAligner
