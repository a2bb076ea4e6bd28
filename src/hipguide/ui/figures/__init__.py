"""Pictures of where a point lies, from the vector figures of the dataset.

- :func:`picture_for`: the picture of a point as a Rich renderable, for a card or a
  step of the routine (the one call a screen needs);
- :func:`mark_position` / :func:`marked_svg`: where a point's mark goes for the side
  pressed, and the final SVG with the mark;
- :class:`Picture`: a Rich renderable that fits the room it is given, drawn with
  Kitty, iTerm2 or Sixel images, half-blocks, braille, ASCII, or words only;
- :func:`resolve_mode`: the rendering for ``--pictures`` / ``HIPGUIDE_PICTURES`` and
  the console;
- :func:`write_picture` / :func:`save_point_picture`: the picture as a ``.png`` or
  ``.svg`` file.

Importing this package costs nothing: each name is imported from its module when it
is first used, and the rasteriser (resvg) and Pillow only when a picture is drawn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hipguide.ui.figures._modes import (
        PICTURE_MODES,
        PICTURES_ENV,
        Rendering,
        check_mode,
        choose_rendering,
        resolve_mode,
    )
    from hipguide.ui.figures._picture import Layout, Picture, fit, write_picture
    from hipguide.ui.figures._point import picture_for, save_point_picture
    from hipguide.ui.figures._svg import (
        Mark,
        describe,
        mark_position,
        marked_svg,
        orientation,
        viewbox,
        views,
    )

#: Each public name and the module it lives in.
_HOME = {
    "PICTURES_ENV": "_modes",
    "PICTURE_MODES": "_modes",
    "Rendering": "_modes",
    "check_mode": "_modes",
    "choose_rendering": "_modes",
    "resolve_mode": "_modes",
    "Layout": "_picture",
    "Picture": "_picture",
    "fit": "_picture",
    "write_picture": "_picture",
    "picture_for": "_point",
    "save_point_picture": "_point",
    "Mark": "_svg",
    "describe": "_svg",
    "mark_position": "_svg",
    "marked_svg": "_svg",
    "orientation": "_svg",
    "viewbox": "_svg",
    "views": "_svg",
}

__all__ = [
    "PICTURES_ENV",
    "PICTURE_MODES",
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
    "picture_for",
    "resolve_mode",
    "save_point_picture",
    "viewbox",
    "views",
    "write_picture",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
