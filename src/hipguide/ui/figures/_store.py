"""Drawn pictures, kept between runs in the user's cache folder.

Drawing a picture means rasterising its figure (and for Sixel, reducing its colours),
which costs more than all the rest of a point card; a card shown again at the same
size is read back from ``pictures/`` in the cache folder instead. Each file is plain
JSON (never code), written and read through :mod:`hipguide.cachefile` (private
folder, no links followed, key and checksum checked), and every value read back is
checked before it reaches the terminal: cell pictures hold only the characters their
kind draws and colours in range, images only their protocol's escape sequence, whose
payload is base64 or Sixel data and can hold no other control code. A file that fails
any check is ignored and drawn again. At most :data:`MAX_FILES` pictures are kept; the
oldest go first.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import stat
import zlib
from typing import Any

from hipguide.ui.figures._picture import Drawn

#: Bump when the stored form or the drawing changes.
FORMAT = 1
#: A picture file larger than this is not ours (a Sixel image of a wide terminal is
#: the largest, about a megabyte).
MAX_BYTES = 4_000_000
#: Pictures kept; a new one beyond this removes the oldest.
MAX_FILES = 64
_NAME = r"[0-9a-f]{8}\.cache"

#: What an image's escape sequence must look like, whole, for each protocol.
_SEQUENCES = {
    "kitty": r"(?:\x1b_G[a-zA-Z0-9=,]+;[A-Za-z0-9+/=]*\x1b\\)+",
    "iterm": r"\x1b\]1337;File=[A-Za-z0-9+/=;]*:[A-Za-z0-9+/=]*\x07",
    "sixel": r'\x1bP0;1;0q"1;1;[0-9]+;[0-9]+[0-9;#!$?-~-]*\x1b\\',
}
#: The characters each kind of cell picture may hold.
_CHARS = {
    "halfblocks": frozenset(" ▀▄●"),
    "braille": frozenset([" ", "●", *map(chr, range(0x2800, 0x2900))]),
    "ascii": frozenset(map(chr, range(0x20, 0x7F))),
}


def folder() -> str:
    """The folder the drawn pictures are kept in."""
    from hipguide.config import cache_folder

    return os.path.join(cache_folder(), "pictures")


def key(
    view: str,
    x: float,
    y: float,
    side: str | None,
    code: str | None,
    rendering: str,
    max_cols: int,
    max_rows: int,
) -> str:
    """The key a stored picture must match: the version, the figures in use (every
    figure file's size and time) and everything the drawing depends on."""
    from hipguide import __version__
    from hipguide.dataset._figures import figure_names
    from hipguide.ui.figures._svg import figures_folder

    figures = figures_folder()
    parts = [f"hipguide {__version__} pictures {FORMAT}", os.path.abspath(figures)]
    for name in figure_names(os.path.dirname(figures)):
        info = os.stat(os.path.join(figures, name))
        parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    parts.append(repr((view, x, y, side, code, rendering, max_cols, max_rows)))
    return "|".join(parts)


def _path(picture_key: str) -> str:
    return os.path.join(folder(), f"{zlib.crc32(picture_key.encode('utf-8')):08x}.cache")


def load(picture_key: str, rendering: str, max_cols: int, max_rows: int) -> Drawn | None:
    """The picture stored under ``picture_key``, checked; None when there is none fit
    to show."""
    from hipguide import cachefile

    try:
        body = cachefile.read(_path(picture_key), picture_key, MAX_BYTES)
        if body is None:
            return None
        return _checked(marshal.loads(body), rendering, max_cols, max_rows)
    except Exception:  # anything amiss: draw it again
        return None


def _colour(value: Any) -> tuple[int, int, int] | None:
    if value is None:
        return None
    if (
        type(value) in (list, tuple)
        and len(value) == 3
        and all(type(v) is int and 0 <= v <= 255 for v in value)
    ):
        return value[0], value[1], value[2]
    raise ValueError("not a colour")


def _checked(document: Any, rendering: str, max_cols: int, max_rows: int) -> Drawn | None:
    """The stored picture as a :class:`Drawn` if every part of it is what this
    rendering draws, else None."""
    rows, cols = document["rows"], document["cols"]
    lines, sequence = document["lines"], document["sequence"]
    if not (type(rows) is int and type(cols) is int and type(sequence) is str):
        return None
    if not (1 <= rows <= max_rows and 1 <= cols <= max_cols) or type(lines) not in (list, tuple):
        return None
    if rendering in _SEQUENCES:
        if lines or re.fullmatch(_SEQUENCES[rendering], sequence) is None:
            return None
        return Drawn(rows, cols, (), sequence)
    allowed = _CHARS.get(rendering)
    if allowed is None or sequence or len(lines) != rows:
        return None
    checked = []
    for line in lines:
        runs = []
        width = 0
        for text, fg, bg in line:
            if type(text) is not str or not allowed.issuperset(text):
                return None
            width += len(text)
            runs.append((text, _colour(fg), _colour(bg)))
        if width > cols:
            return None
        checked.append(tuple(runs))
    return Drawn(rows, cols, tuple(checked), "")


def save(picture_key: str, drawn: Drawn) -> None:
    """Keep ``drawn`` under ``picture_key``, and make room if too many are kept."""
    from hipguide import cachefile

    body = marshal.dumps(
        {"rows": drawn.rows, "cols": drawn.cols, "lines": drawn.lines, "sequence": drawn.sequence}
    )
    try:
        if cachefile.write(_path(picture_key), picture_key, body):
            _prune(folder())
    except Exception:  # no cache folder to be had: a picture not kept costs only speed
        return


def _prune(where: str) -> None:
    """Remove the oldest picture files beyond :data:`MAX_FILES` (only regular files of
    ours with a picture's name; a link is removed itself, never followed)."""
    kept = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(where):
            if re.fullmatch(_NAME, entry.name) is None:
                continue
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode):
                kept.append((info.st_mtime_ns, entry.path))
    kept.sort()
    for _, path in kept[: max(0, len(kept) - MAX_FILES)]:
        with contextlib.suppress(OSError):
            os.unlink(path)
