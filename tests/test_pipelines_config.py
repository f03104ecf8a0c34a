"""Bad configs give one-line errors naming the key (or file) and the line; the CLI plans and reports."""

from __future__ import annotations

import re

import pytest

from augment.core.errors import ConfigError
from pipelines.config import load_config
from pipelines.graph import build_graph


def one_line_error(run_cli, cfg):
    code, out, err = run_cli("pipelines", ["run", cfg, "--workdir", cfg.parent / "w", "--dry-run"])
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_pipelines_config_unknown_key_names_key_and_line(quick_config, run_cli):
    cfg = quick_config(extra="  train: {kind: prepare, inputs: {corpus: en}, setings: {limit: 3}}\n")
    msg = one_line_error(run_cli, cfg)
    assert msg.startswith(f"error: {cfg}:{line_of(cfg, 'setings')}: stages.train.setings: unknown key 'setings'")
    cfg = quick_config(extra="  train: {kind: prepare, inputs: {corpus: en}, settings: {limt: 3}}\n")
    msg = one_line_error(run_cli, cfg)
    assert f":{line_of(cfg, 'limt')}: stages.train.settings.limt: unknown setting 'limt' for prepare" in msg
    text = cfg.read_text().replace("name: quick", "name: quick\nengine: ray")
    cfg.write_text(text)
    assert f"{cfg}:{line_of(cfg, 'engine: ray')}: engine: unknown key 'engine'" in one_line_error(run_cli, cfg)


def test_pipelines_config_wrong_type_names_key_and_line(quick_config, run_cli):
    cfg = quick_config(extra="  train: {kind: prepare, inputs: {corpus: en},\n          settings: {limit: many}}\n")
    msg = one_line_error(run_cli, cfg)
    assert msg == f"error: {cfg}:{line_of(cfg, 'many')}: stages.train.settings.limit: expected an integer, got 'many'"
    cfg = quick_config(extra="  train: {kind: prepare, inputs: {corpus: en}, settings: {repair: 3}}\n")
    assert "stages.train.settings.repair: expected true or false, got 3" in one_line_error(run_cli, cfg)
    cfg.write_text(cfg.read_text().replace("seed: [1, 2]", "seed: 1"))
    assert f":{line_of(cfg, 'seed: 1')}: grid.seed: expected a non-empty list" in one_line_error(run_cli, cfg)


def test_pipelines_config_templated_setting_is_type_checked_per_grid_value(quick_config):
    cfg = quick_config(extra="  bad: {kind: prepare, inputs: {corpus: en}, settings: {limit: '${tgt}'}}\n")
    with pytest.raises(ConfigError, match=r"stages\.bad\.settings\.limit: expected an integer, got 'yo'"):
        build_graph(load_config(cfg))


def test_pipelines_config_missing_file_names_file_and_line(quick_config, run_cli):
    cfg = quick_config()
    cfg.write_text(cfg.read_text().replace("hau/dev.txt", "hau/nope.txt"))
    msg = one_line_error(run_cli, cfg)
    assert re.match(rf"error: {re.escape(str(cfg))}:{line_of(cfg, 'nope')}: inputs\.gold\.ha: no such file: .*masakhaner1/hau/nope\.txt", msg)
    code, _, err = run_cli("pipelines", ["run", cfg.parent / "absent.yaml"])
    assert code == 1 and err.strip().endswith("absent.yaml: no such config file")


def test_pipelines_config_bad_references(quick_config, run_cli):
    cfg = quick_config(extra="  t: {kind: prepare, inputs: {corpus: nothing}}\n")
    assert "stages.t.inputs.corpus: 'nothing' is neither an input nor a stage" in one_line_error(run_cli, cfg)
    cfg = quick_config(extra="  t: {kind: translate-ish, inputs: {corpus: en}}\n")
    assert "stages.t.kind: unknown stage kind 'translate-ish'; known: " in one_line_error(run_cli, cfg)
    cfg = quick_config(extra="  a: {kind: prepare, inputs: {corpus: b}}\n  b: {kind: prepare, inputs: {corpus: a}}\n")
    assert "in a cycle" in one_line_error(run_cli, cfg)
    cfg = quick_config(extra="  t: {kind: prepare}\n")
    assert "stages.t.inputs: missing input 'corpus'" in one_line_error(run_cli, cfg)
    cfg = quick_config()
    cfg.write_text(cfg.read_text() + "  en: {kind: prepare, inputs: {corpus: conll}}\n")
    assert "stages.en: duplicate key 'en'" in one_line_error(run_cli, cfg)


