"""The Ray engine: every ready job becomes a Ray task (``num_gpus`` for GPU stages).

A job with ``shards: N`` becomes a coordinator task holding no CPU or GPU (it cuts the input and
merges the outputs) that starts N shard tasks, each with the job's ``num_cpus`` and ``num_gpus``
(see :mod:`pipelines.shards`).

``address`` connects to a running cluster (``ray.init(address=...)``; the ``RAY_ADDRESS``
environment variable works too); without one a local Ray starts. The work directory must be on
a filesystem every worker sees, since tasks write their outputs there directly.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from augment.core.ray_tasks import start_ray
from pipelines.engines.base import Engine, Finished
from pipelines.execute import Job, run_job
from pipelines.shards import requested
from pipelines.stages import get_stage


class RayEngine(Engine):
    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        self.started_here = start_ray(address, num_cpus)  # the core's, shared with a CLI's --shards
        import ray

        self.ray = ray
        self.has_gpus = ray.cluster_resources().get("GPU", 0) > 0
        self.cluster_cpus = int(ray.cluster_resources().get("CPU", 1))
        self.remote = ray.remote(max_retries=0)(run_job)
        self.inflight: dict[Any, Job] = {}

    def submit(self, job: Job) -> None:
        cpus = min(job.cpus or 1, max(self.cluster_cpus, 1))
        gpus = job.gpus if self.has_gpus else 0
        if requested(get_stage(job.kind), job.settings) > 1:
            cpus, gpus = 0, 0  # the shard tasks ask for the resources; the coordinator only waits
        else:  # a task granted k CPUs runs k threads, however many cores its worker's machine has
            job = dataclasses.replace(job, cpus=cpus)
        ref = self.remote.options(num_cpus=cpus, num_gpus=gpus, name=job.run_id).remote(job)
        self.inflight[ref] = job

    def wait(self) -> list[Finished]:
        ready, _ = self.ray.wait(list(self.inflight), num_returns=1)
        finished: list[Finished] = []
        for ref in ready:
            job = self.inflight.pop(ref)
            try:
                finished.append((job, self.ray.get(ref), None))
            except self.ray.exceptions.RayTaskError as err:
                finished.append((job, None, getattr(err, "cause", None) or err))
            except Exception as err:  # worker died, object lost: the job failed
                finished.append((job, None, err))
        return finished

    def close(self) -> None:
        for ref in list(self.inflight):
            self.ray.cancel(ref, force=True)
        self.inflight.clear()
        if self.started_here:
            self.ray.shutdown()
