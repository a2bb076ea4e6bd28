"""The vector figures: reading them, choosing the side, and marking a point.

Every figure in the dataset's ``figures`` folder follows one layout, so that plain
text operations can mirror it and mark it (no XML library is loaded for a picture):

- the root ``<svg>`` carries a fixed ``viewBox="0 0 W H"`` and ``data-side``: ``both``
  for a figure of the whole body from the front or the back, ``left`` or ``right``
  for a figure of one side of the body or of one limb (a limb's figure shows the left
  one);
- ``<g id="art">`` holds the drawing, ``<g id="labels">`` the landmark names (each
  ``<text>`` with an ``x`` and an explicit ``text-anchor``), ``<text
  id="orientation">`` says which side is which, and ``<g id="regions"
  display="none">`` holds one ``<path id="region-NAME" d="M x y L x y ... Z"/>`` per
  body region, as straight-edged polygons;
- the orientation text of a figure of one side carries ``data-mirrored="..."``, the
  words for the mirrored figure.

A point's position is given on the side the figure shows (the person's left, or
their right in ``body-right``). For the other side the mark moves: in a figure of
both sides to the mirror position, in a figure of one side with a partner file
(``body-left`` and ``body-right``) to the partner, and otherwise the whole figure is
mirrored. The list of figures is the files present: a new one needs no code.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import TYPE_CHECKING, Literal

from hipguide.dataset._figures import FOLDER, figure_names, is_stem
from hipguide.ui.figures._record import Record

if TYPE_CHECKING:
    from pathlib import Path

Side = Literal["left", "right"]

#: Colours of the mark, shared with the terminal renderings.
MARK_COLOUR = "#d0021b"
MARK_RGB = (0xD0, 0x02, 0x1B)


class Mark(Record):
    """Where a point's mark ends up: the figure used, the position in it, the side."""

    view: str
    x: float
    y: float
    side: Side
    mirrored: bool  # the figure itself is drawn mirrored (a right limb)


class Figure(Record):
    """One figure file: its text, the size of its viewBox, and the sides it shows
    (``both``: the whole body from the front or back; ``left`` or ``right``: one side
    of the body, or one limb)."""

    source: str
    width: float
    height: float
    sides: Literal["both", "left", "right"]


def figures_folder() -> str:
    """The folder of the figures in use, as text: the dataset's own
    (``$HIPGUIDE_DATA/figures`` when that is set), else the shipped ones. Drawing a
    picture needs no :mod:`pathlib`."""
    from hipguide.config import data_folder

    return os.path.join(data_folder(), FOLDER)


def figures_dir() -> Path:
    """:func:`figures_folder` as a path."""
    from pathlib import Path

    return Path(figures_folder())


def views() -> tuple[str, ...]:
    """Every figure in use, by file stem (``body-back``, ``hand``...): the files present,
    so a new figure needs no code."""
    names = figure_names(os.path.dirname(figures_folder()))
    return tuple(stem for stem in (name.removesuffix(".svg") for name in names) if is_stem(stem))


_SIDES = r'<svg\b[^>]*?\bdata-side="(both|left|right)"'
_VIEWBOX = r'<svg\b[^>]*?\bviewBox="0 0 ([\d.]+) ([\d.]+)"'


@cache
def _read(folder: str, view: str) -> Figure:
    with open(os.path.join(folder, f"{view}.svg"), encoding="utf-8") as handle:
        source = handle.read()
    head = source[:2000]
    box = re.search(_VIEWBOX, head)
    if box is None:
        raise ValueError(f"figure {view!r} has no viewBox starting at 0 0")
    sides = re.search(_SIDES, head)
    return Figure(source, float(box[1]), float(box[2]), sides[1] if sides else "left")  # type: ignore[arg-type]


def figure(view: str) -> Figure:
    """The figure named ``view``; ValueError naming the known ones if there is none."""
    if is_stem(view):
        try:
            return _read(figures_folder(), view)
        except FileNotFoundError:
            pass
    raise ValueError(f"unknown figure {view!r}; known figures: {', '.join(views())}")


def figure_source(view: str) -> str:
    """The SVG text of a figure file."""
    return figure(view).source


