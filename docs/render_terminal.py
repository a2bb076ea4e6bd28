"""Draw what a terminal shows for some output, as a PNG: the pictures of the README.

Reads what a program wrote to a terminal (or a ``tmux capture-pane -p -e`` of it) and
plays it on a small screen model: text with SGR colours and weight, half-blocks and
braille drawn as shapes (so they join as in a terminal), other characters in a
monospaced font (a CJK font, where one is installed, for the Chinese names), the
cursor moves hipguide uses around an image (save, up, carriage return, restore), and
Kitty graphics images placed over the cells they were given, as Kitty draws them.

    python docs/render_terminal.py OUTPUT.txt OUT.png [--columns 80]

A development tool: nothing in hipguide imports it.
"""

from __future__ import annotations

import argparse
import base64
import io
import re
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

#: One cell, in pixels: the size hipguide draws Kitty images for.
CELL_W, CELL_H = 10, 20
FOREGROUND = (220, 220, 220)
BACKGROUND = (30, 30, 34)
#: The xterm colours 0-15.
BASIC = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
    (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
    (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
]  # fmt: skip
FONTS = {
    "regular": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "bold": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
}
CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
TOKEN = re.compile(
    r"\x1b_G(?P<kitty_keys>[^;\x1b]*);(?P<kitty_data>[^\x1b]*)\x1b\\"
    r"|\x1b\[(?P<csi>[0-9;?]*)(?P<final>[A-Za-z])"
    r"|\x1b(?P<esc>[78])"
    r"|\x1b\][^\x07]*\x07"
    r"|\x1bP[^\x1b]*\x1b\\"
    r"|(?P<text>[^\x1b]+)"
    r"|\x1b"
)


def _colour_256(n: int) -> tuple[int, int, int]:
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        steps = (0, 95, 135, 175, 215, 255)
        return steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
    level = 8 + (n - 232) * 10
    return level, level, level


class Screen:
    """Cells, a cursor and the images placed on them."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.rows: list[list[tuple[str, tuple, tuple, bool]]] = [[]]
        self.row = self.col = 0
        self.saved = (0, 0)
        self.fg: tuple[int, int, int] | None = None
        self.bg: tuple[int, int, int] | None = None
        self.bold = self.dim = False
        self.images: list[tuple[int, int, int, int, bytes]] = []
        self._chunks: list[str] = []
        self._keys: dict[str, str] = {}

    def _put(self, char: str) -> None:
        while len(self.rows) <= self.row:
            self.rows.append([])
        line = self.rows[self.row]
        while len(line) <= self.col:
            line.append((" ", FOREGROUND, BACKGROUND, False))
        fg = self.fg or FOREGROUND
        if self.dim:
            fg = tuple((c + b) // 2 for c, b in zip(fg, BACKGROUND, strict=True))
        line[self.col] = (char, fg, self.bg or BACKGROUND, self.bold)
        self.col += 1
        if char and unicodedata.east_asian_width(char) in "WF":
            self._put("")

    def text(self, text: str) -> None:
        for char in text:
            if char == "\n":
                self.row, self.col = self.row + 1, 0
            elif char == "\r":
                self.col = 0
            elif char >= " ":
                if self.col >= self.columns:
                    self.row, self.col = self.row + 1, 0
                self._put(char)

    def sgr(self, codes: list[int]) -> None:
        i = 0
        while i < len(codes):
            code = codes[i]
            if code == 0:
                self.fg = self.bg = None
                self.bold = self.dim = False
            elif code == 1:
                self.bold = True
            elif code == 2:
                self.dim = True
            elif code == 22:
                self.bold = self.dim = False
            elif 30 <= code <= 37:
                self.fg = BASIC[code - 30]
            elif 90 <= code <= 97:
                self.fg = BASIC[code - 90 + 8]
            elif 40 <= code <= 47:
                self.bg = BASIC[code - 40]
            elif 100 <= code <= 107:
                self.bg = BASIC[code - 100 + 8]
            elif code == 39:
                self.fg = None
            elif code == 49:
                self.bg = None
            elif code in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    colour = _colour_256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    colour = (codes[i + 2], codes[i + 3], codes[i + 4])
                    i += 4
                else:
                    break
                if code == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            i += 1

    def kitty(self, keys: str, data: str) -> None:
        fields = dict(pair.split("=", 1) for pair in keys.split(",") if "=" in pair)
        if not self._chunks:
            self._keys = fields
        self._chunks.append(data)
        if fields.get("m", "0") == "1":
            return
        png = base64.b64decode("".join(self._chunks))
        cols, rows = int(self._keys.get("c", 0)), int(self._keys.get("r", 0))
        self.images.append((self.row, self.col, cols, rows, png))
        self._chunks = []

    def play(self, output: str) -> None:
        for token in TOKEN.finditer(output):
            if token["text"] is not None:
                self.text(token["text"])
            elif token["kitty_keys"] is not None:
                self.kitty(token["kitty_keys"], token["kitty_data"])
            elif token["final"] == "m":
                self.sgr([int(c) for c in token["csi"].split(";") if c.isdigit()] or [0])
            elif token["final"] == "A":
                self.row = max(0, self.row - int(token["csi"] or 1))
            elif token["esc"] == "7":
                self.saved = (self.row, self.col)
            elif token["esc"] == "8":
                self.row, self.col = self.saved


def render(output: str, columns: int, padding: int = 12) -> Image.Image:
    """The output as a terminal window of ``columns`` would show it."""
    screen = Screen(columns)
    screen.play(output)
    rows = screen.rows
    while rows and not any(ch.strip() for ch, *_ in rows[-1]):
        rows.pop()
    width, height = columns * CELL_W + 2 * padding, len(rows) * CELL_H + 2 * padding
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    fonts = {kind: ImageFont.truetype(path, 16) for kind, path in FONTS.items()}
    cjk_path = next((p for p in CJK_FONTS if Path(p).exists()), None)
    cjk = ImageFont.truetype(cjk_path, 17) if cjk_path else fonts["regular"]
    for r, row in enumerate(rows):  # backgrounds first: a wide character spans two cells
        for c, (_, _, bg, _) in enumerate(row):
            x, y = padding + c * CELL_W, padding + r * CELL_H
            draw.rectangle((x, y, x + CELL_W - 1, y + CELL_H - 1), fill=bg)
    for r, row in enumerate(rows):
        for c, (char, fg, _, bold) in enumerate(row):
            x, y = padding + c * CELL_W, padding + r * CELL_H
            if char in ("", " "):
                continue
            if char == "▀":
                draw.rectangle((x, y, x + CELL_W - 1, y + CELL_H // 2 - 1), fill=fg)
            elif char == "▄":
                draw.rectangle((x, y + CELL_H // 2, x + CELL_W - 1, y + CELL_H - 1), fill=fg)
            elif 0x2800 <= ord(char) <= 0x28FF:
                bits = ord(char) - 0x2800
                dots = ((0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3))
                for bit, (dx, dy) in enumerate(dots):
                    if bits & (1 << bit):
                        cx, cy = x + 3 + dx * 4, y + 3 + dy * 4
                        draw.ellipse((cx - 1, cy - 1, cx + 1, cy + 1), fill=fg)
            else:
                wide = unicodedata.east_asian_width(char) in "WF"
                font = cjk if wide else fonts["bold" if bold else "regular"]
                draw.text((x, y + 1), char, font=font, fill=fg)
    for r, c, cols, rows_taken, png in screen.images:
        with Image.open(io.BytesIO(png)) as picture:
            box = (cols * CELL_W, rows_taken * CELL_H)
            fitted = picture.convert("RGB")
            fitted.thumbnail(box)
            image.paste(fitted, (padding + c * CELL_W, padding + r * CELL_H))
    return image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--columns", type=int, default=80)
    args = parser.parse_args()
    output = args.output.read_bytes().decode("utf-8")  # as written: a "\r" stays a "\r"
    render(output, args.columns).save(args.png)


if __name__ == "__main__":
    main()
