"""ASCII pictures of the body with one point marked.

Each :data:`View` of :class:`hipguide.models.Figure` has one drawing here, at most
36 columns by 18 rows, ASCII only. A point's ``figure`` gives the view and the
column/row of its mark; :func:`draw` checks that the mark sits on the body, and
:func:`to_text` / :func:`to_rich` put a marker there. Label words are letters only
and stand outside the outline, so the outline and the labels never mix.
"""

from __future__ import annotations

from collections import deque
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rich.text import Text

    from hipguide.models import Figure

#: Largest drawing, in columns and rows.
MAX_WIDTH = 36
MAX_HEIGHT = 18


def _lines(picture: str) -> tuple[str, ...]:
    """Split a triple-quoted picture into rows, without the first and last newline."""
    return tuple(line.rstrip() for line in picture.strip("\n").split("\n"))


_FRONT = r"""
R             .-.             L
             (   )
              ) (
        .----'   '----.
       /               \
      /   /|       |\   \
     /   / |   .   | \   \
    (___/  |       |  \___)
          /         \
         |\         /|  groin
         | \       / |
         |  \_____/  |
         |   |   |   |  inner
         |   |   |   |  thigh
         |   |   |   |
         (   )   (   )  knee
        _|   |   |   |_
       (_____/   \_____)
"""

_BACK = r"""
L             .-.             R
             (   )
              ) (
        .----'   '----.
       /       :       \
      /   /|   :   |\   \
     /   / |   :   | \   \
    (___/  |   :   |  \___)
          /    :    \
         |   \ : /   |
         |    \:/    |  buttock
         | \___|___/ |
         |   |   |   |
         |   |   |   |
         |-.-|   |-.-|  knee crease
         |   |   |   |
        _|   |   |   |_
       (_____/   \_____)
"""

_SIDE = r"""
            .--.
           (    \
          <     |
           \_   /
             | |
         .--'   '--.
        /   .---.   \
        |   |   |   |
        |   |   |   |
        |   |   |    \
       /    |   |     )  buttock
      (     |   |    /
      |     |   |   |
      |      \_/    |    fingertip
       \           /
        (         )      knee
     ___|        |
    (____________)
"""

_LEG_OUTER = r"""
        .-----------.
       / .--.        \
      ( (    )        )  knee
       \ '--'   .-.   |
        |      (   ) /   bony knob
        |            \
        |             )
        |            /   calf
         |          |
         |          |
         |         |
         |        |
         |       |
         |  .-.  |
         | (   ) |   ankle bone
      ___/  '-'  |
     /            \   heel
    (______________)
"""

_LEG_INNER = r"""
     .-----------.
    /        .--. \
   (        (    ) )  knee
   |        '--' /
    \           |
    (           |
     \          |
      |         |
      |         |
       |        |
        |       |
        |       |
        |       |
        |  .-.  |
        | (   ) |   ankle bone
        |  '-'  \___
       /            \
heel  (______________)
"""

_FOOT = r"""
               _   _   ___
          _   ( ) ( ) (   )
     _   ( )  | | | | |   |
    ( )  | |__| |_| |_|   |
    | |__|                |
    |                     |
    |              \   /  |
    |               \ /   |
    |                '    |
     \                   /
      \                 /
       \               /
        |             |
        |_____________|  ankle
"""

_HAND = r"""
            _
        _  | |  _
       | | | | | |
       | | | | | |
    _  | | | | | |
   | | | | | | | |
   | | | | | | | |
   | |_| |_| |_| |
   |             |    __
   |             |   / /
   |             |  / /
   |             |_/ /
   |                /
   |               /
    \             /
     |           |
     |___________|  wrist
"""

_SHOULDER = r"""
from the side     arm raised
                           __
      _.--._              / /
     / (__) \            / /
front|.    .|back  .___./ /
     |      |     /      /
      \    /     |    . (  armpit
       |  |      |      |
       |  |      |      |
       |  |      |______|
       |__|
"""

#: view -> (title, lines). Titles say which side of the body is shown.
VIEWS: Mapping[str, tuple[str, tuple[str, ...]]] = MappingProxyType(
    {
        "front": (
            "Front of the body (facing you: their right side is on your left)",
            _lines(_FRONT),
        ),
        "back": (
            "Back of the body (seen from behind: their left side is on your left)",
            _lines(_BACK),
        ),
        "side": ("Left side of the body (they face to your left)", _lines(_SIDE)),
        "leg-outer": (
            "Outside of the left lower leg, knee to foot (toes point to your left)",
            _lines(_LEG_OUTER),
        ),
        "leg-inner": (
            "Inside of the left lower leg, knee to foot (toes point to your right)",
            _lines(_LEG_INNER),
        ),
        "foot": (
            "Top of the left foot as you look down at it (big toe on the right)",
            _lines(_FOOT),
        ),
        "hand": ("Back of the left hand, fingers up (thumb on the right)", _lines(_HAND)),
        "shoulder": (
            "Left shoulder: from the side, arm down (left); the armpit, arm raised (right)",
            _lines(_SHOULDER),
        ),
    }
)


