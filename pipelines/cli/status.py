"""``pipelines status``: which stage runs are done, cached, failed or still to run, with their keys."""

from __future__ import annotations

import click


@click.command()
@click.argument("config", type=click.Path(dir_okay=False))
@click.option("--grid", "grid", multiple=True, metavar="VAR=V1,V2",
              help="Run only these values of a grid variable, e.g. --grid tgt=yo. Repeatable.")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
              help="Override an entry of the config's vars: (e.g. --var epochs=1). Repeatable.")
@click.option("--workdir", default=None, help="The run's work directory (default: runs/<config name>).")
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

    from pipelines.cli.run import default_workdir
    from pipelines.config import load_config, parse_grid_option, parse_var_option
    from pipelines.status import pipeline_status

    cfg = load_config(config, parse_grid_option(grid), parse_var_option(variables))
    rows = pipeline_status(cfg, workdir or default_workdir(cfg))
    for r in rows:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
        else:
            key = (r["key"] or "-")[:16].ljust(16)
            click.echo(f"{r['state']:8} {key}  {r['run']}  {r['detail']}".rstrip())
