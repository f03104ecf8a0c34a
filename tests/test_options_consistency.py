"""For every stage with both a command and a pipeline adapter, the two offer the same options with
the same defaults (read from the click command and the adapter themselves), and the option tables
in the docs are the ones the declarations generate."""

from __future__ import annotations

import importlib
from pathlib import Path

import click
import pytest

from pipelines.stages import get_stage

REPO = Path(__file__).resolve().parents[1]

# kind -> (program, command, options only the command has, settings only the pipeline has).
# Command-only: the files a pipeline passes as inputs, and reading/printing switches. Pipeline-only:
# ``shards`` where the command has no --shards (pipelines/shards.py).
PAIRS = {
    "train": ("ner", "train", {"train", "augmented", "dev", "out", "overwrite"}, set()),
    "distill": ("ner", "distill", {"teachers", "unlabeled", "out", "source_text", "dev", "overwrite"}, set()),
    "predict": ("ner", "predict", {"format", "out_format"}, {"shards"}),
    "evaluate": ("ner", "evaluate", {"as_json", "repair_tags"}, {"lang"}),
    "translate": ("augment", "translate", {"cache_dir", "format", "in_scheme", "repair_tags", "engine", "force"}, set()),
    "prepare": ("augment", "convert", {"out_format", "in_scheme", "repair_tags", "scheme"}, {"side", "repair"}),
    "translate_test": ("ner", "translate-test", {"extra_parallel", "format", "out_format", "force"}, {"shards"}),
    "train_mt": ("augment", "train-mt", {"markers", "tagged_src", "tagged_tgt", "exclude", "overwrite"}, {"test_limit"}),
    "score_mt": ("augment", "score-mt", {"reference"}, {"label"}),
    "ensemble": ("ner", "ensemble", {"gold", "out_format"}, {"lang"}),
}
SHARED = {"verbose", "quiet"}  # every command has them


def _command(prog: str, name: str) -> click.Command:
    group = importlib.import_module(f"{prog}.cli").__dict__[prog]
    with click.Context(group) as ctx:
        return group.get_command(ctx, name)


def _click_defaults(cmd: click.Command) -> tuple[dict, set]:
    """Option name -> default (tuples as lists, empty repeatables as None), and the required ones."""
    defaults, required = {}, set()
    for p in cmd.params:
        if not isinstance(p, click.Option) or not p.expose_value or p.name.startswith("_") or p.name in SHARED:
            continue
        d = p.default
        if p.multiple:
            d = list(d) if d else None
        defaults[p.name] = d
        if p.required:
            required.add(p.name)
    return defaults, required


@pytest.mark.parametrize("kind", sorted(PAIRS))
def test_options_cli_and_pipeline_have_the_same_options_and_defaults(kind):
    prog, name, cli_only, pipeline_only = PAIRS[kind]
    cli, required = _click_defaults(_command(prog, name))
    pipeline = {k: s.default for k, s in get_stage(kind).settings.items()}
    assert set(cli) - set(pipeline) == cli_only
    assert set(pipeline) - set(cli) == pipeline_only
    for key in set(cli) & set(pipeline) - required:
        expected = pipeline[key]
        if isinstance(expected, list) and cli[key] is not None and not isinstance(cli[key], list):
            cli[key] = cli[key].split(",")  # a list given as one comma-separated string
        assert cli[key] == (expected or None if isinstance(expected, (list, dict)) else expected), (
            f"{kind}: --{key.replace('_', '-')} defaults to {cli[key]!r}, the pipeline setting to {expected!r}")


def test_options_training_loop_is_declared_once():
    train, distill = get_stage("train").settings, get_stage("distill").settings
    loop = ["epochs", "lr", "weight_decay", "warmup", "batch_size", "grad_accum", "clip", "max_length", "dropout",
            "freeze_layers", "repair_tags", "seed", "device", "precision"]
    for key in loop:
        assert train[key].default == distill[key].default and train[key].type is distill[key].type
    assert train["repair_tags"].default is False  # as ner train (the pipeline had true)


