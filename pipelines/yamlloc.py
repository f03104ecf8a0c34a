"""Load YAML keeping the line of every key, so config errors can name ``file:line``.

:func:`load_yaml` returns plain Python values plus a map from each value's path (a tuple of keys
and list indices) to its 1-based line. Duplicate keys are an error (plain PyYAML silently keeps
the last one, which hides typos in long configs). What aliases expand to is bounded
(:func:`check_expansion`) before any value is built, so an alias bomb is one line of error.
"""

from __future__ import annotations

import os
from typing import Any

from augment.core.errors import ConfigError

Path_ = tuple  # a path into the document: ("stages", "train", "settings", "epochs")

# Bounds on what aliases may expand to. A config has hundreds of values; an 800-byte "billion
# laughs" document expands to 10^9, so the expanded size is computed on the composed graph
# (linear in its distinct nodes) before any value is built.
MAX_VALUES = 100_000
MAX_CHARS = 10_000_000


def load_yaml(path: str | os.PathLike) -> tuple[Any, dict[Path_, int]]:
    """Parse ``path``; returns ``(data, lines)`` where ``lines[path_tuple]`` is a 1-based line."""
    import yaml
    from yaml.constructor import SafeConstructor

    from augment.core.fileio import read_text

    text = read_text(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err)
        raise ConfigError(f"not valid YAML: {problem}", path=path,
                          line=None if mark is None else mark.line + 1) from None
    except RecursionError:
        raise ConfigError("not valid YAML: nested too deeply", path=path) from None
    lines: dict[Path_, int] = {}
    if node is None:
        return {}, lines
    check_expansion(node, path)
    constructor = SafeConstructor()

    def convert(n, where: Path_) -> Any:
        lines.setdefault(where, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in n.value:
                key = constructor.construct_object(key_node, deep=True)
                if isinstance(key, (list, dict)):
                    raise ConfigError("a mapping key must be a plain value", path=path,
                                      line=key_node.start_mark.line + 1)
                if key in out:
                    raise ConfigError(f"{_dotted(where + (key,))}: duplicate key '{key}'", path=path,
                                      line=key_node.start_mark.line + 1)
                lines[where + (key,)] = key_node.start_mark.line + 1
                out[key] = convert(value_node, where + (key,))
            return out
        if isinstance(n, yaml.SequenceNode):
            return [convert(item, where + (i,)) for i, item in enumerate(n.value)]
        try:
            return constructor.construct_object(n, deep=True)
        except yaml.YAMLError as err:
            raise ConfigError(f"{_dotted(where)}: {getattr(err, 'problem', err)}", path=path,
                              line=n.start_mark.line + 1) from None

    return convert(node, ()), lines


def check_expansion(root, path: str | os.PathLike) -> tuple[int, int]:
    """``(values, characters)`` the document expands to with its aliases resolved; a
    :class:`ConfigError` past :data:`MAX_VALUES` / :data:`MAX_CHARS`, or for a recursive alias."""
    import yaml

    memo: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def size(n) -> tuple[int, int]:
        key = id(n)
        if key in memo:
            return memo[key]
        if key in active:
            raise ConfigError("an alias refers to the value that contains it (recursive alias)", path=path,
                              line=n.start_mark.line + 1)
        active.add(key)
        if isinstance(n, yaml.MappingNode):
            children = [c for pair in n.value for c in pair]
        elif isinstance(n, yaml.SequenceNode):
            children = n.value
        else:
            children = []
        values, chars = 1, len(n.value) if isinstance(n, yaml.ScalarNode) else 0
        for child in children:
            v, c = size(child)
            values, chars = values + v, chars + c
        active.discard(key)
        memo[key] = (values, chars)
        return values, chars

    try:
        values, chars = size(root)
    except RecursionError:
        raise ConfigError("not valid YAML: nested too deeply", path=path) from None
    if values > MAX_VALUES:
        raise ConfigError(f"aliases expand the document to {values:,} values, more than the limit of "
                          f"{MAX_VALUES:,}; write the values out or use vars: and ${{var}}", path=path, line=1)
    if chars > MAX_CHARS:
        raise ConfigError(f"aliases expand the document to {chars:,} characters, more than the limit of "
                          f"{MAX_CHARS:,}", path=path, line=1)
    return values, chars


def _dotted(where: Path_) -> str:
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


dotted = _dotted