def viewbox(view: str) -> tuple[float, float]:
    """Width and height of a figure's viewBox (its origin is always 0, 0)."""
    found = figure(view)
    return found.width, found.height


def shown_side(view: str) -> Side:
    """The side a figure's positions are given for."""
    return "right" if figure(view).sides == "right" else "left"


def _other_side(view: str) -> str | None:
    """The figure of the other side, for a figure of one side named ``...-left`` or
    ``...-right`` whose partner file is there (``body-left`` and ``body-right``)."""
    for this, that in (("-left", "-right"), ("-right", "-left")):
        if view.endswith(this):
            other = view.removesuffix(this) + that
            try:
                figure(other)
            except ValueError:
                return None
            return other
    return None


def mark_position(view: str, x: float, y: float, side: str | None = None) -> Mark:
    """Where the mark of a point at (``x``, ``y``) of ``view`` goes when ``side`` is
    pressed (``None``: the side the figure shows).

    For the other side the mark moves: in a figure of both sides (the front and back
    of the body) to the mirror position; in a figure of one side that has a partner
    (``body-left``, ``body-right``) to the partner; otherwise (a limb) the whole figure
    is drawn mirrored."""
    drawn = figure(view)
    if side not in (None, "left", "right"):
        raise ValueError(f"side must be left or right, not {side!r}")
    width, height = drawn.width, drawn.height
    if not (0 <= x <= width and 0 <= y <= height):
        raise ValueError(f"position ({x}, {y}) lies outside the {view!r} figure")
    given = shown_side(view)
    wanted: Side = given if side is None else side  # type: ignore[assignment]
    if wanted == given:
        return Mark(view, x, y, wanted, mirrored=False)
    if drawn.sides == "both":
        return Mark(view, width - x, y, wanted, mirrored=False)
    other = _other_side(view)
    if other is not None:
        other_width, _ = viewbox(other)
        return Mark(other, other_width - x, y, wanted, mirrored=False)
    return Mark(view, width - x, y, wanted, mirrored=True)


# --- mirroring -----------------------------------------------------------------------------

_NUMBER_PAIR = r"(-?[\d.]+)[ ,]+(-?[\d.]+)"
_TEXT_X = r'(<text\b[^>]*?\bx=")(-?[\d.]+)(")'
_ANCHOR = r'text-anchor="(start|end)"'
_ORIENTATION = r'(<text id="orientation"[^>]*?)data-mirrored="([^"]*)"([^>]*>)([^<]*)(</text>)'
_REGION_D = r'(<path id="region-[\w-]+" d=")([^"]*)(")'
_SECTION = r'(?s)<g id="(labels|regions)"[^>]*>.*?</g>'
_SIDE_ATTRIBUTE = r'(<svg\b[^>]*?\bdata-side=")(left|right)(")'


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _mirror_labels(block: str, width: float) -> str:
    block = re.sub(_TEXT_X, lambda m: f"{m[1]}{_number(width - float(m[2]))}{m[3]}", block)
    return re.sub(
        _ANCHOR, lambda m: 'text-anchor="{}"'.format("end" if m[1] == "start" else "start"), block
    )


def _mirror_regions(block: str, width: float) -> str:
    def flip_path(found: re.Match[str]) -> str:
        flipped = re.sub(_NUMBER_PAIR, lambda m: f"{_number(width - float(m[1]))} {m[2]}", found[2])
        return f"{found[1]}{flipped}{found[3]}"

    return re.sub(_REGION_D, flip_path, block)


def mirror_svg(svg: str) -> str:
    """The figure drawn mirrored left to right, its labels still readable, its
    orientation text swapped for the mirrored one, and the side it shows swapped."""
    found = re.search(_VIEWBOX, svg)
    if found is None:
        raise ValueError("figure has no viewBox starting at 0 0")
    width = float(found[1])
    transform = f'transform="matrix(-1 0 0 1 {_number(width)} 0)"'
    if '<g id="art">' not in svg:
        raise ValueError('figure has no <g id="art">')
    svg = svg.replace('<g id="art">', f'<g id="art" {transform}>', 1)

    def flip_section(section: re.Match[str]) -> str:
        if section[1] == "labels":
            return _mirror_labels(section[0], width)
        return _mirror_regions(section[0], width)

    svg = re.sub(_SECTION, flip_section, svg)
    svg = re.sub(
        _SIDE_ATTRIBUTE,
        lambda m: f"{m[1]}{'right' if m[2] == 'left' else 'left'}{m[3]}",
        svg,
        count=1,
    )

    def swap_orientation(m: re.Match[str]) -> str:
        start = _mirror_labels(m[1], width)
        return f'{start}data-mirrored="{m[4]}"{m[3]}{m[2]}{m[5]}'

    return re.sub(_ORIENTATION, swap_orientation, svg)


