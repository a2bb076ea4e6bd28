"""Pictures of where a point lies, from the vector figures in ``data/figures``."""

from __future__ import annotations

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
    "VIEWS",
    "Mark",
    "describe",
    "mark_position",
    "marked_svg",
    "orientation",
    "viewbox",
]
