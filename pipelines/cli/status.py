"""``pipelines status``: which stage runs are done, cached, failed or still to run, with their keys."""

from __future__ import annotations

import click

from pipelines.cli._options import config_options, load


@click.command()
@config_options("The run's work directory (default: runs/<config name>).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per stage run instead of a table.")
def status(config: str, grid: tuple[str, ...], variables: tuple[str, ...], workdir: str | None, as_json: bool) -> None:
    """Show the state of every stage run of CONFIG in WORKDIR (nothing is run or changed).

    \b
    done     output with the current key exists (ran / cached: what the last run did)
    failed   the last run failed here (its error follows)
    partial  an interrupted attempt exists; the next run resumes it
    todo     no output for the current key (the reason follows)
    waiting  depends on a run that is not done yet
    """
    import json

    from pipelines.status import pipeline_status

    rows = pipeline_status(*load(config, grid, variables, workdir))
    for r in rows:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
        else:
            key = (r["key"] or "-")[:16].ljust(16)
            click.echo(f"{r['state']:8} {key}  {r['run']}  {r['detail']}".rstrip())