# --- words -------------------------------------------------------------------------------

_TITLE = r"<title>([^<]*)</title>"
_ORIENTATION_TEXT = r'<text id="orientation"[^>]*>([^<]*)</text>'


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


def _view_svg(mark: Mark) -> str:
    source = figure_source(mark.view)
    return mirror_svg(source) if mark.mirrored else source


def orientation(view: str, side: str | None = None) -> str:
    """The figure's words on which side is which, for the side pressed: "Back of the
    body, seen from behind: their left is on your left"."""
    width, height = viewbox(view)
    mark = mark_position(view, width / 2, height / 2, side)
    found = re.search(_ORIENTATION_TEXT, _view_svg(mark))
    return _unescape(found[1]) if found else ""


def title(view: str) -> str:
    """The figure's title ("Back of the body")."""
    found = re.search(_TITLE, figure_source(view))
    return _unescape(found[1]) if found else view


def describe(
    view: str, side: str | None = None, code: str | None = None, marker: str | None = None
) -> str:
    """One sentence for the picture: the figure, which side is which, and where the mark
    is (the words shown in place of a picture, and under one)."""
    width, height = viewbox(view)
    mark = mark_position(view, width / 2, height / 2, side)
    what = code or "The point"
    shown = f" by {marker}" if marker else ""
    where = f" on the {mark.side} side of the body"
    return f"{orientation(view, side)}. {what} is marked{shown}{where}."


_PLAIN_STYLE = "<style>.lead{display:none}.bone,.ridge{stroke-dasharray:none}</style>\n"
#: Paints the fills white, leaving only the lines (``line_drawing``).
_LINES_STYLE = "<style>.skin,.bone,.ghost{fill:#fff}</style>\n"
#: Line widths in a line drawing, as shares of the weight asked for: the outline
#: widest, the bones and creases a little less.
LINE_WIDTHS = {"edge": 1.0, "fold": 0.8, "bone": 0.7, "ridge": 0.7, "ghost": 0.7}


def without_text(svg: str) -> str:
    """The SVG with every ``<text>`` element left out."""
    return re.sub(r"<text\b[^>]*>[^<]*</text>", "", svg)


def line_drawing(svg: str, dot: float | None = None, weight: float = 1.0) -> str:
    """The figure's lines alone: its fills (the classes ``skin``, ``bone`` and
    ``ghost``) painted white, so that on white paper every dark pixel is a line. With
    ``dot`` (the size of one dot of the picture, in viewBox units) the outline is drawn
    ``weight`` dots wide and the other lines a little less (:data:`LINE_WIDTHS`), so
    that every line shows however small the picture."""
    style = _LINES_STYLE
    if dot is not None:
        widths = "".join(
            f".{name}{{stroke-width:{_number(share * weight * dot)}}}"
            for name, share in LINE_WIDTHS.items()
        )
        style += f"<style>{widths}</style>\n"
    closing = svg.rindex("</svg>")
    return svg[:closing] + style + svg[closing:]


