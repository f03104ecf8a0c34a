"""Expand a config into stage runs: one run per stage and per combination of its grid values.

A stage varies over the grid variables it mentions (``${tgt}`` in a setting or an input path),
the ones listed in its ``over:``, and those of every stage it reads. A run reads the upstream
run whose grid values agree with its own, so ``train`` over (tgt, seed) reads the ``translate``
run of the same tgt; a pinned reference ``train[tgt=ha]`` reads the run with ``tgt=ha`` whatever
the reader's own ``tgt`` (multi-source teachers trained for other languages).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

from pipelines.config import (
    Config,
    StageSpec,
    is_dataset_name,
    ref_pins,
    split_ref,
    substitute,
    template_vars,
)
from pipelines.stages import get_stage


@dataclass(frozen=True)
class FileInput:
    path: Path


@dataclass(frozen=True)
class StageInput:
    run_id: str
    output: str


@dataclass
class StageRun:
    stage: str
    kind: str
    binding: dict[str, Any]
    settings: dict[str, Any]
    inputs: dict[str, list[FileInput | StageInput]]
    many: dict[str, bool]
    cpus: int | str | None = None
    gpus: float = 0
    label: str | None = None
    deps: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return run_id(self.stage, self.binding)

    @property
    def binding_label(self) -> str:
        return binding_label(self.binding)


def binding_label(binding: dict[str, Any]) -> str:
    """A directory-safe label of grid values: ``tgt-yo_seed-1``; ``all`` when there are none."""
    if not binding:
        return "all"
    return "_".join(f"{k}-{v}" for k, v in binding.items()).replace("/", "-")


def run_id(stage: str, binding: dict[str, Any]) -> str:
    if not binding:
        return stage
    return f"{stage}[{','.join(f'{k}={v}' for k, v in binding.items())}]"


def _stage_order(cfg: Config) -> list[str]:
    """Stage names in dependency order (``graphlib``); a cycle is a config error.

    Among the stages ready at a step the one needed first comes first: the earliest in the config
    of itself and everything that depends on it, so stages keep the config's order (the results
    table lists arms in that order) and each stage's inputs come just before it."""
    deps = {n: [split_ref(r)[0] for r in _refs(s) if split_ref(r)[0] in cfg.stages] for n, s in cfg.stages.items()}
    sorter = TopologicalSorter(deps)
    try:
        sorter.prepare()
    except CycleError as err:
        cycle = list(reversed(err.args[1]))  # graphlib lists it against the edges' direction
        raise cfg.error(cfg.stages[cycle[0]].where,
                        f"stages depend on each other in a cycle: {' -> '.join(cycle)}") from None
    position = {n: i for i, n in enumerate(cfg.stages)}
    needed_at = dict(position)
    for n in reversed(list(cfg.stages)):  # push each stage's position down to what it reads
        stack = list(deps[n])
        while stack:
            d = stack.pop()
            if needed_at[d] > position[n]:
                needed_at[d] = position[n]
                stack += deps[d]
    ready: list[tuple[int, int, str]] = []
    order: list[str] = []
    while sorter.is_active():
        ready += [(needed_at[n], position[n], n) for n in sorter.get_ready()]
        ready.sort()
        _, _, n = ready.pop(0)
        order.append(n)
        sorter.done(n)
    return order


def _refs(spec: StageSpec) -> list[str]:
    out = []
    for value in spec.inputs.values():
        out += value if isinstance(value, list) else [value]
    return out


