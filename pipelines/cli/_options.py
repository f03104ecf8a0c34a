"""What ``pipelines run`` and ``pipelines status`` share: the CONFIG argument, the options that
pick which runs of it are meant (--grid, --var) and where they live (--workdir)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

#: What ``pipelines run`` runs without a CONFIG: a reduced, real English -> Yoruba transfer (offline).
DEFAULT_CONFIG = Path(__file__).resolve().parents[1] / "configs" / "quickstart.yaml"
NEXT_STEPS = ("next: the full experiment, pipelines run examples/menyo-transfer.yaml (10 arms x 3 seeds, "
              "~15 min); real hub models and data sets by name, pipelines run examples/en-yo-ha-sw.yaml "
              "--grid tgt=yo (needs internet); the default job's config: " + str(DEFAULT_CONFIG))


def default_workdir(cfg) -> str:
    return f"runs/{cfg.name}"


def config_options(workdir_help: str) -> Callable[[Callable], Callable]:
    """CONFIG, ``--grid`` (as ``grid``), ``--var`` (as ``variables``) and ``--workdir``."""
    decorators = [
        click.argument("config", type=click.Path(dir_okay=False), required=False),
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


def load(config: str | None, grid: tuple[str, ...], variables: tuple[str, ...], workdir: str | None,
         ) -> tuple[Any, str]:
    """The loaded config (grid and vars applied) and its work directory; no ``config``: the
    default job (:data:`DEFAULT_CONFIG`), whose data folder must exist."""
    from augment.core.errors import ConfigError
    from pipelines.config import load_config, parse_grid_option, parse_var_option

    overrides = parse_var_option(variables)
    if config is None:
        config = str(DEFAULT_CONFIG)
        if "data" in overrides:  # a path typed on the command line is relative to here, not to the config
            overrides["data"] = str(Path(str(overrides["data"])).expanduser().resolve())
        data = Path(overrides.get("data", (DEFAULT_CONFIG.parent / "../../../shared/data").resolve()))
        if not (data / "masakhaner1").is_dir():
            raise ConfigError(f"the default job reads MasakhaNER, CoNLL-2003 and MENYO-20k from {data}, "
                              "which is not there: pass --var data=PATH (the shared data folder) or a CONFIG")
    cfg = load_config(config, parse_grid_option(grid), overrides)
    return cfg, workdir or default_workdir(cfg)