def test_pipelines_dry_run_prints_the_plan_and_why(quick_config, run_cli, tmp_path):
    cfg = quick_config()
    w = tmp_path / "w"
    code, out, _ = run_cli("pipelines", ["run", cfg, "--workdir", w, "--dry-run"])
    assert code == 0 and not w.exists()
    rows = [line.split() for line in out.strip().splitlines()]
    assert [r[0] for r in rows] == ["run"] * 3 + ["waiting"] * 4
    assert "never ran" in out and "after gold-slice[tgt=yo]" in out
    code, out, err = run_cli("pipelines", ["run", cfg, "--workdir", w])
    assert code == 0 and "7 ran, 0 cached" in err
    cfg = quick_config(en_limit=12)
    code, out, _ = run_cli("pipelines", ["run", cfg, "--workdir", w, "--dry-run"])
    plan = {line.split()[2]: line for line in out.strip().splitlines()}
    assert plan["en"].startswith("run") and "setting limit: 40 -> 12" in plan["en"]
    assert all(v.startswith("cached") for k, v in plan.items() if k != "en")


def test_pipelines_status_shows_done_failed_and_todo(quick_config, run_cli, tmp_path, monkeypatch):
    cfg = quick_config()
    w = tmp_path / "w"
    import pipelines.stages.prepare as prep

    real = prep.Prepare.run

    def failing(self, inputs, settings, out):
        if settings["limit"] == 10:
            raise ConfigError("simulated failure")
        return real(self, inputs, settings, out)

    monkeypatch.setattr(prep.Prepare, "run", failing)
    code, _, err = run_cli("pipelines", ["run", cfg, "--workdir", w])
    assert code == 1 and "4 stage run(s) failed" in err and "simulated failure" in err
    code, out, _ = run_cli("pipelines", ["status", cfg, "--workdir", w])
    states = {line.split()[2]: line.split()[0] for line in out.strip().splitlines()}
    assert states["en"] == "done" and states["gold-slice[tgt=yo]"] == "done"
    assert states["subset[tgt=ha,seed=2]"] == "failed" and "simulated failure" in out
    monkeypatch.setattr(prep.Prepare, "run", real)
    code, _, err = run_cli("pipelines", ["run", cfg, "--workdir", w])
    assert code == 0 and "4 ran, 3 cached" in err
    code, out, _ = run_cli("pipelines", ["status", cfg, "--workdir", w])
    assert {line.split()[0] for line in out.strip().splitlines()} == {"done"}


def test_pipelines_grid_option_and_null_inputs(quick_config, run_cli, tmp_path):
    cfg = quick_config()
    code, out, _ = run_cli("pipelines", ["run", cfg, "--workdir", tmp_path / "w", "--dry-run", "--grid", "tgt=ha"])
    runs = [line.split()[2] for line in out.strip().splitlines()]
    assert code == 0 and runs == ["en", "gold-slice[tgt=ha]", "subset[tgt=ha,seed=1]", "subset[tgt=ha,seed=2]"]
    code, _, err = run_cli("pipelines", ["run", cfg, "--dry-run", "--grid", "tgt=fr"])
    assert code == 1 and "--grid: tgt=fr is not in the config's values (yo, ha)" in err
    # a by-input may have no path for some values: a list slot simply gets fewer items
    text = cfg.read_text().replace("    ha: ${data}/masakhaner1/hau/dev.txt", "    ha: null")
    text += "  enc: {kind: tiny-encoder, inputs: {texts: [en, gold]}}\n"
    cfg.write_text(text.replace("kind: prepare, inputs: {corpus: gold}", "kind: prepare, only: {tgt: yo}, inputs: {corpus: gold}"))
    graph = {r.id: r for r in build_graph(load_config(cfg))}
    assert len(graph["enc[tgt=yo]"].inputs["texts"]) == 2 and len(graph["enc[tgt=ha]"].inputs["texts"]) == 1
    assert "gold-slice[tgt=ha]" not in graph and "subset[tgt=ha,seed=1]" not in graph  # only: and what needs it
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=r"stages\.gold-slice\.inputs\.corpus: input 'corpus' is required but has no path"):
        build_graph(load_config(cfg))  # gold-slice needs gold for tgt=ha too


