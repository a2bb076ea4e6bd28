"""The picture of one point of the dataset: for a screen, and as a file."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from hipguide.models import Point
    from hipguide.ui.figures._picture import Picture


def picture_for(
    point: Point,
    side: str | None = None,
    mode: str = "auto",
    max_width: int | None = None,
    max_height: int | None = None,
) -> Picture:
    """The picture of ``point`` with its mark on ``side``, as a Rich renderable.

    The one call a screen needs (the point card, a step of the routine):

    - ``side``: ``left`` or ``right``, the side being pressed; ``None`` marks the side
      the figure shows (the left, for most). The caption under the picture says which
      side is marked and which side of the picture is which.
    - ``mode``: the ``--pictures`` value in use (``auto``, ``kitty``, ``iterm``,
      ``sixel``, ``blocks``, ``ascii``, ``none``), e.g. ``Runtime.pictures`` in the
      CLI, or a rendering already chosen by :func:`resolve_mode`. ``auto`` is decided
      from the console the picture is printed on; on an output that is not a
      terminal every mode but ``none`` draws ASCII, with no escape codes.
    - ``max_width`` / ``max_height``: the most columns and rows it may take, caption
      included (the console's own size caps them too). With too few rows for a
      drawing, only the caption is printed.

    Print it at the top level of the screen (in a ``Group`` is fine), not inside a
    panel or table: a terminal draws an image from the left edge of the line.
    ValueError for a mode or side that is not one of these.
    """
    from hipguide.ui.figures._picture import Picture

    view, x, y = point.figure
    return Picture(
        view,
        x,
        y,
        side,
        code=point.code,
        mode=mode,
        max_width=max_width,
        max_height=max_height,
    )


def save_point_picture(point: Point, path: str | Path, side: str | None = None) -> Path:
    """Write the picture of ``point`` (marked on ``side``) to ``path``, a ``.png`` or
    an ``.svg`` file; ValueError for any other kind of file."""
    from hipguide.ui.figures._picture import write_picture

    view, x, y = point.figure
    return write_picture(path, view, x, y, side, point.code)
