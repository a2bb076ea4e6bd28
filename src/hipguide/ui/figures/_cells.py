"""Pictures made of characters: half-blocks in colour, braille dots, or plain ASCII.

Each starts from rasters drawn at exactly one pixel per dot (a braille or ASCII cell
is 2 x 4 dots, a half-block cell 1 x 2), so the drawing costs next to nothing:

- the *lines* come from the figure drawn with its fills painted white on white
  paper: the rasteriser's smoothing then leaves each pixel as dark as the share of it
  a line covers, so a line thinner than a dot still shows, and a pixel is "ink" when
  it is dark enough (:data:`INK_LEVEL`);
- the *colours* of half-blocks come from the figure drawn as it is.

The ink of a whole row of cells is worked out with a handful of operations on bytes
and integers, not a loop over pixels: the start-up budget of ``hipguide points`` has
room for very little Python per pixel.
"""

from __future__ import annotations

from functools import cache

from hipguide.ui.figures._modes import MARKER
from hipguide.ui.figures._raster import Raster
from hipguide.ui.figures._record import Record

RGB = tuple[int, int, int]

#: Dots of each kind of character: (columns, rows) per cell.
SUBCELLS = {"halfblocks": (1, 2), "braille": (2, 4), "ascii": (2, 4)}


#: A pixel of the line drawing whose green level is at most this is ink: a line of
#: the darkest colour (#4a3b33) covering a fifth of the pixel, or a lighter one
#: (the dashed bones, #8f7a6c) covering about a third. Green stands for brightness:
#: the figures' lines are browns and greys, whose green is within a few levels of
#: their luminance.
INK_LEVEL = 212
#: The darkest line colour, for telling how much of a pixel a line covers.
_LINE_LEVEL = 59


class Cell(Record):
    """One character cell of a half-block picture."""

    char: str
    fg: RGB | None
    bg: RGB | None


@cache
def _ink_table() -> bytes:
    """``bytes.translate`` table: a green level -> 1 for ink, 0 for paper."""
    return bytes(1 if level <= INK_LEVEL else 0 for level in range(256))


def ink_patterns(lines: Raster, cols: int, rows: int) -> list[bytes]:
    """For each row of cells, one byte per cell: its 2 x 4 dots of ink, row by row,
    bit 7 the top left dot and bit 0 the bottom right (``lines`` is the white-filled
    drawing, ``2 * cols`` x ``4 * rows`` pixels)."""
    width = lines.width
    if width != cols * 2 or lines.height != rows * 4:
        raise ValueError("the line drawing must have 2 x 4 pixels per cell")
    ink = lines.rgba[1::4].translate(_ink_table())  # one byte per pixel: 1 or 0
    out = []
    for row in range(rows):
        # Each byte of ``code`` collects one cell's dots; no byte ever exceeds 255,
        # so shifting the whole integer shifts every cell's byte on its own.
        code = 0
        for dy in range(4):
            start = (row * 4 + dy) * width
            line = ink[start : start + width]
            pair = int.from_bytes(line[0::2], "big") * 2 + int.from_bytes(line[1::2], "big")
            code = code * 4 + pair
        out.append(code.to_bytes(cols, "big"))
    return out


# Braille: dot bits by (x, y) within the 2 x 4 cell.
_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


@cache
def _braille_table() -> dict[int, str]:
    """``str.translate`` table: an ink pattern (as a code point 0-255) -> its braille."""
    table = {}
    for bits in range(256):
        code = 0
        for dy in range(4):
            for dx in range(2):
                if bits & (1 << (7 - (dy * 2 + dx))):
                    code |= _BRAILLE_BITS[dy][dx]
        table[bits] = chr(0x2800 + code) if code else " "
    return table


def _with_mark(line: str, row: int, mark: tuple[int, int] | None, marker: str) -> str:
    if mark is not None and mark[1] == row:
        col = mark[0]
        line = line[:col] + marker + line[col + 1 :]
    return line.rstrip()


def braille(lines: Raster, cols: int, rows: int, mark: tuple[int, int] | None) -> list[str]:
    """Rows of braille characters, a dot for each dot of ink."""
    table = _braille_table()
    return [
        _with_mark(patterns.decode("latin-1").translate(table), row, mark, MARKER["braille"])
        for row, patterns in enumerate(ink_patterns(lines, cols, rows))
    ]


def _pattern(*rows: str) -> int:
    bits = 0
    for char in "".join(rows):
        bits = (bits << 1) | (char == "#")
    return bits


