"""SVG to pixels: resvg renders, and a small PNG reader turns its output into RGBA rows.

resvg-py is imported only here, inside the functions, so a command that shows no
picture never loads it. Reading resvg's PNG back needs only ``zlib``: Pillow costs
tens of milliseconds to import, more than the whole point card may take, so it is
kept for the Sixel palette, where its quantiser earns that time.
"""

from __future__ import annotations

import struct
import zlib

from hipguide.ui.figures._record import Record

#: Fonts tried for the labels, in order; resvg falls back to any sans-serif it finds.
FONT_FAMILY = "DejaVu Sans"

#: Background of pictures shown as real images: paper white, as in a printed atlas.
PAPER = "#ffffff"


class Raster(Record):
    """An image as straight RGBA bytes, row after row."""

    width: int
    height: int
    rgba: bytes

    def pixel(self, x: int, y: int) -> tuple[int, int, int, int]:
        """The (r, g, b, a) of one pixel."""
        start = (y * self.width + x) * 4
        r, g, b, a = self.rgba[start : start + 4]
        return r, g, b, a


def render_png(svg: str, width: int, height: int, *, background: str | None = PAPER) -> bytes:
    """The SVG rasterised to exactly ``width`` x ``height`` pixels, as PNG bytes.

    The figure keeps its proportions: it is scaled to fit and centred (the SVG's
    own ``preserveAspectRatio``, ``xMidYMid meet``)."""
    import resvg_py

    sized = _set_size(svg, width, height)
    with_text = "<text" in sized
    data: bytes = resvg_py.svg_to_bytes(
        svg_string=sized,
        width=width,
        height=height,
        background=background,
        skip_system_fonts=not with_text,
        font_family=FONT_FAMILY,
    )
    return bytes(data)


def _set_size(svg: str, width: int, height: int) -> str:
    """The SVG with its outer width and height set, so resvg draws to that box."""
    import re

    head_end = svg.index(">", svg.index("<svg"))
    head = svg[: head_end + 1]
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    head = head.replace("<svg", f'<svg width="{width}" height="{height}"', 1)
    return head + svg[head_end + 1 :]


def render(svg: str, width: int, height: int, *, background: str | None = PAPER) -> Raster:
    """The SVG rasterised to ``width`` x ``height`` RGBA pixels."""
    return decode_png(render_png(svg, width, height, background=background))


def decode_png(data: bytes) -> Raster:
    """Read an 8-bit RGBA or RGB, non-interlaced PNG (what resvg writes) into a Raster."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    position = 8
    width = height = 0
    channels = 4
    compressed = bytearray()
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise ValueError("only 8-bit RGB or RGBA PNGs without interlacing are read")
            channels = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            compressed += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(bytes(compressed))
    stride = width * channels
    rows = _unfilter(raw, stride, height, channels)
    if channels == 3:
        rgba = bytearray(width * height * 4)
        rgba[0::4], rgba[1::4], rgba[2::4] = rows[0::3], rows[1::3], rows[2::3]
        rgba[3::4] = b"\xff" * (width * height)
        rows = rgba
    return Raster(width, height, bytes(rows))


def _add_bytes(a: int, b: int, low: int, high: int) -> int:
    """Bytewise ``(a + b) % 256`` of two rows held as integers (no carry between bytes)."""
    return ((a & low) + (b & low)) ^ ((a ^ b) & high)


def _unfilter(raw: bytes, stride: int, height: int, bpp: int) -> bytearray:
    """Undo PNG's per-row filters (None, Sub, Up, Average, Paeth).

    Up and Sub, the filters resvg writes most, are undone a whole row at a time on
    integers (Sub as a prefix sum in doubling steps); Average and Paeth depend on the
    byte just decoded and go byte by byte."""
    out = bytearray(stride * height)
    previous = bytearray(stride)
    low = int.from_bytes(b"\x7f" * stride, "big")
    high = int.from_bytes(b"\x80" * stride, "big")
    source = 0
    for row in range(height):
        kind = raw[source]
        line = bytearray(raw[source + 1 : source + 1 + stride])
        source += 1 + stride
        if kind == 1:
            value = int.from_bytes(line, "big")
            shift = bpp
            while shift < stride:
                # Add the row to itself moved right by ``shift`` bytes (towards the end).
                value = _add_bytes(value, value >> (8 * shift), low, high)
                shift *= 2
            line = bytearray(value.to_bytes(stride, "big"))
        elif kind == 2:
            value = _add_bytes(
                int.from_bytes(line, "big"), int.from_bytes(previous, "big"), low, high
            )
            line = bytearray(value.to_bytes(stride, "big"))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(bpp):  # the first pixel: its left and upper-left are 0
                line[i] = (line[i] + previous[i]) & 0xFF
            for i in range(bpp, stride):
                a, b, c = line[i - bpp], previous[i], previous[i - bpp]
                pa, pb, pc = b - c, a - c, a + b - c - c  # |p - a|, |p - b|, |p - c|
                pa, pb, pc = (
                    (pa if pa >= 0 else -pa),
                    (pb if pb >= 0 else -pb),
                    (pc if pc >= 0 else -pc),
                )
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + predictor) & 0xFF
        elif kind != 0:
            raise ValueError(f"unknown PNG filter {kind}")
        out[row * stride : (row + 1) * stride] = line
        previous = line
    return out
