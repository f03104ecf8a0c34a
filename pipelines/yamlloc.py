"""Load YAML keeping the line of every key, so config errors can name ``file:line``.

:func:`load_yaml` returns plain Python values plus a map from each value's path (a tuple of keys
and list indices) to its 1-based line. Duplicate keys are an error (plain PyYAML silently keeps
the last one, which hides typos in long configs).
"""

from __future__ import annotations

import os
from typing import Any

from augment.core.errors import ConfigError

Path_ = tuple  # a path into the document: ("stages", "train", "settings", "epochs")


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
    lines: dict[Path_, int] = {}
    if node is None:
        return {}, lines
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


def _dotted(where: Path_) -> str:
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


dotted = _dotted
