"""The same view in the terminal, with ``rich``: entities coloured by type, pair numbers, statuses.

Text is built with :class:`rich.text.Text` pieces, never parsed as markup, so a token like
``[bold]`` prints as itself; every string from the file goes through :func:`visible` first, so
control characters (an ESC sequence that clears the screen, sets the window title or the
clipboard) and bidi overrides print as visible escapes instead of acting on the terminal.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls, DEL, C1 controls, and the invisible bidi / direction marks that reorder a line.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: Any) -> str:
    """``value`` as a string that is safe to print: control characters and bidi overrides become
    visible ``\\x1b`` / ``\\u202e`` escapes (a literal backslash stays as it is)."""
    return _UNSAFE.sub(_escape, str(value))


def tokens_text(tokens: list[str], ents: list[list], colors: dict[str, str], paired: bool):
    """A :class:`rich.text.Text` of ``tokens`` with each entity on its type's colour."""
    from rich.text import Text

    text = Text()
    if not tokens:
        text.append("(empty sentence)", style="italic dim")
        return text
    starts = {}
    for e in ents:
        starts.setdefault(e[0], e)
    i = 0
    while i < len(tokens):
        if i:
            text.append(" ")
        e = starts.get(i)
        if e is not None and i < e[1] <= len(tokens):
            style = f"black on {colors.get(e[2], '#dddddd')}"
            text.append(visible(" ".join(tokens[e[0]:e[1]])), style=style)
            label = visible(e[2]) + (f" {e[3] + 1}" if paired and e[3] >= 0 else "")
            text.append(f" {label}", style=f"bold black on {colors.get(e[2], '#dddddd')}")
            i = e[1]
        else:
            text.append(visible(tokens[i]))
            i += 1
    return text


def _status_style(status: str) -> str:
    return "green" if status in ("kept", "projected", "markers ok") else "red" if status in (
        "dropped", "markers broken") else "yellow"


def item_renderables(item: dict[str, Any], colors: dict[str, str], number: int) -> list:
    """The lines of one item: a header, the token row(s), the entity pairs, notes."""
    from rich.text import Text

    head = Text()
    head.append(f"#{number} ", style="dim")
    head.append(visible(item["id"]), style="bold")
    if item.get("tag_issues"):
        head.append("  ")
        head.append("! invalid tags", style="bold red")
    if item.get("status") and item["status"] != "invalid tags":
        head.append("  ")
        head.append(f"sentence {visible(item['status'])}", style=_status_style(item["status"]))
        if item.get("filter"):
            head.append(f" by filter {visible(item['filter'])}", style=_status_style(item["status"]))
    out = [head]
    if "src" in item:
        for side in ("src", "tgt"):
            line = Text(f"{visible(item[side]['lang'] or side):>4} ", style="dim")
            line.append_text(tokens_text(item[side]["tokens"], item[side]["ents"], colors, True))
            out.append(line)
        for p in item["pairs"]:
            row = Text("     ")
            row.append(f" {visible(p['type'])} {p['k'] + 1} ", style=f"black on {colors.get(p['type'], '#dddddd')}")
            row.append(" " + visible(" ".join(item["src"]["tokens"][p["src"][0]:p["src"][1]])) + " -> ")
            row.append(visible(" ".join(item["tgt"]["tokens"][p["tgt"][0]:p["tgt"][1]])) if p["tgt"] else "-")
            status = p["status"] + (f": {p['reason']}" if p.get("reason") else "")
            row.append(f"  {visible(status)}", style=_status_style(p["status"]))
            out.append(row)
        if item["links"]:
            out.append(Text(f"      {len(item['links'])} alignment links", style="dim"))
    else:
        out.append(tokens_text(item["tokens"], item["ents"], colors, False))
    for issue in item.get("tag_issues") or []:
        out.append(Text(f"      invalid tags: {visible(issue)}", style="red"))
    for note in item.get("notes") or []:
        out.append(Text(f"      note: {visible(note)}", style="yellow"))
    return out


def print_view(view: dict[str, Any], limit: int | None = 20, console=None) -> int:
    """Print the first ``limit`` items of ``view`` and a legend; returns how many were printed."""
    from rich.console import Console
    from rich.text import Text

    console = console or Console(highlight=False)
    colors = view["colors"]
    counts = view["counts"]
    items = view["items"] if limit is None else view["items"][:limit]
    title = Text(f"{visible(view['title'])}  ", style="bold")
    title.append(f"{view['kind']}, {counts['sentences']} sentences", style="dim")
    if view["total"] != counts["sentences"]:
        title.append(f" (of {view['total']})", style="dim")
    console.print(title)
    for n, item in enumerate(items, start=1):
        for line in item_renderables(item, colors, n):
            console.print(line, soft_wrap=False)
        console.print()
    legend = Text("types: ", style="dim")
    for typ, color in colors.items():
        legend.append(f" {visible(typ)} ", style=f"black on {color}")
        legend.append(f" {counts['entities'].get(typ, 0)}  ")
    if not colors:
        legend.append("no entities")
    console.print(legend)
    extra = [f"{visible(k)}: {v}" for k, v in counts["status"].items() if k != "invalid tags"]
    if counts.get("invalid_tags"):
        extra.insert(0, f"invalid tag sequences: {counts['invalid_tags']}")
    extra += [f"entities {visible(k)}: {v}" for k, v in counts["entity_status"].items()]
    if extra:
        console.print(Text("  ".join(extra), style="dim"))
    if len(items) < len(view["items"]):
        console.print(Text(f"showing {len(items)} of {len(view['items'])}; use --limit or --html for more",
                           style="dim"))
    return len(items)
