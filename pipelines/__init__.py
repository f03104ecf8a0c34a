"""Pipelines: resumable, content-cached runs of every stage from one YAML config, local or on Ray.

Library use (what ``pipelines run`` does)::

    from pipelines import Pipeline, load_config

    pipe = Pipeline(load_config("examples/offline-demo.yaml"), "runs/demo")
    pipe.plan()                       # [Planned(run, state, key, reason)], nothing runs
    report = pipe.run(engine="local") # RunReport: entries (ran/cached/...), manifests, results
"""

from pipelines.config import load_config
from pipelines.runner import Pipeline, RunReport

__all__ = ["Pipeline", "RunReport", "load_config"]
