"""Ray for the shard executor (:mod:`augment.core.shards`): start or join Ray, run tasks on it.

Ray is an optional dependency (``pip install 'xner[distributed]'``); nothing here imports it
until it is used. The pipelines' Ray engine starts Ray through :func:`start_ray` too, so a CLI's
``--shards N --engine ray`` and a pipeline run get the same workers (environment, priority).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from augment.core.errors import MissingExtraError

#: Environment passed to local workers so they behave like this process (offline hub, no bars,
#: OpenMP threads that wait passively: a worker's torch reads it when it starts).
ENV_PREFIXES = ("HF_", "TRANSFORMERS_", "XNER_", "TOKENIZERS_", "PYTHONHASHSEED", "CUBLAS_", "OMP_WAIT_POLICY")


def start_ray(address: str | None = None, num_cpus: int | None = None) -> bool:
    """Join the Ray cluster at ``address`` (else ``RAY_ADDRESS``, else start a local Ray with
    ``num_cpus``) unless Ray is running already; True when it was started here (the caller shuts
    it down). Workers get this process' ``HF_``/``XNER_``... variables and run at normal priority."""
    try:
        import ray
    except ImportError:
        raise MissingExtraError("ray", "distributed") from None
    if ray.is_initialized():
        return False
    env = {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIXES)}
    # Ray starts workers at nice 15, which starves the stage work on a shared machine; stages are
    # the job here, so they run at normal priority (as Ray's own job manager does).
    env.setdefault("RAY_worker_niceness", os.environ.get("RAY_worker_niceness", "0"))
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": True, "runtime_env": {"env_vars": env}}
    address = address or os.environ.get("RAY_ADDRESS")
    if address:
        kwargs["address"] = address
    elif num_cpus:
        kwargs["num_cpus"] = num_cpus
    ray.init(**kwargs)
    return True


def run_as_ray_tasks(run: Callable[[Any], Any], tasks: list[Any], gpus: float, label: str) -> list[Any]:
    """``run(task)`` for every task as a Ray task (``num_cpus`` the tasks' ``cpus``, ``num_gpus``
    ``gpus`` where the cluster has GPUs), in order: each result, or the error of a task that failed
    (every task runs to its end, so each finished one is kept)."""
    import ray

    cluster = ray.cluster_resources()
    cpus = max(1, min(tasks[0].cpus or 1, int(cluster.get("CPU", 1))))
    gpus = gpus if cluster.get("GPU", 0) > 0 else 0
    remote = ray.remote(max_retries=0)(run)
    refs = [remote.options(num_cpus=cpus, num_gpus=gpus, name=f"{label}#{t.index}").remote(t) for t in tasks]
    results: list[Any] = []
    for ref in refs:
        try:
            results.append(ray.get(ref))
        except ray.exceptions.RayTaskError as err:
            results.append(getattr(err, "cause", None) or err)
        except Exception as err:  # a worker died: that shard failed, the others are kept
            results.append(err)
    return results


def in_ray_worker() -> bool:
    """True inside a Ray task (where shards become Ray tasks too)."""
    ray = sys.modules.get("ray")
    if ray is None or not ray.is_initialized():
        return False
    try:
        return ray.get_runtime_context().get_task_id() is not None
    except Exception:  # pragma: no cover - an older Ray without task ids
        return False
