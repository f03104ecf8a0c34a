"""``pipelines run``: run every stage of a config that is not already cached."""

from __future__ import annotations

import click

from pipelines.cli._options import NEXT_STEPS, config_options, default_workdir, load

__all__ = ["check_stage_names", "default_workdir", "run"]


def check_stage_names(stages: list[str], *, only: tuple[str, ...], force: tuple[str, ...]) -> None:
    """A usage error (one line, exit 2) naming the config's stages when an ``--only`` or
    ``--force`` name is none of them, for a dry run as for a real one."""
    for flag, names in (("--only", only), ("--force", force)):
        for name in names:
            if name not in stages:
                raise click.BadParameter(f"no stage named '{name}' in this config (stages: {', '.join(stages)})",
                                         param_hint=f"'{flag}'")


@click.command()
@config_options("Where outputs, the cache and logs go (default: runs/<config name>).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: run stages here in dependency order; ray: submit independent runs as Ray tasks.")
@click.option("--ray-address", default=None, help="Ray cluster to join (ray.init(address=...)); default: start a local Ray.")
@click.option("--ray-cpus", type=int, default=None, help="CPUs of a local Ray started here (default: all).")
@click.option("--only", multiple=True, help="Run only this stage (and whatever it needs). Repeatable.")
@click.option("--force", multiple=True, help="Rerun this stage even when its output is cached. Repeatable.")
@click.option("--dry-run", is_flag=True, help="Print the plan (what runs, what is cached, why) and stop.")
def run(config: str, grid: tuple[str, ...], variables: tuple[str, ...], workdir: str | None, engine: str, ray_address: str | None, ray_cpus: int | None,
        only: tuple[str, ...], force: tuple[str, ...], dry_run: bool) -> None:
    """Run the pipeline in CONFIG (YAML; see docs/pipelines.md), reusing every cached stage output.

    Without CONFIG: the default job, a reduced but real English -> Yoruba transfer that runs
    offline in about 5 minutes on 2 CPU cores (pipelines/configs/quickstart.yaml; it reads
    ../shared/data beside the repository, or --var data=PATH).

    A rerun skips each stage run whose inputs, settings and toolkit version are unchanged and
    redoes exactly those downstream of a change; a killed run continues where it stopped. At the
    end, WORKDIR/results/ holds results.md, results.csv, summary.csv and f1.png.
    """
    from pipelines.runner import Pipeline

    pipe = Pipeline(*load(config, grid, variables, workdir))
    check_stage_names(pipe.stages(), only=only, force=force)
    if dry_run:
        for p in pipe.plan(only=list(only), force=list(force)):
            key = p.key[:16] if p.key else "-" * 16
            click.echo(f"{p.state:8} {key}  {p.run.id}  ({p.reason})")
        return
    from augment.core.progress import progress, summary
    from pipelines.graph import select

    bar = progress(total=len(select(pipe.runs, list(only))), desc="pipeline", unit="run")

    def echo(line: str) -> None:  # one line per stage run (failures even with --quiet); the bar counts them
        if line.startswith("FAILED"):
            click.echo(line, err=True)
        else:
            summary(line)
        if line.startswith(("cached", "ran", "FAILED")):
            bar.update(1)

    try:
        report = pipe.run(engine=engine, only=list(only), force=list(force), echo=echo,
                          **({"address": ray_address, "num_cpus": ray_cpus} if engine == "ray" else {}))
    finally:
        bar.close()
    click.echo(f"{report.count('ran')} ran, {report.count('cached')} cached in {report.wall_s:.1f} s; "
               f"log: {report.log_path}", err=True)
    if report.results and report.results.get("files"):
        if report.results.get("brief"):  # the full tables (P, R, per type, per run) are in results.md
            click.echo(report.results["brief"])
        for path in report.results["files"].values():
            click.echo(f"wrote {path}", err=True)
    if config is None:
        click.echo(NEXT_STEPS, err=True)
