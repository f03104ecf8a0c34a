"""The local engine: runs ready jobs one after another in this process."""

from __future__ import annotations

from collections import deque

from pipelines.engines.base import Engine, Finished
from pipelines.execute import Job, run_job


class LocalEngine(Engine):
    name = "local"

    def __init__(self) -> None:
        self.queue: deque[Job] = deque()

    def submit(self, job: Job) -> None:
        self.queue.append(job)

    def cancel_queued(self) -> list[Job]:
        jobs, self.queue = list(self.queue), deque()
        return jobs

    def wait(self) -> list[Finished]:
        job = self.queue.popleft()
        try:
            return [(job, run_job(job), None)]
        except Exception as err:  # a failed stage must not stop independent ones
            return [(job, None, err)]