# --- marking -------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mark_svg(width: float, x: float, y: float, code: str | None = None) -> str:
    """The SVG of a mark at (``x``, ``y``): a filled dot inside a ring, on a white halo
    so it stands out from any line beneath it, with the code beside it."""
    scale = width / 400
    ring = 8 * scale
    parts = [
        f'<g id="mark" transform="translate({_number(x)} {_number(y)})">',
        f'<circle r="{_number(ring)}" fill="none" stroke="#fff" '
        f'stroke-width="{_number(5 * scale)}"/>',
        f'<circle r="{_number(ring)}" fill="none" stroke="{MARK_COLOUR}" '
        f'stroke-width="{_number(2.6 * scale)}"/>',
        f'<circle r="{_number(3.5 * scale)}" fill="{MARK_COLOUR}" stroke="#fff" '
        f'stroke-width="{_number(1.2 * scale)}"/>',
    ]
    if code:
        right = x + 70 * scale < width
        anchor = "start" if right else "end"
        offset = (ring + 4 * scale) * (1 if right else -1)
        parts.append(
            f'<text x="{_number(offset)}" y="{_number(-ring * 0.6)}" text-anchor="{anchor}" '
            f'style="font-family:DejaVu Sans,Verdana,Arial,sans-serif;font-weight:bold;'
            f"font-size:{_number(13 * scale)}px;fill:{MARK_COLOUR};stroke:#fff;"
            f'stroke-width:{_number(3.5 * scale)}px;paint-order:stroke;stroke-linejoin:round">'
            f"{_escape(code)}</text>"
        )
    parts.append("</g>")
    return "".join(parts)


def marked_svg(
    view: str,
    x: float,
    y: float,
    side: str | None = None,
    code: str | None = None,
    *,
    labels: bool = True,
    mark: bool = True,
) -> str:
    """The final SVG text of a figure with a point's mark on the side pressed.

    ``labels=False`` leaves out the landmark names and the orientation text (for
    pictures too small to read them; the caption then says which side is which);
    ``mark=False`` leaves out the mark (a character picture draws its own)."""
    place = mark_position(view, x, y, side)
    svg = _view_svg(place)
    if not labels:
        svg = re.sub(r'<g id="labels"[^>]*>.*?</g>', "", svg, count=1, flags=re.S)
        svg = re.sub(r'<text id="orientation"[^>]*>[^<]*</text>', "", svg, count=1)
        # Without their names the leader lines mean nothing, and dashes drawn a few
        # pixels wide turn to noise: draw the bones solid.
        closing = svg.rindex("</svg>")
        svg = svg[:closing] + _PLAIN_STYLE + svg[closing:]
    if not mark:
        return svg
    width, _ = viewbox(place.view)
    closing = svg.rindex("</svg>")
    return svg[:closing] + mark_svg(width, place.x, place.y, code) + "\n" + svg[closing:]


def region_polygons(svg: str) -> dict[str, list[list[tuple[float, float]]]]:
    """The region outlines of a figure's SVG text: region name -> polygons (a region
    may be drawn in several parts, e.g. one for each buttock)."""
    regions: dict[str, list[list[tuple[float, float]]]] = {}
    for found in re.finditer(r'<path id="region-([\w-]+)" d="([^"]*)"', svg):
        polygons: list[list[tuple[float, float]]] = []
        for part in re.split(r"[Zz]", found[2]):
            points = [(float(a), float(b)) for a, b in re.findall(_NUMBER_PAIR, part)]
            if points:
                polygons.append(points)
        regions[found[1]] = polygons
    return regions


def body_box(svg: str, margin: float = 0.03) -> tuple[float, float, float, float]:
    """The part of a figure the body takes (x, y, width, height): the bounds of its
    region outlines and of its ``frame`` path (where the regions leave out a part, such
    as the head), a little widened, within the viewBox."""
    width, height = (float(v) for v in re.search(_VIEWBOX, svg).groups())  # type: ignore[union-attr]
    points = [pt for polygons in region_polygons(svg).values() for poly in polygons for pt in poly]
    frame = re.search(r'<path id="frame" d="([^"]*)"', svg)
    if frame:
        points += [(float(a), float(b)) for a, b in re.findall(_NUMBER_PAIR, frame[1])]
    if not points:
        return 0.0, 0.0, width, height
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    pad_x, pad_y = (max(xs) - min(xs)) * margin, (max(ys) - min(ys)) * margin
    x0, y0 = max(0.0, min(xs) - pad_x), max(0.0, min(ys) - pad_y)
    x1, y1 = min(width, max(xs) + pad_x), min(height, max(ys) + pad_y)
    return x0, y0, x1 - x0, y1 - y0


def inside(polygons: list[list[tuple[float, float]]], x: float, y: float) -> bool:
    """Whether (``x``, ``y``) lies inside any of the polygons (even-odd rule)."""
    for polygon in polygons:
        hit = False
        for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
        if hit:
            return True
    return False