def build_graph(cfg: Config) -> list[StageRun]:
    """All stage runs of ``cfg`` in an order where each run comes after the runs it reads."""
    axes: dict[str, list[str]] = {}
    runs: dict[str, StageRun] = {}
    ordered: list[StageRun] = []
    grid_order = list(cfg.grid)
    for name in _stage_order(cfg):
        spec = cfg.stages[name]
        cls = get_stage(spec.kind)
        used = set(template_vars(spec.settings)) | set(spec.over) | set(spec.only)
        for ref in _refs(spec):
            ref_name = split_ref(ref)[0]
            if ref_name in cfg.stages:
                pins = ref_pins(ref) or {}
                for var in pins:
                    if var not in axes[ref_name]:
                        raise cfg.error(spec.where + ("inputs",), f"'{ref}': stage '{ref_name}' does not vary "
                                                                  f"over '{var}'; drop the [{var}=...]")
                used |= set(axes[ref_name]) - set(pins)
            else:
                used |= _input_axes(cfg, ref_name)
        my_axes = [a for a in grid_order if a in used]
        axes[name] = my_axes
        for combo in itertools.product(*(cfg.grid[a] for a in my_axes)):
            binding = dict(zip(my_axes, combo))
            if any(binding[v] not in vals for v, vals in spec.only.items()):
                continue
            env = {**cfg.vars, **binding}
            settings = {k: substitute(v, env) for k, v in spec.settings.items()}
            for key, value in settings.items():
                if template_vars(spec.settings[key]):
                    problem = cls.settings[key].check(value)
                    if problem:
                        raise cfg.error(spec.where + ("settings", key),
                                        f"expected {problem}, got {value!r} (with {binding})")
            for key, setting in cls.settings.items():
                settings.setdefault(key, setting.default)
            inputs: dict[str, list] = {}
            deps: list[str] = []
            missing_upstream = False
            for slot, value in spec.inputs.items():
                items = []
                for ref in value if isinstance(value, list) else [value]:
                    ref_name, output = split_ref(ref)
                    if ref_name in cfg.stages:
                        pins = ref_pins(ref) or {}  # pinned values (strings) name the same run id
                        up = {a: pins.get(a, binding.get(a)) for a in axes[ref_name]}
                        rid = _run_id(ref_name, up)
                        if rid not in runs:
                            missing_upstream = True  # upstream restricted by only:
                            break
                        up_cls = get_stage(cfg.stages[ref_name].kind)
                        items.append(StageInput(rid, output or next(iter(up_cls.outputs))))
                        deps.append(rid)
                    else:
                        path = _input_path(cfg, ref_name, binding)
                        if path is not None:
                            items.append(FileInput(path))
                if missing_upstream:
                    break
                if not items and not cls.inputs[slot].many:
                    if cls.inputs[slot].required:
                        raise cfg.error(spec.where + ("inputs", slot),
                                        f"input '{slot}' is required but has no path for {binding}")
                    continue
                inputs[slot] = items
            if missing_upstream:
                continue
            run = StageRun(stage=name, kind=spec.kind, binding=binding, settings=settings, inputs=inputs,
                           many={s: cls.inputs[s].many for s in inputs},
                           cpus=spec.cpus if spec.cpus is not None else cfg.resources.get("cpus"),
                           gpus=_gpus(cfg, spec) if cls.gpu else 0.0,
                           label=spec.label, deps=sorted(set(deps)))
            runs[run.id] = run
            ordered.append(run)
    return ordered


def _gpus(cfg: Config, spec: StageSpec) -> float:
    value = spec.gpus if spec.gpus is not None else cfg.resources.get("gpus", 1)
    return float(value)


def _run_id(stage: str, binding: dict) -> str:
    return run_id(stage, binding)


def _input_axes(cfg: Config, name: str) -> set[str]:
    spec = cfg.inputs[name]
    if isinstance(spec, dict):
        return {spec["by"]} | {a for p in spec.values() if p for a in template_vars(p) if a in cfg.grid}
    return {a for a in template_vars(spec) if a in cfg.grid}


def _input_path(cfg: Config, name: str, binding: dict) -> Path | None:
    spec = cfg.inputs[name]
    env = {**cfg.vars, **binding}
    if isinstance(spec, dict):
        spec = spec[binding[spec["by"]]]
        if spec is None:
            return None
    path = cfg.resolve_path(substitute(spec, env))
    return path if is_dataset_name(str(path)) else path.resolve()


def select(runs: list[StageRun], only: list[str] | None) -> list[StageRun]:
    """The runs of the ``only`` stages and every run they need, in order (all when ``only`` is empty)."""
    if not only:
        return list(runs)
    by_id = {r.id: r for r in runs}
    keep: set[str] = set()
    stack = [r.id for r in runs if r.stage in only]
    while stack:
        rid = stack.pop()
        if rid in keep:
            continue
        keep.add(rid)
        stack += by_id[rid].deps
    return [r for r in runs if r.id in keep]
