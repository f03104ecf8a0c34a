"""A progress bar over eflomal's sampling, read from what its processes report on stderr.

eflomal prints ``Aligning with model N (K iterations)`` when a model starts and ``Done: S s`` when
it ends; both directions run at once. The bar counts finished iterations of both (the fertility
model, most of the time, is the last third of the count), shows which model each direction is in,
and keeps each process's stderr for an error message. In a log there is no bar: one line at the end.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time

_START = re.compile(r"Aligning with model (\d+) \((\d+) iterations\)")
_MODELS = {"1": "IBM1", "2": "HMM", "3": "fertility"}


class SamplingProgress:
    """``follow`` each eflomal process; ``stderr(proc)`` after it exits; ``close`` at the end."""

    def __init__(self, iterations: int, sentences: int):
        from augment.core.progress import progress

        self.bar = progress(total=iterations, desc=f"eflomal ({sentences} pairs, both ways)", unit="iter")
        self.sentences = sentences
        self.lock = threading.Lock()
        self.phase: dict[str, str] = {}
        self.lines: dict[int, list[str]] = {}
        self.readers: dict[int, threading.Thread] = {}
        self.started = time.perf_counter()
        self.total, self.done = iterations, 0

    def follow(self, proc: subprocess.Popen, direction: str) -> None:
        lines: list[str] = []
        self.lines[proc.pid] = lines
        reader = threading.Thread(target=self._read, args=(proc, direction, lines), daemon=True,
                                  name=f"eflomal-{direction}")
        self.readers[proc.pid] = reader
        reader.start()

    def _read(self, proc: subprocess.Popen, direction: str, lines: list[str]) -> None:
        pending = 0
        for raw in proc.stderr:
            line = raw.decode(errors="replace").rstrip()
            lines.append(line)
            started = _START.search(line)
            if started:
                pending = int(started.group(2))
                with self.lock:
                    self.phase[direction] = _MODELS.get(started.group(1), started.group(1))
                    self.bar.set_postfix_str(", ".join(f"{d} {m}" for d, m in sorted(self.phase.items())))
            elif line.startswith("Done:") and pending:
                with self.lock:
                    self.bar.update(pending)
                    self.done += pending
                pending = 0

    def stderr(self, proc: subprocess.Popen) -> str:
        """What ``proc`` wrote on stderr (waits for its reader to finish)."""
        self.readers[proc.pid].join()
        return "\n".join(self.lines[proc.pid])

    def close(self) -> None:
        from augment.core.progress import mode, summary

        for reader in self.readers.values():
            reader.join(timeout=5)
        self.bar.close()
        if mode() == "lines" and self.done == self.total:
            summary(f"eflomal: aligned {self.sentences} pairs both ways in {time.perf_counter() - self.started:.1f} s")
