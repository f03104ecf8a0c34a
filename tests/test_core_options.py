"""``augment.core.options``: one dataclass declares a stage's options; the click options, the
pipeline settings and the docs table come from it."""

from __future__ import annotations

from dataclasses import dataclass

import click
import pytest
from click.testing import CliRunner

from augment.core.errors import ConfigError
from augment.core.options import (
    Setting,
    click_options,
    docs_block,
    opt,
    options_from_click,
    options_from_settings,
    options_table,
    pipeline_settings,
    replace_docs_blocks,
)


@dataclass
class Demo:
    out: str = opt("", "Output directory.", cli_only=True, metavar="DIR")
    epochs: int = opt(3, "Training epochs.")
    lr: float = opt(5e-5, "Peak learning rate.")
    model: str | None = opt(None, "Encoder name or path.")
    repair_tags: bool = opt(False, "Repair invalid IOB sequences.")
    strict: bool = opt(True, "Fail on bad lines.")
    loss: str = opt("mse", "mse or kl.", choices=["mse", "kl"])
    train: list[str] = opt([], "Training files.", metavar="FILE", cli_only=True)
    types: list[str] | None = opt(None, "Entity types.", split=",")
    map: dict[str, str] | None = opt(None, "Rename types.", cli="--map-type")
    precision: str = opt("fp32", "Precision.", choices=["fp32", "bf16", "fp16"], flags={"--bf16": "bf16"})
    limit: int | None = opt(None, "Smoke runs only.", pipeline_only=True)


def _command():
    seen = {}

    @click.command()
    @click_options(Demo)
    def cmd(**kwargs):
        seen["options"] = options_from_click(Demo, kwargs)

    return cmd, seen


def test_options_click_defaults_match_the_dataclass():
    cmd, seen = _command()
    result = CliRunner().invoke(cmd, [])
    assert result.exit_code == 0, result.output
    assert seen["options"] == Demo()
    names = {p.name for p in cmd.params}
    assert "limit" not in names and "out" in names  # pipeline_only is not on the command line


def test_options_click_parses_every_kind():
    cmd, seen = _command()
    result = CliRunner().invoke(cmd, ["--out", "d", "--epochs", "5", "--lr", "0.1", "--model", "m", "--repair-tags",
                                      "--no-strict", "--loss", "kl", "--train", "a", "--train", "b",
                                      "--types", "PER, ORG", "--map-type", "PERSON=PER", "--bf16"])
    assert result.exit_code == 0, result.output
    assert seen["options"] == Demo(out="d", epochs=5, lr=0.1, model="m", repair_tags=True, strict=False, loss="kl",
                                   train=["a", "b"], types=["PER", "ORG"], map={"PERSON": "PER"}, precision="bf16")


def test_options_click_rejects_bad_values():
    cmd, _ = _command()
    assert CliRunner().invoke(cmd, ["--loss", "l1"]).exit_code == 2
    assert CliRunner().invoke(cmd, ["--map-type", "PERSON"]).exit_code == 2
    assert CliRunner().invoke(cmd, ["--epochs", "x"]).exit_code == 2


def test_options_switch_sets_the_value_of_its_option():
    cmd, seen = _command()
    CliRunner().invoke(cmd, ["--precision", "fp16"])
    assert seen["options"].precision == "fp16"
    CliRunner().invoke(cmd, ["--bf16"])
    assert seen["options"].precision == "bf16"


def test_options_pipeline_settings_and_back():
    settings = pipeline_settings(Demo)
    assert "out" not in settings and "train" not in settings and "limit" in settings
    assert settings["epochs"] == Setting(int, 3, "Training epochs.")
    assert settings["loss"].choices == ("mse", "kl") and settings["loss"].check("l1") == "one of mse, kl"
    assert settings["types"].type is list and settings["types"].check(None) is None
    assert settings["repair_tags"].check(1) == "true or false"
    resolved = {k: s.default for k, s in settings.items()} | {"epochs": 7}
    o = options_from_settings(Demo, resolved, out="x", train=["t"])
    assert o == Demo(out="x", epochs=7, train=["t"])
    with pytest.raises(ConfigError, match="unknown setting 'nope'"):
        options_from_settings(Demo, {"nope": 1})


def test_options_table_lists_what_each_side_sees():
    cli = options_table(Demo, "cli")
    assert "| `--out DIR` |  | Output directory. |" in cli
    assert "| `--epochs` | `3` | Training epochs. |" in cli
    assert "| `--map-type KEY=VALUE` |  | Rename types. |" in cli
    assert "| `--strict/--no-strict` | on | Fail on bad lines. |" in cli
    assert "| `--precision` / `--bf16` | `fp32` | Precision. |" in cli
    assert "limit" not in cli
    pipe = options_table(Demo, "pipeline")
    assert "| `loss` | `mse` | mse or kl. (mse, kl) |" in pipe and "`out`" not in pipe


def test_options_list_defaults_are_not_shared():
    a, b = Demo(), Demo()
    a.train.append("x")
    assert b.train == []


def test_options_docs_blocks_are_replaced_in_place():
    text = "intro\n" + docs_block("demo", "old") + "\noutro\n"
    new = replace_docs_blocks(text, {"demo": options_table(Demo)})
    assert new.startswith("intro\n") and new.endswith("\noutro\n") and "| `--lr` | `5e-05` |" in new
    assert replace_docs_blocks(new, {"demo": options_table(Demo)}) == new
    with pytest.raises(KeyError):
        replace_docs_blocks("no markers", {"demo": "x"})
