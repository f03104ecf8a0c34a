"""A stage's options declared once, as a dataclass; click options, pipeline settings and docs
tables are generated from it (HfArgumentParser-style), so the CLI and the pipeline cannot drift.

Each field has a type annotation, a default and ``metadata`` with ``"help"`` and optionally
``"cli"`` (flag name, default ``--field-name``), ``"choices"``, ``"cli_only"`` / ``"pipeline_only"``,
``"metavar"``, ``"required"`` (CLI), ``"pipeline_help"``, ``"split"`` (a list given on the command line as one string split on it, e.g. ``","``)
and ``"flags"`` (extra switches that set a value, e.g. ``{"--bf16": "bf16"}``). :func:`opt` builds
such a field. Supported types: ``bool int float str``, ``X | None``, ``list[str]``, ``dict[str, str]``
(on the command line: a repeatable ``KEY=VALUE``).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass
from typing import Any

import click

from augment.core.errors import ConfigError

__all__ = ["DEVICES", "Setting", "click_options", "device_option", "force_option", "opt", "option_fields", "options_from_click",
           "options_from_settings", "options_table", "pipeline_settings"]

#: Where a stage runs its model (``auto``: CUDA when there is a GPU, else the CPU).
DEVICES = ("auto", "cpu", "cuda")


def opt(default: Any = None, help: str = "", **meta: Any) -> Any:
    """A dataclass field with the option metadata (``list``/``dict`` defaults are copied per instance)."""
    metadata = {"help": help, **meta}
    if isinstance(default, (list, dict)):
        value = default
        return dataclasses.field(default_factory=lambda: type(value)(value), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def device_option(help: str = "auto, cpu or cuda.") -> Any:
    """The ``device`` option of a stage that runs a model: one of :data:`DEVICES`, ``auto`` by default."""
    return opt("auto", help, choices=list(DEVICES))


def force_option() -> Any:
    """``--force`` of every command that resumes: start clean instead (declared once, here). Command
    line only: a pipeline names the stages it reruns with ``pipelines run --force STAGE``."""
    return opt(False, "Start over: discard what an interrupted run left beside the output (resume state, "
                      "cached alignments) instead of resuming it.", cli_only=True)


@dataclass(frozen=True)
class Setting:
    """One pipeline stage setting: its type(s), default and a help line for ``docs/pipelines.md``.

    ``type`` is one of ``int float str bool list dict`` or a tuple of them; ``None`` is accepted
    when ``default`` is ``None``.
    """

    type: type | tuple[type, ...]
    default: Any = None
    help: str = ""
    choices: tuple | None = None

    def check(self, value: Any) -> str | None:
        """None when ``value`` fits, else a short description of what was expected."""
        if value is None and self.default is None:
            return None
        kinds = self.type if isinstance(self.type, tuple) else (self.type,)
        ok = False
        for t in kinds:
            if t is float and isinstance(value, (int, float)) and not isinstance(value, bool):
                ok = True
            elif t is int and isinstance(value, int) and not isinstance(value, bool):
                ok = True
            elif t not in (int, float) and isinstance(value, t):
                ok = True
        names = {int: "an integer", float: "a number", str: "a string", bool: "true or false",
                 list: "a list", dict: "a mapping"}
        if not ok:
            return " or ".join(names.get(t, t.__name__) for t in kinds)
        if self.choices is not None and value not in self.choices:
            return "one of " + ", ".join(map(str, self.choices))
        return None


@dataclass(frozen=True)
class OptionField:
    """One declared option, resolved: its name, base type, default and metadata."""

    name: str
    kind: type  # bool, int, float, str, list or dict
    optional: bool  # None is a valid value
    default: Any
    meta: Mapping[str, Any]

    @property
    def help(self) -> str:
        return self.meta.get("help", "")

    @property
    def flag(self) -> str:
        return self.meta.get("cli") or "--" + self.name.replace("_", "-")

    @property
    def choices(self) -> tuple | None:
        c = self.meta.get("choices")
        return tuple(c) if c is not None else None


def _resolve_type(hint: Any) -> tuple[type, bool]:
    optional = False
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = len(args) < len(typing.get_args(hint))
        if len(args) != 1:
            raise TypeError(f"unsupported option type {hint!r}")
        hint = args[0]
        origin = typing.get_origin(hint)
    base = origin or hint
    if base not in (bool, int, float, str, list, dict):
        raise TypeError(f"unsupported option type {hint!r}")
    return base, optional


def option_fields(cls: type) -> list[OptionField]:
    """The declared options of ``cls`` in declaration order (fields without ``help`` metadata and
    ``ClassVar`` s are not options)."""
    hints = typing.get_type_hints(cls)
    found = []
    for f in dataclasses.fields(cls):
        if "help" not in f.metadata:
            continue
        if f.default is not MISSING:
            default = f.default
        elif f.default_factory is not MISSING:
            default = f.default_factory()
        else:
            raise TypeError(f"option {cls.__name__}.{f.name} needs a default")
        kind, optional = _resolve_type(hints[f.name])
        found.append(OptionField(f.name, kind, optional or default is None, default, f.metadata))
    return found


def _parse_pairs(values: tuple[str, ...], flag: str) -> dict[str, str]:
    out = {}
    for v in values:
        key, sep, value = v.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got '{v}'", param_hint=f"'{flag}'")
        out[key.strip()] = value.strip()
    return out


def _click_option(f: OptionField) -> list[Callable]:
    kw: dict[str, Any] = {"help": f.help}
    if f.meta.get("required"):
        kw["required"] = True
    if f.meta.get("metavar"):
        kw["metavar"] = f.meta["metavar"]
    decls = [f.flag, f.name]
    if f.kind is bool:
        if f.default:
            decls = [f"{f.flag}/--no-{f.flag[2:]}", f.name]
        return [click.option(*decls, is_flag=True, default=bool(f.default), show_default=bool(f.default), **kw)]
    if f.kind is list and not f.meta.get("split"):
        return [click.option(*decls, multiple=True, default=tuple(f.default or ()), **kw)]
    if f.kind is dict:
        return [click.option(*decls, multiple=True, default=(), metavar=kw.pop("metavar", "KEY=VALUE"), **kw)]
    if f.kind is list:  # one string, split
        default = f.meta["split"].join(f.default) if f.default else None
        return [click.option(*decls, default=default, **kw)]
    ptype: Any = {int: int, float: float, str: str}[f.kind]
    if f.choices:
        ptype = click.Choice([str(c) for c in f.choices])
    if not f.meta.get("required"):  # a required one gets no default: click would fill it in, and not require it
        kw.update(default=f.default, show_default=f.default is not None)
    options = [click.option(*decls, type=ptype, **kw)]
    for flag, value in (f.meta.get("flags") or {}).items():  # a switch, when given, wins over the option
        options.append(click.option(flag, f"_{f.name}__{flag.lstrip('-')}", flag_value=value, default=None,
                                    help=f"Same as {f.flag} {value}."))
    return options


def click_options(cls: type) -> Callable[[Callable], Callable]:
    """A decorator adding one click option per field of ``cls`` (not ``pipeline_only`` ones), in
    declaration order; the command receives them under the field names."""
    decorators = [d for f in option_fields(cls) if not f.meta.get("pipeline_only") for d in _click_option(f)]

    def apply(func: Callable) -> Callable:
        for d in reversed(decorators):  # click lists options in decorator order, top first
            func = d(func)
        return func

    return apply


def options_from_click(cls: type, kwargs: dict[str, Any], **extra: Any) -> Any:
    """An instance of ``cls`` from a click command's keyword arguments (plus ``extra`` fields).

    Repeatable options become lists, ``KEY=VALUE`` options dicts, split options lists; a switch
    from ``"flags"``, when given, wins over the option itself."""
    values: dict[str, Any] = {}
    for f in option_fields(cls):
        if f.meta.get("pipeline_only") or f.name not in kwargs:
            continue
        v = kwargs[f.name]
        if f.kind is dict:
            v = _parse_pairs(tuple(v or ()), f.flag) or (None if f.default is None else dict(f.default))
        elif f.kind is list and f.meta.get("split"):
            v = [p.strip() for p in v.split(f.meta["split"]) if p.strip()] if v else (
                None if f.default is None else list(f.default))
        elif f.kind is list:
            v = list(v)
        chosen = [kwargs.get(f"_{f.name}__{flag.lstrip('-')}") for flag in f.meta.get("flags") or {}]
        chosen = [c for c in chosen if c is not None]
        if chosen:
            v = chosen[-1]
        values[f.name] = v
    values.update(extra)
    return cls(**values)


def pipeline_settings(cls: type, **override: Any) -> dict[str, Setting]:
    """Setting name -> :class:`Setting` (type, default, help, choices) for a stage adapter's
    ``settings``, from every field that is not ``cli_only``. ``override`` replaces defaults
    (name -> value) where a pipeline needs another default, which the equality test reports."""
    out = {}
    for f in option_fields(cls):
        if f.meta.get("cli_only"):
            continue
        help_text = f.meta.get("pipeline_help", f.help)
        default = override.get(f.name, f.default)
        out[f.name] = Setting(f.kind, default, help_text, f.choices)
    return out


def options_from_settings(cls: type, settings: Mapping[str, Any], **extra: Any) -> Any:
    """An instance of ``cls`` from a pipeline stage's resolved settings (plus ``extra`` fields, e.g.
    inputs); settings that are no field of ``cls`` are an error."""
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(settings) - names)
    if unknown:
        raise ConfigError(f"unknown setting '{unknown[0]}' for {cls.__name__}")
    values = {k: (list(v) if isinstance(v, tuple) else v) for k, v in settings.items()}
    values.update(extra)
    return cls(**values)


def _cell(f: OptionField, for_cli: bool) -> str:
    d = f.default
    if for_cli and f.meta.get("required"):
        return "required"
    if d is None or d == "" or d == [] or d == {}:
        return ""
    if isinstance(d, bool):
        return ("on" if d else "off") if for_cli else ("true" if d else "false")
    if isinstance(d, list):
        return "`" + (f.meta.get("split") or ", ").join(map(str, d)) + "`"
    return f"`{d}`"


def options_table(cls: type, which: str = "cli") -> str:
    """A Markdown table of the options of ``cls`` as the CLI (``which="cli"``) or the pipeline
    (``"pipeline"``) sees them: flag or setting name, default, help."""
    cli = which == "cli"
    head = "| option | default | meaning |" if cli else "| setting | default | what |"
    rows = [head, "| --- | --- | --- |"]
    for f in option_fields(cls):
        if f.meta.get("pipeline_only" if cli else "cli_only"):
            continue
        if cli:
            metavar = f.meta.get("metavar") or ("KEY=VALUE" if f.kind is dict else "")
            name = f"{f.flag} {metavar}".strip()
            if f.kind is bool and f.default:
                name = f"{f.flag}/--no-{f.flag[2:]}"
            name = "`" + name + "`" + "".join(f" / `{flag}`" for flag in f.meta.get("flags") or {})
        else:
            name = f"`{f.name}`"
        choices = f" ({', '.join(map(str, f.choices))})" if f.choices and not cli else ""
        text = f.help if cli else f.meta.get("pipeline_help", f.help)
        rows.append(f"| {name} | {_cell(f, cli)} | {text.replace('|', '/')}{choices} |")
    return "\n".join(rows)



def _markers(name: str) -> tuple[str, str]:
    return (f"<!-- options: {name} (generated from its dataclass; do not edit by hand) -->",
            f"<!-- end of options: {name} -->")


def docs_block(name: str, table: str) -> str:
    """``table`` between the markers :func:`replace_docs_blocks` finds again."""
    begin, end = _markers(name)
    return f"{begin}\n{table}\n{end}"


def replace_docs_blocks(text: str, tables: Mapping[str, str]) -> str:
    """``text`` with each generated block ``name`` (see :func:`docs_block`) holding ``tables[name]``;
    a name without its markers in ``text`` is a ``KeyError``."""
    for name, table in tables.items():
        begin, end = _markers(name)
        if begin not in text or end not in text:
            raise KeyError(f"no generated block '{name}' in the text")
        a, b = text.index(begin), text.index(end) + len(end)
        text = text[:a] + docs_block(name, table) + text[b:]
    return text