def test_options_ner_docs_tables_are_current():
    from ner.cli._reference import DOC, render

    text = DOC.read_text("utf-8")
    assert render(text) == text, "regenerate with: python -m ner.cli._reference"


def test_options_mt_docs_tables_are_current():
    """train-mt, translate-test and ensemble: the tables in docs/mt.md are the generated ones."""
    from ner.cli._reference import MT_DOC, render_mt

    text = MT_DOC.read_text("utf-8")
    assert render_mt(text) == text, "regenerate with: python -m ner.cli._reference"


def test_options_convert_selects_like_prepare(run_cli, data_dir, tmp_path):
    """``augment convert`` with the selection options writes what the ``prepare`` stage writes."""
    from augment.core import read_corpus
    from pipelines.stages.prepare import Prepare

    src = data_dir / "masakhaner1" / "yor" / "dev.txt"
    code, _, err = run_cli("augment", ["convert", src, tmp_path / "cli.jsonl", "--repair-tags", "--types", "PER,LOC",
                                       "--map-type", "ORG=LOC", "--offset", "5", "--limit", "40", "--lang", "yo"])
    assert code == 0, err
    settings = {k: s.default for k, s in Prepare.settings.items()}
    settings.update(types=["PER", "LOC"], map={"ORG": "LOC"}, offset=5, limit=40, lang="yo")
    summary = Prepare().run({"corpus": src}, settings, tmp_path)
    cli, stage = read_corpus(tmp_path / "cli.jsonl"), read_corpus(tmp_path / "corpus.jsonl")
    assert [(s.tokens, s.tags, s.lang) for s in cli] == [(s.tokens, s.tags, s.lang) for s in stage]
    assert len(cli) == 40 and set(summary["entities"]) == {"PER", "LOC"}


def test_options_translate_align_project_docs_tables_are_current():
    """translate, align run and project-labels: the tables in docs/translate.md and docs/align.md are
    the generated ones."""
    from augment.cli._reference import render, tables

    for doc in tables():
        text = doc.read_text("utf-8")
        assert render(doc, text) == text, f"{doc.name}: regenerate with: python -m augment.cli._reference"


def test_options_shared_settings_are_declared_once():
    """Beams, backends, devices and the aligner settings come from one declaration each, so every
    command and stage offering them has the same default and choices."""
    from align.aligners import PARTS as ALIGNERS
    from align.api import AlignOptions
    from augment.core.options import DEVICES, option_fields
    from augment.mt.train import TrainMTOptions
    from augment.project.flow import ProjectOptions
    from augment.translate.backends import PARTS as BACKENDS
    from augment.translate.options import TranslateOptions
    from ner.translate_test import TranslateTestOptions

    fields = {cls.__name__: {f.name: f for f in option_fields(cls)}
              for cls in (TranslateOptions, TrainMTOptions, TranslateTestOptions, ProjectOptions, AlignOptions)}
    for owner, name in (("TranslateOptions", "num_beams"), ("TrainMTOptions", "num_beams"),
                        ("TranslateTestOptions", "num_beams")):
        assert fields[owner][name].default == 1
    for owner in ("TranslateOptions", "TranslateTestOptions"):
        assert fields[owner]["backend"].choices == BACKENDS.names()
    for owner in ("TranslateOptions", "TrainMTOptions", "TranslateTestOptions", "AlignOptions"):
        assert fields[owner]["device"].choices == DEVICES
    for owner, name in (("AlignOptions", "method"), ("ProjectOptions", "aligner"), ("TranslateTestOptions", "aligner")):
        assert fields[owner][name].choices == ALIGNERS.names() and fields[owner][name].default == "eflomal"
    for owner, name in (("AlignOptions", "layer"), ("ProjectOptions", "layer"), ("TranslateTestOptions", "align_layer")):
        assert fields[owner][name].default == 8
    assert fields["AlignOptions"]["matching"].choices == fields["ProjectOptions"]["matching"].choices
