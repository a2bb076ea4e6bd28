"""Pictures of where a point lies, from the vector figures in ``data/figures``.

- :func:`mark_position` / :func:`marked_svg`: where a point's mark goes for the side
  pressed, and the final SVG with the mark;
- :class:`Picture`: a Rich renderable that fits the room it is given, drawn with
  Kitty, iTerm2 or Sixel images, half-blocks, braille, ASCII, or words only;
- :func:`resolve_mode`: the rendering for ``--pictures`` / ``HIPGUIDE_PICTURES`` and
  the console;
- :func:`write_picture`: the picture as a ``.png`` or ``.svg`` file.

Importing this package costs next to nothing: the rasteriser (resvg) and Pillow are
imported only when a picture is drawn.
"""

from __future__ import annotations

from hipguide.ui.figures._modes import (
    PICTURE_MODES,
    PICTURES_ENV,
    Rendering,
    check_mode,
    choose_rendering,
    resolve_mode,
)
from hipguide.ui.figures._picture import Layout, Picture, fit, write_picture
from hipguide.ui.figures._svg import (
    VIEWS,
    Mark,
    describe,
    mark_position,
    marked_svg,
    orientation,
    viewbox,
)

__all__ = [
    "PICTURES_ENV",
    "PICTURE_MODES",
    "VIEWS",
    "Layout",
    "Mark",
    "Picture",
    "Rendering",
    "check_mode",
    "choose_rendering",
    "describe",
    "fit",
    "mark_position",
    "marked_svg",
    "orientation",
    "resolve_mode",
    "viewbox",
    "write_picture",
]
