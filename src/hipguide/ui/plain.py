"""The verdict and the plan as plain text, for output that is not a terminal.

A console that is not a terminal prints no colour, so the panel, the list items and the
table of the verdict and the plan come down to characters. This module lays them out
itself, the very characters Rich prints at the console's width, so that a piped
``check`` or ``routine --plan`` need not load Rich's tables and panels. Text is wrapped
by Rich's own :meth:`~rich.text.Text.wrap`; only the boxes and columns around it are
worked out here, the way Rich works them out when everything fits.

It lays out only what it can lay out exactly: characters one cell wide (no tabs, no
control or zero-width characters, nothing wide), no word wider than its room, a table
that fits the width as it is. Anything else is handed back (None, or False from
:func:`show`), and the caller prints the Rich view as before.

The views describe what they show as blocks (:data:`Block`): Rich's :class:`Text` for
lines of text, and a :class:`Boxed`, :class:`Bullet` or :class:`Tabled` for the rest.
:func:`hipguide.ui.render.renderable` turns a block into its Rich renderable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from rich.cells import get_character_cell_size
from rich.text import Text

if TYPE_CHECKING:
    from typing import NamedTuple as Record

    from rich.console import Console
else:  # a NamedTuple made in microseconds (see hipguide.models)
    from hipguide.models import Record


class Boxed(Record):
    """Lines of text in a box (a panel); on a terminal its border is in ``style``."""

    lines: tuple[Text, ...]
    style: str


class Bullet(Record):
    """A list item (``- ``) whose wrapped lines stay indented under its first."""

    body: Text


class Column(Record):
    """A table column: its header, how its cells line up, and whether they may wrap."""

    header: str
    justify: Literal["left", "right"] = "left"
    no_wrap: bool = False


class Tabled(Record):
    """A table under a title (left-aligned), one string a cell, no padding at its
    edges; ASCII lines when it is not on a terminal."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


#: What a view is made of.
Block = Text | Boxed | Bullet | Tabled


#: What console markup or an emoji code could change in a string Rich parses (a table's
#: title and cells are parsed; a :class:`Text` is not).
_PARSED = re.compile(r"\[|:\S*:")


def show(console: Console, blocks: Sequence[Block]) -> bool:
    """Print ``blocks`` on ``console`` as plain text, when the console is not a terminal
    and they can be laid out exactly. False (nothing printed) otherwise: the caller
    prints the Rich view."""
    if not plain_console(console):
        return False
    text = layout(blocks, console)
    if text is None:
        return False
    console.out(text, highlight=False)
    return True


def print_blocks(console: Console, blocks: Sequence[Block]) -> None:
    """Print ``blocks`` on ``console``: laid out here where that comes out exactly as
    Rich would print it, else drawn by Rich (ASCII lines when not on a terminal)."""
    if not show(console, blocks):
        from hipguide.ui.render import view

        console.print(view(blocks, plain=not console.is_terminal))


def plain_console(console: Console) -> bool:
    """Whether ``console`` prints characters only: not a terminal, no colour."""
    return not (
        console.is_terminal or console.color_system or console.is_jupyter or console.soft_wrap
    )


def layout(blocks: Sequence[Block], console: Console) -> str | None:
    """The lines Rich prints for ``blocks`` at the width of ``console`` (without the
    last line's end), or None where that cannot be worked out exactly (or for no block:
    Rich prints nothing, not an empty line)."""
    if not blocks:
        return None
    width = console.width
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Boxed):
            part = _boxed(block, width, console)
        elif isinstance(block, Bullet):
            part = _bullet(block.body, width, console)
        elif isinstance(block, Tabled):
            part = _tabled(block, width, console)
        else:
            part = _wrapped(block, width, console)
        if part is None:
            return None
        lines += part
    return "\n".join(lines)


