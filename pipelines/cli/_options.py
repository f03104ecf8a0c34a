"""What ``pipelines run`` and ``pipelines status`` share: the CONFIG argument, the options that
pick which runs of it are meant (--grid, --var) and where they live (--workdir)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click


def default_workdir(cfg) -> str:
    return f"runs/{cfg.name}"


def config_options(workdir_help: str) -> Callable[[Callable], Callable]:
    """CONFIG, ``--grid`` (as ``grid``), ``--var`` (as ``variables``) and ``--workdir``."""
    decorators = [
        click.argument("config", type=click.Path(dir_okay=False)),
        click.option("--grid", "grid", multiple=True, metavar="VAR=V1,V2",
                     help="Only these values of a grid variable, e.g. --grid tgt=yo. Repeatable."),
        click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
                     help="Override an entry of the config's vars: (e.g. --var epochs=1). Repeatable."),
        click.option("--workdir", default=None, help=workdir_help),
    ]

    def apply(f: Callable) -> Callable:
        for decorator in reversed(decorators):  # click lists parameters in decorator order, top first
            f = decorator(f)
        return f

    return apply


def load(config: str, grid: tuple[str, ...], variables: tuple[str, ...], workdir: str | None) -> tuple[Any, str]:
    """The loaded config (grid and vars applied) and its work directory."""
    from pipelines.config import load_config, parse_grid_option, parse_var_option

    cfg = load_config(config, parse_grid_option(grid), parse_var_option(variables))
    return cfg, workdir or default_workdir(cfg)