#: ASCII characters and the 2 x 4 ink patterns they stand for (first match wins a tie).
_ASCII_SHAPES: tuple[tuple[str, tuple[str, str, str, str]], ...] = (
    ("|", ("#.", "#.", "#.", "#.")),
    ("|", (".#", ".#", ".#", ".#")),
    ("-", ("..", "##", "##", "..")),
    ("-", ("..", "##", "..", "..")),
    ("-", ("..", "..", "##", "..")),
    ("_", ("..", "..", "..", "##")),
    ("'", ("##", "..", "..", "..")),
    ("/", (".#", ".#", "#.", "#.")),
    ("/", ("..", ".#", "#.", "..")),
    ("\\", ("#.", "#.", ".#", ".#")),
    ("\\", ("..", "#.", ".#", "..")),
    ("(", (".#", "#.", "#.", ".#")),
    (")", ("#.", ".#", ".#", "#.")),
    (".", ("..", "..", "..", "#.")),
    (".", ("..", "..", "..", ".#")),
    ("'", ("#.", "..", "..", "..")),
    ("'", (".#", "..", "..", "..")),
    (":", ("#.", "..", "..", "#.")),
    ("=", ("##", "..", "##", "..")),
    ("#", ("##", "##", "##", "##")),
)


def best_ascii(bits: int) -> str:
    """The ASCII character whose shape (in :data:`_ASCII_SHAPES`) best fits a 2 x 4
    ink pattern: the fewest dots different, the first listed on a tie."""
    if not bits:
        return " "
    best, best_distance = " ", 9
    for char, rows in _ASCII_SHAPES:
        distance = bin(bits ^ _pattern(*rows)).count("1")
        if distance < best_distance:
            best, best_distance = char, distance
    return best


#: :func:`best_ascii` of every pattern 0-255, worked out ahead (working it out at run
#: time would cost more than drawing the picture); a test checks the two agree.
ASCII_TABLE = (
    b" .._-.._-.._-----.._||)|///_-|-|"
    b"-.._\\\\\\_|(||--||-----|-|--||----"
    b"'.._'|.|'(/_-|-|'|/|||||/|//||/|"
    b"'(._\\|\\|((|(-(|(-|-|||||-(//-|-#"
    b"'.:_'\\)_'.||--||'.)_)|))//||-|))"
    b"'\\||\\\\|\\|||||\\||--||-\\)\\||||--|#"
    b"'''_'|'|''||===='|'|||)|'|//=|/#"
    b"''||'\\|\\|(||=\\|#-||#||)#|(|#-###"
)


def ascii_art(lines: Raster, cols: int, rows: int, mark: tuple[int, int] | None) -> list[str]:
    """Rows of plain ASCII: each cell the character whose shape best fits its ink."""
    table = ASCII_TABLE
    return [
        _with_mark(patterns.translate(table).decode("ascii"), row, mark, MARKER["ascii"])
        for row, patterns in enumerate(ink_patterns(lines, cols, rows))
    ]


def _steps(r: int, g: int, b: int) -> RGB:
    """The colour rounded to steps of 8 levels: no eye tells them apart on a cell, and
    far fewer distinct colours make a shorter picture, drawn faster."""
    return min(255, (r + 4) & ~7), min(255, (g + 4) & ~7), min(255, (b + 4) & ~7)


def _line_colour(r: int, g: int, b: int) -> RGB:
    """The colour of the line under a pixel of the white-filled drawing: the pixel is
    that colour blended with white, by the share of it the line covers."""
    cover = min(1.0, max(0.25, (255 - g) / (255 - _LINE_LEVEL)))
    return (
        max(0, round(255 - (255 - r) / cover)),
        max(0, round(255 - (255 - g) / cover)),
        max(0, round(255 - (255 - b) / cover)),
    )


def halfblocks(
    colours: Raster, lines: Raster, cols: int, rows: int, mark: tuple[int, int] | None
) -> list[list[Cell]]:
    """Rows of half-block cells: the upper pixel in the foreground colour of ``▀``,
    the lower one in its background; ``mark`` is the (column, row) of the mark.

    ``colours`` is the figure as drawn on nothing (transparent where there is no
    body), ``lines`` the white-filled drawing on white; both ``cols`` x ``2 * rows``."""
    if (colours.width, colours.height) != (cols, rows * 2) or (lines.width, lines.height) != (
        cols,
        rows * 2,
    ):
        raise ValueError("half-blocks need one pixel per half cell")
    paint, ink = colours.rgba, lines.rgba

    def pixel(x: int, y: int) -> RGB | None:
        i = (y * cols + x) * 4
        green = ink[i + 1]
        if green <= INK_LEVEL:
            return _steps(*_line_colour(ink[i], green, ink[i + 2]))
        if paint[i + 3] < 128:
            return None
        return _steps(paint[i], paint[i + 1], paint[i + 2])

    out: list[list[Cell]] = []
    for row in range(rows):
        line: list[Cell] = []
        for col in range(cols):
            top, bottom = pixel(col, row * 2), pixel(col, row * 2 + 1)
            if mark == (col, row):
                line.append(Cell(MARKER["halfblocks"], None, bottom or top))
            elif top is None and bottom is None:
                line.append(Cell(" ", None, None))
            elif top is None:
                line.append(Cell("▄", bottom, None))
            else:
                line.append(Cell("▀", top, bottom))
        out.append(line)
    return out