def test_pipelines_ray_engine_without_ray_is_a_one_line_error(quick_config, run_cli, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)  # as if the 'distributed' extra were not installed
    code, _, err = run_cli("pipelines", ["run", quick_config(), "--workdir", quick_config().parent / "w",
                                         "--engine", "ray"])
    assert code == 1
    assert err.strip() == "error: this needs the optional package 'ray'; install it with: pip install 'xner[distributed]'"


@pytest.mark.parametrize("name", ["../../outside", "/tmp/abs", "a/b", ".hidden", "..", "a\\\\b"])
def test_pipelines_config_name_must_be_a_plain_name(quick_config, run_cli, tmp_path, monkeypatch, name):
    """``name:`` names the default work directory runs/<name>: a path there would put it elsewhere."""
    cfg = quick_config()
    cfg.write_text(cfg.read_text().replace("name: quick", f'name: "{name}"'))
    home = tmp_path / "a" / "b"
    home.mkdir(parents=True)
    monkeypatch.chdir(home)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    code, out, err = run_cli("pipelines", ["run", cfg])  # no --workdir: runs/<name>
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        f"error: {cfg}:{line_of(cfg, 'name:')}: name: '{name.replace(chr(92) * 2, chr(92))}' is not a plain name "
        "(letters, digits, _ . + -; no path separators, no leading dot): it names the work directory runs/<name>"]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_pipelines_pinned_reference_reads_the_run_of_another_grid_value(quick_config, run_cli, tmp_path):
    cfg = quick_config(extra='  mix: {kind: tiny-encoder, inputs: {texts: [gold-slice, "gold-slice[tgt=ha]"]}}\n'
                             '  cross: {kind: prepare, inputs: {corpus: "subset[tgt=ha].corpus"}}\n'
                             '  both: {kind: tiny-encoder, inputs: {texts: ["gold-slice[tgt=yo]", "subset[seed=2,tgt=ha]"]}}\n')
    graph = {r.id: r for r in build_graph(load_config(cfg))}
    ids = lambda run, slot: [i.run_id for i in graph[run].inputs[slot]]  # noqa: E731
    assert ids("mix[tgt=yo]", "texts") == ["gold-slice[tgt=yo]", "gold-slice[tgt=ha]"]
    assert ids("mix[tgt=ha]", "texts") == ["gold-slice[tgt=ha]", "gold-slice[tgt=ha]"]
    # a pinned variable is not one the reader varies over: cross runs per seed only, both once
    assert ids("cross[seed=2]", "corpus") == ["subset[tgt=ha,seed=2]"] and "cross[tgt=yo,seed=2]" not in graph
    assert ids("both", "texts") == ["gold-slice[tgt=yo]", "subset[tgt=ha,seed=2]"]
    assert graph["both"].deps == ["gold-slice[tgt=yo]", "subset[tgt=ha,seed=2]"]
    # --grid leaves the pinned run out, and with it the runs that read it (as with only:)
    graph = {r.id: r for r in build_graph(load_config(cfg, grid={"tgt": ["yo"]}))}
    assert "gold-slice[tgt=ha]" not in graph and "mix[tgt=yo]" not in graph and "both" not in graph
    code, _, err = run_cli("pipelines", ["run", cfg, "--workdir", tmp_path / "w", "--only", "cross"])
    assert code == 0 and "5 ran" in err  # not en: gold-slice[tgt=ha], subset and cross for seeds 1 and 2
    for bad, message in (("subset[lang=ha]", "'lang' is not a grid variable"),
                         ("subset[tgt=fr]", "'fr' is not a value of grid variable 'tgt'"),
                         ("subset[tgt]", "expected STAGE[VAR=VALUE,...]"),
                         ("conll[tgt=ha]", "only a stage's output can be pinned"),
                         ("en[tgt=ha]", "stage 'en' does not vary over 'tgt'")):
        cfg = quick_config(extra=f'  bad: {{kind: prepare, inputs: {{corpus: "{bad}"}}}}\n')
        with pytest.raises(ConfigError, match=r"stages\.bad\.inputs.*" + re.escape(message)):
            build_graph(load_config(cfg))