def _boxed(block: Boxed, width: int, console: Console) -> list[str] | None:
    """A panel as wide as the console, one space inside each side."""
    room = width - 4
    if room < 1:
        return None
    edge = "+" + "-" * (width - 2) + "+"
    lines = [edge]
    for text in block.lines:
        wrapped = _wrapped(text, room, console)
        if wrapped is None:
            return None
        lines += [f"| {line.ljust(room)} |" for line in wrapped]
    lines.append(edge)
    return lines


def _bullet(body: Text, width: int, console: Console) -> list[str] | None:
    """``- `` and the body in a column as wide as its widest line, at most the rest of
    the width (a grid that does not expand)."""
    room = width - 2
    if room < 1:
        return None
    widest = max((len(line) for line in body.plain.splitlines()), default=0)
    column = min(widest, room) or 1
    wrapped = _wrapped(body, column, console, justify="left", overflow="ellipsis")
    if wrapped is None:
        return None
    return [("  " if index else "- ") + line for index, line in enumerate(wrapped)]


def _tabled(block: Tabled, width: int, console: Console) -> list[str] | None:
    """The table as wide as its widest cells: ASCII edges, one space either side of each
    cell but none at the table's edges. None when it does not fit the width as it is
    (Rich would wrap or shrink its cells)."""
    count = len(block.columns)
    rows = [tuple(column.header for column in block.columns), *block.rows]
    if not count or any(len(row) != count for row in rows):
        return None
    for row in rows:
        for cell in row:
            if not _narrow(cell) or cell != cell.strip() or _PARSED.search(cell):
                return None
    pads = [(0 if index == 0 else 1, 0 if index == count - 1 else 1) for index in range(count)]
    widths = [
        max(len(row[index]) for row in rows) + left + right or 1
        for index, (left, right) in enumerate(pads)
    ]
    extra = 2 + count - 1  # the two edges and a line between each two columns
    if sum(widths) > width - extra:
        return None
    table_width = sum(widths) + extra
    lines: list[str] = []
    if block.title:
        if _PARSED.search(block.title):
            return None
        title = _wrapped(Text(block.title), table_width, console, justify="left")
        if title is None:
            return None
        lines += title
    edge = "+" + "-" * (table_width - 2) + "+"
    lines.append(edge)
    for number, row in enumerate(rows):
        cells = []
        for cell, size, (left, right), column in zip(row, widths, pads, block.columns, strict=True):
            room = size - left - right
            aligned = cell.rjust(room) if column.justify == "right" else cell.ljust(room)
            cells.append(" " * left + aligned + " " * right)
        lines.append("|" + "|".join(cells) + "|")
        if number == 0:
            lines.append("|" + "+".join("-" * size for size in widths) + "|")
    lines.append(edge)
    return lines


def _wrapped(
    text: Text,
    width: int,
    console: Console,
    *,
    justify: Literal["left"] | None = None,
    overflow: Literal["ellipsis"] | None = None,
) -> list[str] | None:
    """``text`` wrapped to ``width`` by Rich, as Rich wraps it there (``justify`` and
    ``overflow`` are those of the place it is printed in), or None when it cannot be
    printed exactly: its own alignment or wrapping rules, an unusual character, or a
    word wider than ``width``."""
    if text.justify or text.overflow or text.no_wrap is not None or text.end != "\n":
        return None
    if width < 1:
        return None
    for line in text.plain.split("\n"):
        if not _narrow(line) or _longest_word(line) > width:
            return None
    lines = text.wrap(console, width, justify=justify, overflow=overflow)
    return [line.plain for line in lines]


def _longest_word(line: str) -> int:
    """The widest word of ``line`` as Rich's wrapping sees it: the first takes the
    spaces before it."""
    words = line.split(" ")
    lead = len(line) - len(line.lstrip(" "))
    return max(lead + len(line.lstrip(" ").split(" ", 1)[0]), *(len(word) for word in words))


def _narrow(text: str) -> bool:
    """Whether every character of ``text`` is printable and one cell wide (the only
    space a plain space)."""
    if text.isascii():
        return text.isprintable()
    return all(ch.isprintable() and get_character_cell_size(ch) == 1 for ch in set(text))
