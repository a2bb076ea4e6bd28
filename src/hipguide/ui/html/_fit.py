"""How much a card must be scaled down to print on one page.

A printed page has no script to measure itself, so the card's height is estimated
here from what it holds: lines of text from their length, the column they sit in and
their type size (the page's stylesheet, ``page.css``, uses the same sizes), pictures
from their proportions. The page is then drawn at the scale that brings the estimate
within one page; the estimate errs on the tall side, and the browser tests check the
result on A4 and Letter.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

#: The height one page holds, in mm: US Letter (the shorter of A4 and Letter) less its
#: 11 mm margins (257 mm), less room for the estimate to be short.
PAGE_MM = 248.0
#: The smallest scale a card is drawn at (a plan too big for it is refused earlier).
SMALLEST = 0.8
#: Mean width of a character, in em, of the page's sans-serif type (with the spaces),
#: measured on the cards of the browser tests.
CHAR_EM = 0.48
_PT = 25.4 / 72
_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')


def lines(chars: int, width_mm: float, size_pt: float) -> int:
    """Lines that ``chars`` characters fill in a column ``width_mm`` wide."""
    per_line = max(1, int(width_mm / (size_pt * _PT * CHAR_EM)))
    return max(1, math.ceil(chars / per_line))


def block(text: str, width_mm: float, size_pt: float, leading: float) -> float:
    """Height in mm of a paragraph."""
    return lines(len(text), width_mm, size_pt) * size_pt * leading * _PT


def aspect(svg: str) -> float:
    """Height over width of an SVG picture (from its viewBox)."""
    found = _VIEWBOX.search(svg)
    return float(found[2]) / float(found[1]) if found else 1.0


# Sizes of page.css: (type size in pt, line height), and the widths of the columns in mm.
_BODY = (8.4, 1.32)
_PAGE_WIDTH = 186.0
_LAYOUTS: dict[str, dict[str, Any]] = {
    "normal": {
        "picture": 29.0,
        "picture_max": 34.0,
        "text": 55.0,
        "head": (9.0, 1.2),
        "dose": (8.0, 1.32),
        "find": (7.3, 1.25),
        "caption": (6.4, 1.2),
        "gap": 2.0,
    },
    "compact": {
        "picture": 25.0,
        "picture_max": 30.0,
        "text": 60.0,
        "head": (8.4, 1.2),
        "dose": (7.4, 1.32),
        "find": (6.9, 1.22),
        "caption": (6.0, 1.2),
        "gap": 1.6,
    },
}


def _panel(panel: Any, layout: dict[str, Any], orientation: str) -> float:
    width = layout["text"]
    head = f"{panel.steps[0]}-{panel.steps[-1]} {panel.code} {panel.pinyin} {panel.english}"
    dose = " ".join(panel.sides) + " · " + panel.dose
    words = (
        block(head, width, *layout["head"])
        + block(dose, width, *layout["dose"])
        + 1.4
        + block("Find it: " + panel.find, width, *layout["find"])
        + (block(orientation, width, *layout["caption"]) + 0.5 if orientation else 0.0)
    )
    picture = 0.0
    if panel.picture is not None:
        picture = min(layout["picture"] * aspect(str(panel.picture)), layout["picture_max"])
    return max(words, picture) + 4.0  # padding and border


def card_height(context: dict[str, Any]) -> float:
    """The card's estimated height in mm at full size."""
    size, leading = _BODY
    inner = _PAGE_WIDTH - 8.0
    height = 14.0  # title, summary, rule
    height += 3.6 + block(context["check"] + " " + context["check_again"], inner, size, leading)
    if context["tier_action"]:
        height += block(context["tier_action"], inner, size, leading) + 0.6
    standing = [context["standing"]] if context.get("standing") else []
    shaped: Sequence[str] = [*context["cautions"], *context["left_out"], *standing]
    if shaped:
        height += 4.2 + size * leading * _PT
        height += sum(block(item, inner - 4, size, leading) for item in shaped)
    height += 10.0  # the heading of the steps, and the pace beside it
    layout = _LAYOUTS[context["density"]]
    panels = context["points"]
    for row in range(0, len(panels), 2):
        pair = panels[row : row + 2]
        height += max(_panel(p, layout, p.caption) for p in pair) + layout["gap"]
    column = (_PAGE_WIDTH - 4.8 - 4.0) / 2
    left = (
        2 * 7.6 * 1.3 * _PT
        + 1.2
        + block(context["stop_signs"], column, 7.0, 1.24)
        + block(context["side_effects"], column, 7.0, 1.24)
    )
    right = block(context["stop_call"], column, 7.6, 1.3) + sum(
        block(sign, column - 3.2, 6.9, 1.22) for sign in context["emergency_signs"]
    )
    height += 2.4 + 3.2 + 5.0 + max(left, right) + 1.0  # box, title, columns
    height += 1.4 + 2 * 6.3 * 1.22 * _PT  # the footer
    return height


def card_scale(context: dict[str, Any]) -> float:
    """The scale (at most 1) at which the card fits one page."""
    return max(SMALLEST, min(1.0, PAGE_MM / card_height(context)))


def report_height(context: dict[str, Any]) -> float:
    """The report's estimated height in mm at full size."""
    size, leading = 7.0, 1.26
    row = size * leading * _PT + 1.0  # one line of a table, with its padding and rule
    height = 14.0 + 8.0 + 15.0  # title, the note on what this is, the totals
    if context["planned"]:
        height += 4.5
    height += 7.0  # the chart's heading
    if context["chart"] is not None:
        chart = context["chart"]
        height += _PAGE_WIDTH * chart.height / chart.width + 9.0
    else:
        height += 5.0
    height += 9.0 + block(context["advice"], _PAGE_WIDTH - 6, 8.4, 1.32)
    if context["checkins"]:
        height += 7.0 + row * (1 + len(context["checkins"])) + 4.0
    height += 7.0 + row  # heading and header row of the checks
    if context["checks_earlier"]:
        height += 4.0
    findings_width = _PAGE_WIDTH * 0.54
    for check in context["checks"]:
        lines_in_row = max(
            lines(len(check.when), _PAGE_WIDTH * 0.22, size),
            lines(len(check.verdict), _PAGE_WIDTH * 0.24, size),
            sum(lines(len(found), findings_width, size) for found in check.findings),
        )
        height += lines_in_row * size * leading * _PT + 1.0 + 0.5 * len(check.findings)
    height += 7.0 + row * (1 + len(context["sessions"]))
    if context["skipped"]:
        height += 4.0
    return height + 6.0  # the footer


def report_scale(context: dict[str, Any]) -> float:
    """The scale (at most 1) at which the report fits one page."""
    return max(0.7, min(1.0, PAGE_MM / report_height(context)))
