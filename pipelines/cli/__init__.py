"""``pipelines``: resumable, cached batch runs of all stages over a corpus."""

from __future__ import annotations

import click

from augment.core.cli import LazyGroup, run_main, verbose_option

COMMANDS = {
    "run": "pipelines.cli.run:run",
    "status": "pipelines.cli.status:status",
    "tiny-models": "pipelines.cli.tiny_models:tiny_models",
}


@click.group(cls=LazyGroup, lazy_subcommands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@verbose_option
def pipelines() -> None:
    """Run translate -> align -> project -> train -> distill -> evaluate from one YAML config.

    \b
      pipelines run examples/offline-demo.yaml --workdir runs/demo
      pipelines status examples/offline-demo.yaml --workdir runs/demo
      pipelines tiny-models models      # tiny local models for trying commands offline
    """


def main() -> None:
    run_main(pipelines, "pipelines")
