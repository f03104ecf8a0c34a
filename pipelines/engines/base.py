"""The engine interface: take jobs whose inputs are complete, hand back finished ones."""

from __future__ import annotations

from typing import Any

from pipelines.execute import Job

Finished = tuple[Job, "dict[str, Any] | None", "BaseException | None"]


class Engine:
    name = ""

    def submit(self, job: Job) -> None:
        raise NotImplementedError

    def wait(self) -> list[Finished]:
        """Block until at least one submitted job finished; return (job, manifest, error) for each."""
        raise NotImplementedError

    def cancel_queued(self) -> list[Job]:
        """Withdraw submitted jobs that have not started; returns them (default: none can be)."""
        return []

    def close(self) -> None:
        """Release resources (called once, also after an error)."""
