"""The figures of a dataset: the SVG files in its ``figures`` folder.

A point's ``figure.view`` names one of them by file stem, so a new figure is a new
file, not new code. The loader reads only what it checks: that each file is a small,
regular file holding a drawing and nothing else, and its ``viewBox`` (the room a
position must lie in). See ``docs/figures.md`` for the layout of a figure.
"""

from __future__ import annotations

import os
import stat

# Listed by the package itself, which lists them on every load.
from hipguide.dataset import FIGURES as FOLDER
from hipguide.dataset import figure_names

__all__ = ["FOLDER", "figure_names", "is_stem", "read_figures"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import PurePath

    from hipguide.errors import DataError

#: A figure's file stem: lower-case letters, digits and hyphens (``body-back``).
#: (Patterns are compiled when first used: a cached dataset never needs them.)
STEM = r"[a-z0-9][a-z0-9-]{0,40}"
#: No figure comes near this; a larger file is a mistake, not a drawing.
MAX_FIGURE_BYTES = 256_000
#: What a figure may not hold: pictures, scripts, or anything fetched from elsewhere
#: (a link or ``url(...)`` that does not point inside the file itself).
_FORBIDDEN_TAGS = ("<image", "<script", "<foreignobject", "<iframe", "@import")
_LINKS = r"(?:href\s*=\s*|url\(\s*)(['\"]?)\s*([^'\"\s)]?)"


def _forbidden(text: str) -> str | None:
    """The first thing in a figure's text that a figure may not hold, if any."""
    import re

    lower = text.lower()
    for tag in _FORBIDDEN_TAGS:
        if tag in lower:
            return tag
    for link in re.finditer(_LINKS, lower):
        if link[2] != "#":
            return link[0].strip()
    return None


#: Control and format characters: a figure's words reach the terminal in captions.
_CONTROL = (
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e"
    r"\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
#: The root element's viewBox, which must start at 0 0.
VIEWBOX = r'<svg\b[^>]*?\bviewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"'


def is_stem(name: str) -> bool:
    """Whether ``name`` is a possible figure name (no path, no dots)."""
    import re

    return re.fullmatch(STEM, name) is not None


def _fail(name: str, problem: str) -> DataError:
    from hipguide.dataset._yaml import HINT
    from hipguide.errors import DataError

    return DataError(f"{FOLDER}/{name}: {problem}.", HINT)


def read_figures(folder: str | PurePath) -> dict[str, tuple[float, float]]:
    """Every figure of the dataset in ``folder``: file stem -> (width, height) of its
    viewBox. DataError for a file that is not a figure the renderer can draw safely."""
    import re

    boxes: dict[str, tuple[float, float]] = {}
    for name in figure_names(folder):
        stem = name.removesuffix(".svg")
        if not is_stem(stem):
            raise _fail(name, "a figure's name is lower-case letters, digits and hyphens")
        path = os.path.join(folder, FOLDER, name)
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                raise _fail(name, "not a regular file")
            if info.st_size > MAX_FIGURE_BYTES:
                raise _fail(
                    name, f"{info.st_size:,} bytes is too large for a figure "
                    f"(limit {MAX_FIGURE_BYTES:,})"
                )  # fmt: skip
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8")
        except OSError as error:
            raise _fail(name, f"cannot be read ({error.strerror or error})") from None
        except UnicodeDecodeError:
            raise _fail(name, "not UTF-8 text") from None
        box = re.search(VIEWBOX, text[:2000])
        if box is None:
            raise _fail(name, 'its <svg> element needs a viewBox="0 0 WIDTH HEIGHT"')
        width, height = float(box[1]), float(box[2])
        if not (0 < width <= 10_000 and 0 < height <= 10_000):
            raise _fail(name, "its viewBox must be between 1 and 10000 units each way")
        control = re.search(_CONTROL, text)
        if control:
            line = text.count("\n", 0, control.start()) + 1
            raise _fail(
                name, f"line {line}: control or format character {control[0]!r} is not allowed"
            )
        forbidden = _forbidden(text)
        if forbidden:
            raise _fail(name, f"a figure holds only drawing, not {forbidden[:40]!r}")
        boxes[stem] = (width, height)
    return boxes
