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
              "~18 min); real hub models and data sets by name, pipelines run examples/en-yo-ha-sw.yaml "
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
    default job (:data:`DEFAULT_CONFIG`), see :func:`default_job_data`."""
    from pipelines.config import load_config, parse_grid_option, parse_var_option

    overrides = parse_var_option(variables)
    if config is None:
        config = str(DEFAULT_CONFIG)
        overrides = default_job_data(overrides)
    cfg = load_config(config, parse_grid_option(grid), overrides)
    return cfg, workdir or default_workdir(cfg)


#: The default job's data sets: its var, the folder under ``data`` and what is there.
DEFAULT_DATA = (("conll", "conll2003_en/eng.train", "CoNLL-2003 English"),
                ("menyo_train", "menyo20k/train.tsv", "MENYO-20k en-yo"),
                ("menyo_dev", "menyo20k/dev.tsv", None),
                ("yor_train", "masakhaner1/yor/train.txt", "MasakhaNER 1.0 yor"),
                ("yor_test", "masakhaner1/yor/test.txt", None),
                ("yor_dev", "masakhaner1/yor/dev.txt", None))


def default_job_data(overrides: dict[str, Any]) -> dict[str, Any]:
    """The default job's ``--var`` overrides, with where its data comes from decided.

    Its data folder (``--var data=PATH``, else ``../shared/data`` beside the repository) when it
    is there; else, with no ``--var data`` given and the hub reachable, the same data sets by hub
    name (the config's ``hub_*`` vars; ``datasets`` caches them); else one error line naming the
    data sets and both ways to get them."""
    from augment.core.errors import ConfigError
    from augment.core.hub import hub_endpoint, hub_problem
    from pipelines.yamlloc import load_yaml

    if "data" in overrides:  # a path typed on the command line is relative to here, not to the config
        overrides["data"] = str(Path(str(overrides["data"])).expanduser().resolve())
    data = Path(overrides.get("data", (DEFAULT_CONFIG.parent / "../../../shared/data").resolve()))
    missing = [rel for var, rel, _ in DEFAULT_DATA if var not in overrides and not (data / rel).is_file()]
    if not missing:
        return overrides
    hub_vars = {k[4:]: v for k, v in (load_yaml(DEFAULT_CONFIG)[0].get("vars") or {}).items()
                if k.startswith("hub_")}
    problem = None if "data" in overrides else hub_problem()
    if "data" not in overrides and problem is None:
        from augment.core.progress import summary

        summary(f"no data folder at {data}: reading the data sets by name from the hub ({hub_endpoint()}; "
                "cached after the first run)")
        return {**{var: hub_vars[var] for var, _, _ in DEFAULT_DATA if var not in overrides}, **overrides}
    names = ", ".join(f"{what} ({hub_vars[var].split('#')[0]})" for var, _, what in DEFAULT_DATA if what)
    where = f"a folder holding {', '.join(rel for _, rel, _ in DEFAULT_DATA)} (sources and formats: docs/data.md)"
    if "data" in overrides:
        raise ConfigError(f"the default job reads {names}; {data} lacks {missing[0]}: pass --var data=PATH, "
                          f"{where}, or leave --var data out to read them by hub name (needs internet)")
    raise ConfigError(f"the default job reads {names}; there is no {data} beside the repository and the hub "
                      f"cannot be used ({problem}). Either run where the hub is reachable (the data sets are "
                      f"then read by these names and cached), or pass --var data=PATH, {where}")
