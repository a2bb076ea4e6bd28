"""Pictures made of characters: half-blocks in colour, braille dots, or plain ASCII.

Each starts from a raster drawn a few times finer than the cells and samples it:
a line of the drawing that is thinner than a cell still shows, because a cell is
"ink" when enough of its pixels are dark, not only when their average is.
"""

from __future__ import annotations

from typing import NamedTuple

from hipguide.ui.figures._raster import Raster

RGB = tuple[int, int, int]

#: Sub-cells of each kind of character: (columns, rows) per cell.
SUBCELLS = {"halfblocks": (1, 2), "braille": (2, 4), "ascii": (2, 4)}

#: The character of the mark in each kind of picture.
MARKER = {"halfblocks": "●", "braille": "●", "ascii": "@"}

_INK_LUMINANCE = 150  # a pixel darker than this is a line, not skin or paper
_INK_SHARE = 0.2  # a sub-cell with this share of dark pixels is drawn as a line


class Cell(NamedTuple):
    """One character cell of a half-block picture."""

    char: str
    fg: RGB | None
    bg: RGB | None


def _luminance(r: int, g: int, b: int) -> int:
    return (299 * r + 587 * g + 114 * b) // 1000


def _sample(raster: Raster, cols: int, rows: int) -> list[list[tuple[RGB | None, bool]]]:
    """The raster cut into ``cols`` x ``rows`` blocks: each block's colour (None where
    it is mostly transparent) and whether it is ink."""
    bw = raster.width / cols
    bh = raster.height / rows
    data = raster.rgba
    width = raster.width
    out: list[list[tuple[RGB | None, bool]]] = []
    for row in range(rows):
        y0, y1 = int(row * bh), max(int((row + 1) * bh), int(row * bh) + 1)
        line: list[tuple[RGB | None, bool]] = []
        for col in range(cols):
            x0, x1 = int(col * bw), max(int((col + 1) * bw), int(col * bw) + 1)
            total = opaque = dark = 0
            sr = sg = sb = dr = dg = db = 0
            for y in range(y0, y1):
                base = y * width * 4
                for x in range(x0, x1):
                    i = base + x * 4
                    r, g, b, a = data[i], data[i + 1], data[i + 2], data[i + 3]
                    total += 1
                    if a < 128:
                        continue
                    opaque += 1
                    sr += r
                    sg += g
                    sb += b
                    if _luminance(r, g, b) < _INK_LUMINANCE:
                        dark += 1
                        dr += r
                        dg += g
                        db += b
            ink = total > 0 and dark / total >= _INK_SHARE
            colour: RGB | None
            if ink:
                colour = (dr // dark, dg // dark, db // dark)
            elif opaque * 2 >= total and opaque:
                colour = (sr // opaque, sg // opaque, sb // opaque)
            else:
                colour = None
            line.append((colour, ink))
        out.append(line)
    return out


def halfblocks(
    raster: Raster, cols: int, rows: int, mark: tuple[int, int] | None
) -> list[list[Cell]]:
    """Rows of half-block cells: the upper pixel in the foreground colour of ``▀``,
    the lower one in its background; ``mark`` is the (column, row) of the mark."""
    grid = _sample(raster, cols, rows * 2)
    lines: list[list[Cell]] = []
    for row in range(rows):
        upper, lower = grid[row * 2], grid[row * 2 + 1]
        line: list[Cell] = []
        for col in range(cols):
            top, bottom = upper[col][0], lower[col][0]
            if mark == (col, row):
                line.append(Cell(MARKER["halfblocks"], None, bottom or top))
            elif top is None and bottom is None:
                line.append(Cell(" ", None, None))
            elif top is None:
                line.append(Cell("▄", bottom, None))
            else:
                line.append(Cell("▀", top, bottom))
        lines.append(line)
    return lines


# Braille: dot bits by (x, y) within the 2 x 4 cell.
_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


def _ink_bits(raster: Raster, cols: int, rows: int) -> list[list[int]]:
    """For each cell, the 2 x 4 ink pattern as 8 bits, row by row (bit 7 top left)."""
    grid = _sample(raster, cols * 2, rows * 4)
    cells: list[list[int]] = []
    for row in range(rows):
        line = []
        for col in range(cols):
            bits = 0
            for dy in range(4):
                for dx in range(2):
                    bits <<= 1
                    if grid[row * 4 + dy][col * 2 + dx][1]:
                        bits |= 1
            line.append(bits)
        cells.append(line)
    return cells


def braille(raster: Raster, cols: int, rows: int, mark: tuple[int, int] | None) -> list[str]:
    """Rows of braille characters, a dot for each inked sub-cell."""
    lines = []
    for row, cells in enumerate(_ink_bits(raster, cols, rows)):
        chars = []
        for col, bits in enumerate(cells):
            if mark == (col, row):
                chars.append(MARKER["braille"])
                continue
            code = 0
            for dy in range(4):
                for dx in range(2):
                    if bits & (1 << (7 - (dy * 2 + dx))):
                        code |= _BRAILLE_BITS[dy][dx]
            chars.append(chr(0x2800 + code) if code else " ")
        lines.append("".join(chars).rstrip())
    return lines


def _pattern(*rows: str) -> int:
    bits = 0
    for char in "".join(rows):
        bits = (bits << 1) | (char == "#")
    return bits


#: ASCII characters and the 2 x 4 ink patterns they stand for (first match wins a tie).
_ASCII_SHAPES: tuple[tuple[str, int], ...] = tuple(
    (char, _pattern(*rows))
    for char, rows in (
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
)


def _ascii_char(bits: int) -> str:
    if not bits:
        return " "
    best, best_distance = " ", 9
    for char, shape in _ASCII_SHAPES:
        distance = (bits ^ shape).bit_count()
        if distance < best_distance:
            best, best_distance = char, distance
    return best


def ascii_art(raster: Raster, cols: int, rows: int, mark: tuple[int, int] | None) -> list[str]:
    """Rows of plain ASCII: each cell the character whose shape best fits its ink."""
    lines = []
    for row, cells in enumerate(_ink_bits(raster, cols, rows)):
        chars = [
            MARKER["ascii"] if mark == (col, row) else _ascii_char(bits)
            for col, bits in enumerate(cells)
        ]
        lines.append("".join(chars).rstrip())
    return lines
