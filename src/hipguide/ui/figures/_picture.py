"""The picture of a point as a Rich renderable, and as a file.

:class:`Picture` fits the room it is given (columns and rows, its caption
included) and draws the figure in the rendering chosen for the terminal. The
drawing is cached, so a screen that refreshes several times a second draws each
picture once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from hipguide.ui.figures import _svg
from hipguide.ui.figures._modes import MARKER, PICTURE_MODES, Rendering
from hipguide.ui.figures._record import Record

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement
    from rich.segment import Segment

#: Rows a picture takes when neither the caller nor the console sets a height.
DEFAULT_ROWS = 20
#: Fewer rows than this for the drawing and the picture is left out (the caption stays).
MIN_ROWS = 4
#: A picture wider than the figure's box is cut around the mark, but shows at least
#: this share of the figure's height (1 / MAX_ZOOM).
MAX_ZOOM = 1.6
#: Pixels drawn per cell for Kitty and iTerm2 (the terminal scales the image to the
#: cells it is given) and for Sixel (which is drawn pixel for pixel: a cell of most
#: terminals is at least this big, so the image never needs more rows than planned).
IMAGE_CELL = (10, 20)
SIXEL_CELL = (8, 16)
#: Characters draw coarsely, so a character picture in a wide box may come this much
#: closer (an image shows the landmark names, and keeps to :data:`MAX_ZOOM`).
CELLS_ZOOM = 3.0
#: How wide the outline of a character picture is, in dots: a half-block is one dot of
#: a cell, so its lines need the whole dot; braille and ASCII have 2 x 4 dots a cell.
LINE_WEIGHT = {"halfblocks": 0.5, "braille": 0.5, "ascii": 0.5}
#: Below this width in pixels the landmark names are too small to read and are left out.
LABEL_MIN_PIXELS = 300

_RENDERINGS: frozenset[str] = frozenset(
    ("kitty", "iterm", "sixel", "halfblocks", "braille", "ascii", "none")
)


class Layout(Record):
    """How a figure fills a box of cells: its size in cells, the part of the figure
    shown (x, y, width, height in viewBox units) and the cell of the mark."""

    cols: int
    rows: int
    window: tuple[float, float, float, float]
    mark_cell: tuple[int, int]


def fit(
    frame: tuple[float, float, float, float],
    mark: tuple[float, float],
    max_cols: int,
    max_rows: int,
    max_zoom: float = MAX_ZOOM,
) -> Layout:
    """The largest picture of ``frame`` (x, y, width, height of the figure to show, in
    viewBox units) within ``max_cols`` x ``max_rows`` cells, a cell being twice as tall
    as wide. A box wider than the frame shows the part around the mark, at most
    ``max_zoom`` times closer than the whole frame."""
    fx, fy, width, height = frame
    aspect = height / width
    box = 2 * max_rows / max_cols
    if box >= aspect:
        cols = max_cols
        rows = max(1, min(max_rows, math.ceil(max_cols * aspect / 2)))
        window_w = width
    else:
        window_h = max(width * box, height / max_zoom)
        window_w = min(width, window_h / box)
        rows = max_rows
        cols = max(1, min(max_cols, math.floor(2 * max_rows * window_w / window_h)))
    window_h = min(height, window_w * 2 * rows / cols)
    window_w = min(width, window_h * cols / (2 * rows))
    mx, my = mark
    x0 = min(max(mx - window_w / 2, fx), fx + width - window_w)
    y0 = min(max(my - window_h / 2, fy), fy + height - window_h)
    col = min(cols - 1, max(0, math.floor((mx - x0) / window_w * cols)))
    row = min(rows - 1, max(0, math.floor((my - y0) / window_h * rows)))
    return Layout(cols, rows, (x0, y0, window_w, window_h), (col, row))


def _windowed(svg: str, window: tuple[float, float, float, float]) -> str:
    """The SVG showing only ``window`` of its viewBox."""
    import re

    x, y, w, h = (_svg._number(v) for v in window)
    return re.sub(r'viewBox="[^"]*"', f'viewBox="{x} {y} {w} {h}"', svg, count=1)


# --- drawing, cached ---------------------------------------------------------------------


RGB = tuple[int, int, int]


class Drawn(Record):
    """A finished picture: text rows (cell pictures: each row a run of (text,
    foreground, background)) or one escape sequence (images)."""

    rows: int
    cols: int
    lines: tuple[tuple[tuple[str, RGB | None, RGB | None], ...], ...]
    sequence: str


@lru_cache(maxsize=32)
def draw(
    view: str,
    x: float,
    y: float,
    side: str | None,
    code: str | None,
    rendering: Rendering,
    max_cols: int,
    max_rows: int,
) -> Drawn:
    """The picture of a point drawn in ``rendering`` within ``max_cols`` x ``max_rows``."""
    from hipguide.ui.figures import _cells, _protocols, _raster

    mark = _svg.mark_position(view, x, y, side)
    size = _svg.viewbox(mark.view)
    if rendering in ("halfblocks", "braille", "ascii"):
        # Characters show no words (and drawing none spares loading the fonts), so
        # the margins kept for the names are left out too.
        plain = _svg.without_text(_svg.marked_svg(view, x, y, side, labels=False, mark=False))
        layout = fit(_svg.body_box(plain), (mark.x, mark.y), max_cols, max_rows, CELLS_ZOOM)
        cols, rows = layout.cols, layout.rows
        sub_x, sub_y = _cells.SUBCELLS[rendering]
        svg = _windowed(plain, layout.window)
        dot = max(layout.window[2] / (cols * sub_x), layout.window[3] / (rows * sub_y))
        weight = LINE_WEIGHT[rendering]
        ink = _raster.render(_svg.line_drawing(svg, dot, weight), cols * sub_x, rows * sub_y)
        lines: tuple[tuple[tuple[str, RGB | None, RGB | None], ...], ...]
        if rendering == "halfblocks":
            colours = _raster.render(svg, cols, rows * 2, background=None)
            grid = _cells.halfblocks(colours, ink, cols, rows, layout.mark_cell)
            lines = tuple(tuple((c.char, c.fg, c.bg) for c in line) for line in grid)
        else:
            maker = _cells.braille if rendering == "braille" else _cells.ascii_art
            text_lines = maker(ink, cols, rows, layout.mark_cell)
            lines = tuple(((line, None, None),) for line in text_lines)
        return Drawn(rows, cols, lines, "")
    layout = fit((0.0, 0.0, *size), (mark.x, mark.y), max_cols, max_rows)
    cols, rows = layout.cols, layout.rows
    cell_w, cell_h = SIXEL_CELL if rendering == "sixel" else IMAGE_CELL
    px_w, px_h = cols * cell_w, rows * cell_h
    labels = px_w * size[0] / layout.window[2] >= LABEL_MIN_PIXELS
    svg = _windowed(_svg.marked_svg(view, x, y, side, code, labels=labels), layout.window)
    png = _raster.render_png(svg, px_w, px_h)
    if rendering == "kitty":
        import zlib

        sequence = _protocols.kitty(png, cols, rows, image_id=zlib.crc32(png) % 0xFFFFFF + 1)
    elif rendering == "iterm":
        sequence = _protocols.iterm(png, cols, rows, name=f"{code or view}.png")
    else:
        sequence = _protocols.sixel(_protocols.quantise(png))
    return Drawn(rows, cols, (), sequence)


@lru_cache(maxsize=32)
def drawing(
    view: str,
    x: float,
    y: float,
    side: str | None,
    code: str | None,
    rendering: Rendering,
    max_cols: int,
    max_rows: int,
) -> Drawn:
    """:func:`draw`, kept between runs in the user's cache folder (:mod:`._store`): a
    picture shown again at the same size is read back, not drawn."""
    from hipguide.ui.figures import _store

    try:
        key = _store.key(view, x, y, side, code, rendering, max_cols, max_rows)
    except OSError:  # a figure file cannot be read: draw it and report that
        return draw(view, x, y, side, code, rendering, max_cols, max_rows)
    found = _store.load(key, rendering, max_cols, max_rows)
    if found is not None:
        return found
    drawn = draw(view, x, y, side, code, rendering, max_cols, max_rows)
    _store.save(key, drawn)
    return drawn


# --- the renderable ------------------------------------------------------------------------


class Picture:
    """A point's picture for Rich: ``Picture("body-back", 190, 324, "left", code="GB30")``.

    ``mode`` is a ``--pictures`` value (``auto`` is decided from the console it is
    printed on and ``env``) or a rendering already chosen by
    :func:`~hipguide.ui.figures.resolve_mode`. ``max_width`` / ``max_height`` cap the
    cells it takes, caption included (the console's own width and height cap them
    too); when fewer than :data:`MIN_ROWS` rows are left for the drawing, only the
    caption is shown. Images (Kitty, iTerm2, Sixel) are placed at the left edge of the
    line they start on: print them at the top level, not inside a panel.
    """

    def __init__(
        self,
        view: str,
        x: float,
        y: float,
        side: str | None = None,
        *,
        code: str | None = None,
        mode: str = "auto",
        max_width: int | None = None,
        max_height: int | None = None,
        caption: str | bool = True,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if mode not in PICTURE_MODES and mode not in _RENDERINGS:
            raise ValueError(f"picture mode must be one of {', '.join(PICTURE_MODES)}")
        _svg.mark_position(view, x, y, side)  # refuse a bad figure now, not while printing
        self.view, self.x, self.y, self.side, self.code = view, x, y, side, code
        self.mode = mode
        self.max_width, self.max_height = max_width, max_height
        self.caption = caption
        self.env = env

    def rendering(self, console: Console) -> Rendering:
        """What this picture draws on ``console``: on an output that is not a terminal
        (a file, a pipe) ASCII whatever the mode, unless the mode is ``none``."""
        if self.mode in _RENDERINGS and self.mode not in ("blocks", "auto"):
            chosen: Rendering = self.mode  # type: ignore[assignment]
        else:
            from hipguide.ui.figures._modes import resolve_mode

            chosen = resolve_mode(self.mode, console=console, env=self.env)
        if not console.is_terminal and chosen != "none":
            return "ascii"
        return chosen

    def caption_text(self, rendering: Rendering) -> str:
        """The words under the picture (or in its place)."""
        if isinstance(self.caption, str):
            return self.caption
        marker = MARKER.get(rendering)
        if rendering in ("kitty", "iterm", "sixel"):
            marker = "a red ring"
        return _svg.describe(self.view, self.side, self.code, marker=marker)

    def _budget(self, options: ConsoleOptions) -> tuple[int, int]:
        width = (
            options.max_width if self.max_width is None else min(self.max_width, options.max_width)
        )
        limits = [h for h in (self.max_height, options.height) if h is not None]
        height = min(limits) if limits else DEFAULT_ROWS
        return max(0, width), max(0, height)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment
        from rich.text import Text

        width, height = self._budget(options)
        if width <= 0 or height <= 0:
            return
        rendering = self.rendering(console)
        caption_lines: list[Text] = []
        if self.caption is not False:
            words = Text(self.caption_text(rendering))
            caption_lines = list(words.wrap(console, width))
        room = height - len(caption_lines)
        if rendering == "none" or room < MIN_ROWS:
            for line in caption_lines[:height]:
                yield from line.render(console)
                yield Segment.line()
            return
        try:
            drawn = drawing(self.view, self.x, self.y, self.side, self.code, rendering, width, room)
        except ImportError:  # the rasteriser is missing: words only
            for line in caption_lines[:height]:
                yield from line.render(console)
                yield Segment.line()
            return
        yield from self._segments(drawn)
        for line in caption_lines:
            yield from line.render(console)
            yield Segment.line()

    def _segments(self, drawn: Drawn) -> Iterator[Segment]:
        from rich.color import Color
        from rich.segment import Segment
        from rich.style import Style

        if drawn.sequence:
            yield from _image_segments(drawn)
            return
        mark_style = Style(color="red", bold=True)
        styles: dict[tuple[RGB | None, RGB | None], Style | None] = {(None, None): None}
        for line in drawn.lines:
            for char, fg, bg in line:
                style: Style | None
                if char in ("●", "@"):
                    style = mark_style + Style(bgcolor=Color.from_rgb(*bg)) if bg else mark_style
                elif (fg, bg) in styles:
                    style = styles[fg, bg]
                else:
                    style = styles[fg, bg] = Style(
                        color=Color.from_rgb(*fg) if fg else None,
                        bgcolor=Color.from_rgb(*bg) if bg else None,
                    )
                yield Segment(char, style)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        width, _ = self._budget(options)
        return Measurement(min(width, 20), width)


def _image_segments(drawn: Drawn) -> Iterator[Segment]:
    """Blank rows that reserve the image's cells, then (as zero-width control text that
    Rich writes only to a terminal) a jump back up to draw the image over them."""
    from rich.segment import ControlType, Segment

    blank = " " * drawn.cols
    for _ in range(drawn.rows):
        yield Segment(blank)
        yield Segment.line()
    control = [(ControlType.CURSOR_UP, drawn.rows)]
    yield Segment(f"\x1b7\x1b[{drawn.rows}A\r{drawn.sequence}\x1b8", None, control)


# --- files ---------------------------------------------------------------------------------


def write_picture(
    path: str | Path,
    view: str,
    x: float,
    y: float,
    side: str | None = None,
    code: str | None = None,
    *,
    width: int = 600,
) -> Path:
    """Write the point's picture to ``path``: a ``.png`` (``width`` pixels wide) or an
    ``.svg``, as a new file readable by its owner alone (0600). ValueError for any other
    kind of file; FileExistsError, the thing left unopened, when anything (a file, a
    link, a named pipe, a device) is at ``path`` already."""
    from pathlib import Path

    from hipguide.ui.html import create_private

    target = Path(path)
    kind = target.suffix.lower()
    if kind not in (".png", ".svg"):
        raise ValueError(f"a picture is written as .png or .svg, not {target.name!r}")
    svg = _svg.marked_svg(view, x, y, side, code)
    if kind == ".svg":
        create_private(target, svg.encode("utf-8"))
        return target
    from hipguide.ui.figures._raster import render_png

    figure_w, figure_h = _svg.viewbox(_svg.mark_position(view, x, y, side).view)
    create_private(target, render_png(svg, width, round(width * figure_h / figure_w)))
    return target
