"""Pipelines: resumable, content-cached runs of every stage from one YAML config, local or on Ray.

Library use (what ``pipelines run`` does)::

    from pipelines.config import load_config
    from pipelines.runner import Pipeline

    pipe = Pipeline(load_config("examples/offline-demo.yaml"), "runs/demo")
    pipe.plan()                       # [Planned(run, state, key, reason)], nothing runs
    report = pipe.run(engine="local") # RunReport: entries (ran/cached/...), manifests, results

This ``__init__`` imports nothing: Python runs it whenever a stage adapter is imported, so what it
imported would be code in every stage's cache key (see :mod:`pipelines.cache`).
"""