class Drawing(NamedTuple):
    """One view with the cell of the mark."""

    title: str
    lines: tuple[str, ...]
    mark: tuple[int, int]  # (x, y): column and row, 0-based


def _is_open(char: str) -> bool:
    """Whether a flood fill from outside may pass this cell (blank or label letter)."""
    return char == " " or char.isalpha()


@cache
def _body_cells(view: str) -> frozenset[tuple[int, int]]:
    """Cells of a view that belong to the body: outline strokes and enclosed blanks.

    A fill starts from a frame one cell outside the drawing and spreads through
    blanks and label letters (up, down, left, right); whatever it cannot reach and
    is not a letter is body.
    """
    lines = VIEWS[view][1]
    height = len(lines)
    width = max(len(line) for line in lines)

    def char_at(x: int, y: int) -> str:
        if 0 <= y < height and 0 <= x < len(lines[y]):
            return lines[y][x]
        return " "

    outside = {(-1, -1)}
    queue = deque(outside)
    while queue:
        x, y = queue.popleft()
        for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if (
                -1 <= nx <= width
                and -1 <= ny <= height
                and (nx, ny) not in outside
                and _is_open(char_at(nx, ny))
            ):
                outside.add((nx, ny))
                queue.append((nx, ny))
    return frozenset(
        (x, y)
        for y in range(height)
        for x in range(width)
        if (x, y) not in outside and not char_at(x, y).isalpha()
    )


def on_body(view: str, x: int, y: int) -> bool:
    """Whether column ``x``, row ``y`` of ``view`` lies on the body (not outside, not a label)."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; known views: {', '.join(VIEWS)}")
    return (x, y) in _body_cells(view)


#: Whole-body views are drawn symmetric about this column (head, spine); a point's
#: mark is placed on the person's left side and mirrored for the right.
MIRROR_AXIS: dict[str, int] = {"front": 15, "back": 15}


def draw(figure: Figure, side: str | None = None) -> Drawing:
    """The drawing for a point's figure; ValueError for an unknown view, or a mark off
    the drawing or on a label. ``side="right"`` mirrors the mark on whole-body views
    (the data places it on the person's left)."""
    if figure.view not in VIEWS:
        raise ValueError(f"unknown view {figure.view!r}; known views: {', '.join(VIEWS)}")
    title, lines = VIEWS[figure.view]
    x, y = figure.x, figure.y
    if side == "right" and figure.view in MIRROR_AXIS:
        x = 2 * MIRROR_AXIS[figure.view] - x
    if not (0 <= y < len(lines) and 0 <= x < MAX_WIDTH):
        raise ValueError(f"mark ({x}, {y}) lies off the {figure.view!r} drawing")
    # Whether the mark lies inside the outline is proven for the shipped data by its
    # tests (on_body); here only the cheap part: never on a label's letters.
    if x < len(lines[y]) and lines[y][x].isalpha():
        raise ValueError(f"mark ({x}, {y}) is on a label in the {figure.view!r} drawing")
    return Drawing(title=title, lines=lines, mark=(x, y))


def _check_marker(marker: str) -> None:
    if len(marker) != 1 or marker.isspace():
        raise ValueError(f"the marker must be one visible character, not {marker!r}")


def _split_row(drawing: Drawing) -> tuple[str, str]:
    """The marked row cut around the mark: text before it and text after it."""
    x, y = drawing.mark
    row = drawing.lines[y].ljust(x + 1)
    return row[:x], row[x + 1 :]


def to_text(drawing: Drawing, marker: str = "X", title: bool = True) -> str:
    """Plain text: the title, the picture with ``marker`` on the point, and a caption."""
    _check_marker(marker)
    _x, y = drawing.mark
    before, after = _split_row(drawing)
    rows = list(drawing.lines)
    rows[y] = (before + marker + after).rstrip()
    head = [drawing.title] if title else []
    return "\n".join([*head, *rows, f"{marker} marks the point"])


def to_rich(drawing: Drawing, marker: str = "●") -> Text:
    """The picture alone (no title, no caption) as Rich Text, the marker in bold red."""
    from rich.text import Text

    _check_marker(marker)
    y = drawing.mark[1]
    before, after = _split_row(drawing)
    text = Text()
    for row, line in enumerate(drawing.lines):
        if row:
            text.append("\n")
        if row == y:
            text.append(before)
            text.append(marker, style="bold red")
            text.append(after.rstrip())
        else:
            text.append(line)
    return text
