"""The body-map pictures: size, ASCII, where the mark goes, and how it is shown."""

from __future__ import annotations

import subprocess
import sys
from typing import get_args

import pytest

from hipguide.models import Figure, View
from hipguide.ui import bodymap

VIEW_NAMES = sorted(bodymap.VIEWS)


def test_every_model_view_has_a_drawing() -> None:
    assert set(bodymap.VIEWS) == set(get_args(View))


@pytest.mark.parametrize("view", VIEW_NAMES)
def test_view_fits_36_by_18(view: str) -> None:
    lines = bodymap.VIEWS[view][1]
    assert 0 < len(lines) <= bodymap.MAX_HEIGHT
    assert all(len(line) <= bodymap.MAX_WIDTH for line in lines)


@pytest.mark.parametrize("view", VIEW_NAMES)
def test_view_is_plain_ascii(view: str) -> None:
    title, lines = bodymap.VIEWS[view]
    for line in (title, *lines):
        assert line.isascii()
        assert all(ch.isprintable() for ch in line), repr(line)
        assert line == line.rstrip()


@pytest.mark.parametrize("view", VIEW_NAMES)
def test_view_has_body_and_no_label_counts_as_body(view: str) -> None:
    lines = bodymap.VIEWS[view][1]
    body = [
        (x, y)
        for y, line in enumerate(lines)
        for x in range(len(line))
        if bodymap.on_body(view, x, y)
    ]
    assert len(body) > 50
    assert not any(lines[y][x].isalpha() for x, y in body)


@pytest.mark.parametrize(
    ("view", "left", "right", "phrase"),
    [
        ("front", "R", "L", "their right side is on your left"),
        ("back", "L", "R", "their left side is on your left"),
    ],
)
def test_whole_body_views_say_which_side_is_which(
    view: str, left: str, right: str, phrase: str
) -> None:
    title, lines = bodymap.VIEWS[view]
    assert lines[0].split()[0] == left
    assert lines[0].split()[-1] == right
    assert phrase in title


@pytest.mark.parametrize(
    ("view", "x", "y", "inside"),
    [
        ("back", 13, 6, True),  # blank inside the torso
        ("back", 15, 6, True),  # the spine stroke
        ("back", 15, 14, False),  # the gap between the legs
        ("back", 0, 8, False),  # blank outside the outline
        ("back", 0, 0, False),  # the "L" label
        ("front", 25, 9, False),  # inside the word "groin"
        ("hand", 10, 8, True),  # palm
        ("hand", 6, 3, False),  # between two fingers
        ("shoulder", 8, 7, True),  # upper arm, side panel
        ("shoulder", 14, 7, False),  # between the two panels
    ],
)
def test_on_body_tells_inside_from_outside(view: str, x: int, y: int, inside: bool) -> None:
    assert bodymap.on_body(view, x, y) is inside


def test_on_body_rejects_unknown_view() -> None:
    with pytest.raises(ValueError, match="unknown view"):
        bodymap.on_body("elbow", 0, 0)


@pytest.mark.parametrize(
    ("view", "x", "y"),
    [("back", 11, 10), ("front", 19, 10), ("foot", 21, 7), ("shoulder", 22, 6)],
)
def test_draw_marks_the_given_cell(view: str, x: int, y: int) -> None:
    drawing = bodymap.draw(Figure(view=view, x=x, y=y))  # type: ignore[arg-type]
    assert drawing.mark == (x, y)
    assert drawing.title == bodymap.VIEWS[view][0]
    assert drawing.lines == bodymap.VIEWS[view][1]


@pytest.mark.parametrize(
    ("view", "x", "y", "message"),
    [
        ("elbow", 1, 1, "unknown view"),
        ("back", 99, 3, "off the"),
        ("back", 3, 40, "off the"),
        ("back", -1, 3, "off the"),
        ("back", 0, 0, "on a label"),
    ],
)
def test_draw_rejects_bad_figures(view: str, x: int, y: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bodymap.draw(Figure(view=view, x=x, y=y))  # type: ignore[arg-type]


@pytest.mark.parametrize(("view", "x", "y"), [("back", 0, 8), ("back", 15, 14), ("front", 25, 9)])
def test_cells_outside_the_outline_are_not_on_the_body(view: str, x: int, y: int) -> None:
    # draw() leaves this check to the data tests (it costs start-up time); on_body makes it.
    assert bodymap.on_body(view, x, y) is False


def _rows(text: str) -> list[str]:
    return text.split("\n")


@pytest.mark.parametrize(("x", "y"), [(11, 10), (11, 14), (10, 3)])
def test_to_text_puts_the_marker_on_the_cell_and_nowhere_else(x: int, y: int) -> None:
    drawing = bodymap.draw(Figure(view="back", x=x, y=y))
    rows = _rows(bodymap.to_text(drawing))
    assert rows[0] == drawing.title
    assert rows[-1] == "X marks the point"
    picture = rows[1:-1]
    assert len(picture) == len(drawing.lines)
    for row, (shown, original) in enumerate(zip(picture, drawing.lines, strict=True)):
        if row == y:
            assert shown[x] == "X"
            assert shown[:x] == original[:x]
            assert shown[x + 1 :] == original[x + 1 :].rstrip()
        else:
            assert shown == original
    assert sum(r.count("X") for r in picture) == 1


def test_to_text_custom_marker_and_no_title() -> None:
    drawing = bodymap.draw(Figure(view="hand", x=16, y=10))
    rows = _rows(bodymap.to_text(drawing, marker="*", title=False))
    assert rows[0] == drawing.lines[0]
    assert rows[10][16] == "*"
    assert rows[-1] == "* marks the point"


@pytest.mark.parametrize("marker", ["", "XX", " "])
def test_marker_must_be_one_visible_character(marker: str) -> None:
    drawing = bodymap.draw(Figure(view="hand", x=16, y=10))
    with pytest.raises(ValueError, match="marker"):
        bodymap.to_text(drawing, marker=marker)
    with pytest.raises(ValueError, match="marker"):
        bodymap.to_rich(drawing, marker=marker)


def test_to_rich_matches_text_and_styles_only_the_marker() -> None:
    drawing = bodymap.draw(Figure(view="leg-inner", x=9, y=14))
    text = bodymap.to_rich(drawing)
    plain_rows = _rows(bodymap.to_text(drawing, marker="●", title=False))[:-1]
    assert text.plain == "\n".join(plain_rows)
    offset = sum(len(r) + 1 for r in plain_rows[:14]) + 9
    styled = [(s.start, s.end, str(s.style)) for s in text.spans]
    assert styled == [(offset, offset + 1, "bold red")]
    assert text.plain[offset] == "●"


def test_import_does_not_load_rich() -> None:
    code = "import sys, hipguide.ui.bodymap; print('rich' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_right_side_mirrors_the_mark_on_whole_body_views(dataset) -> None:  # type: ignore[no-untyped-def]
    for point in dataset.points:
        left = bodymap.draw(point.figure, "left")
        right = bodymap.draw(point.figure, "right")
        if point.figure.view in bodymap.MIRROR_AXIS:
            axis = bodymap.MIRROR_AXIS[point.figure.view]
            assert left.mark[0] < axis if point.figure.view == "back" else left.mark[0] > axis
            assert right.mark == (2 * axis - left.mark[0], left.mark[1])
            assert bodymap.on_body(point.figure.view, *right.mark), point.code
        else:
            assert right.mark == left.mark
