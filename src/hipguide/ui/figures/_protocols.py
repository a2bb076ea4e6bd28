"""Terminal image protocols: Kitty graphics, iTerm2 inline images and Sixel.

Each function returns the escape sequence that draws one image; none of them asks
the terminal for anything (Kitty is told not to answer, ``q=2``), so a terminal that
ignores the sequence never leaves the program waiting for a reply.
"""

from __future__ import annotations

import binascii

from hipguide.ui.figures._record import Record

ESC = "\x1b"
ST = ESC + "\\"  # string terminator
BEL = "\x07"

#: Largest base64 payload of one Kitty graphics command.
KITTY_CHUNK = 4096


def _base64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def kitty(png: bytes, cols: int, rows: int, image_id: int | None = None) -> str:
    """Kitty graphics protocol: transmit and show a PNG over ``cols`` x ``rows`` cells,
    leaving the cursor where it was (``C=1``) and asking for no reply (``q=2``).

    The base64 payload goes in chunks of at most 4096 bytes, every chunk but the
    last marked ``m=1``. With ``image_id``, drawing again replaces the image."""
    payload = _base64(png)
    chunks = [payload[i : i + KITTY_CHUNK] for i in range(0, len(payload), KITTY_CHUNK)] or [""]
    ident = f",i={image_id}" if image_id is not None else ""
    head = f"a=T,f=100,t=d,q=2,C=1,c={cols},r={rows}{ident}"
    parts = []
    for index, chunk in enumerate(chunks):
        more = 1 if index < len(chunks) - 1 else 0
        keys = f"{head},m={more}" if index == 0 else f"m={more}"
        parts.append(f"{ESC}_G{keys};{chunk}{ST}")
    return "".join(parts)


def iterm(png: bytes, cols: int, rows: int, name: str = "") -> str:
    """iTerm2 inline image (also shown by WezTerm): a PNG over ``cols`` x ``rows`` cells."""
    label = f"name={_base64(name.encode())};" if name else ""
    return (
        f"{ESC}]1337;File=inline=1;{label}size={len(png)};width={cols};height={rows};"
        f"preserveAspectRatio=1:{_base64(png)}{BEL}"
    )


class Paletted(Record):
    """An image as palette indices, one byte a pixel, row after row."""

    width: int
    height: int
    palette: tuple[tuple[int, int, int], ...]
    indices: bytes


def quantise(png: bytes, colours: int = 64) -> Paletted:
    """The PNG reduced to at most ``colours`` colours (Pillow's median cut, no dither:
    a line drawing keeps clean edges)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as opened:
        image = opened.convert("RGB")
    reduced = image.quantize(
        colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    flat = reduced.getpalette() or []
    indices = reduced.tobytes()
    used = max(indices, default=0) + 1
    palette = tuple((flat[i * 3], flat[i * 3 + 1], flat[i * 3 + 2]) for i in range(used))
    return Paletted(reduced.width, reduced.height, palette, indices)


_SIXEL_CHARS = bytes(range(63, 127)) + b"?" * 192  # six bits -> the sixel character


def _compress(line: str) -> str:
    """Runs of four or more of one sixel character written as ``!count char``."""
    import re

    return re.sub(r"(.)\1{3,}", lambda run: f"!{len(run[0])}{run[1]}", line)


def _percent(value: int) -> int:
    return (value * 100 + 127) // 255


def sixel(image: Paletted) -> str:
    """Sixel: the paletted image as a DCS sequence (``ESC P q ... ESC \\``), band by band
    of six rows, each colour of a band painted in turn, runs compressed with ``!``."""
    width, height, palette, indices = image
    parts = [f"{ESC}P0;1;0q", f'"1;1;{width};{height}']
    for number, (r, g, b) in enumerate(palette):
        parts.append(f"#{number};2;{_percent(r)};{_percent(g)};{_percent(b)}")
    for top in range(0, height, 6):
        planes: dict[int, bytearray] = {}
        for dy in range(min(6, height - top)):
            bit = 1 << dy
            row = indices[(top + dy) * width : (top + dy + 1) * width]
            for x, colour in enumerate(row):
                plane = planes.get(colour)
                if plane is None:
                    plane = planes[colour] = bytearray(width)
                plane[x] |= bit
        painted = []
        for colour in sorted(planes):
            line = bytes(planes[colour]).translate(_SIXEL_CHARS).decode("ascii").rstrip("?")
            painted.append(f"#{colour}{_compress(line)}")
        parts.append("$".join(painted) + "-")
    parts.append(ST)
    return "".join(parts)
