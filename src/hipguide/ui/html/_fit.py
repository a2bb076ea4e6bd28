"""How much a printed page must be scaled down to fit one sheet.

A printed page has no script to measure itself, so its height is worked out here from
what it holds, the way a browser lays it out: every paragraph is broken into lines word
by word, with the widths of the page's type (Arial, or its metric twin Liberation Sans,
the first fonts ``page.css`` asks for) and the sizes, line heights, paddings and column
widths of ``page.css``; pictures take their height from their proportions.

A page drawn at a scale below 1 is laid out on a wider page (its width divided by the
scale) and then shrunk, so its lines hold more words and it is less than the scale times
as tall: a card or a report is drawn at the largest scale at which that height fits one
page with a margin to spare. The browser tests print them on A4 and Letter and check
both that they fit one page and that a card is not shrunk much more than it needs.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

#: The height one page holds, in mm: US Letter (the shorter of A4 and Letter) less its
#: 11 mm margins (257.4 mm), less room for the estimate to be short (measured on a wide
#: range of cards and reports, it comes within 1 mm of the height the browser lays out).
PAGE_MM = 252.0
#: The smallest scale a card is drawn at (a plan too big for it is refused earlier).
SMALLEST = 0.8
#: The page's width in mm at full size (``.page`` in ``page.css``).
PAGE_WIDTH = 186.0
_PT = 25.4 / 72

# Advance widths of the printable ASCII characters, space to tilde, in thousandths of an
# em: Arial's, which Liberation Sans shares; regular and bold.
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)  # fmt: skip
#: Characters beyond ASCII that the pages print, as (regular, bold); a letter with an
#: accent (the pinyin's tone marks) is as wide as the letter.
_OTHER = {
    "–": (556, 556), "—": (1000, 1000), "·": (278, 278), "‘": (222, 278), "’": (222, 278),
    "“": (333, 500), "”": (333, 500), "→": (1000, 1000), "…": (1000, 1000),
    "°": (400, 400), "×": (584, 584), "≥": (549, 549), "≤": (549, 549), "\u00a0": (278, 278),
}  # fmt: skip
#: How much wider than Arial's the text is taken to be: DejaVu Sans Condensed, the
#: page's next choice where neither Liberation Sans, Arial nor Helvetica is installed,
#: sets lower-case text about 3.5 % wider; the rest is room for browsers to differ.
FALLBACK_WIDTH = 1.05
#: Any other character: as wide as the widest letters, so that it errs on the tall side.
_WIDE = 1000
_SPACES = " \t\n\r"
_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')

#: A run of text in one font: the text, its size in pt, and whether it is bold.
Run = tuple[str, float, bool]
#: A page's height in mm from its context, laid out so many mm wide.
Height = Callable[[dict[str, Any], float], float]


def _em(char: str, bold: bool) -> float:
    return _own_em(char, bold) * FALLBACK_WIDTH


def _own_em(char: str, bold: bool) -> float:
    code = ord(char)
    if 32 <= code < 127:
        return (_BOLD if bold else _REGULAR)[code - 32] / 1000
    if char in _OTHER:
        return _OTHER[char][bold] / 1000
    base = unicodedata.normalize("NFD", char)[0]
    if base != char and 32 <= ord(base) < 127:
        return _own_em(base, bold)
    return _WIDE / 1000


@lru_cache(maxsize=1024)
def _pieces(runs: tuple[Run, ...]) -> tuple[tuple[float, float], ...]:
    """The pieces between which a line may break, as (width, width of the space after
    it) in mm: a browser breaks at a space (a run of white space is one), after a hyphen
    (not one before a digit) or an en dash, and on either side of an em dash. A run whose
    text is empty stands for a box of its size in mm (a badge) that the line cannot break
    inside."""
    pieces: list[tuple[float, float]] = []
    width, spaced = 0.0, False
    for index, (chunk, size, bold) in enumerate(runs):
        if not chunk:
            if width:
                pieces.append((width, 0.0))
            pieces.append((size, 0.0))
            width, spaced = 0.0, False
            continue
        scale = size * _PT
        for position, char in enumerate(chunk):
            if char in _SPACES:
                if not spaced and (width or pieces):
                    pieces.append((width, _em(" ", bold) * scale))
                width, spaced = 0.0, True
                continue
            spaced = False
            if char == "—" and width:
                pieces.append((width, 0.0))
                width = 0.0
            width += _em(char, bold) * scale
            following = chunk[position + 1 : position + 2] or _first(runs[index + 1 :])
            if char in "—–" or (
                char == "-" and following not in ("", " ") and not following.isdigit()
            ):
                pieces.append((width, 0.0))
                width = 0.0
    if width:
        pieces.append((width, 0.0))
    return tuple(pieces)


def _first(runs: Sequence[Run]) -> str:
    for chunk, _, _ in runs:
        if chunk:
            return chunk[0]
    return ""


def wrapped(runs: Iterable[Run], width_mm: float) -> int:
    """Lines that the runs of text fill in a column ``width_mm`` wide, broken word by
    word as a browser breaks them (a word longer than the column takes the lines it
    needs)."""
    count, filled = 1, 0.0
    for width, space in _pieces(tuple(runs)):
        if filled and filled + width > width_mm:
            count += 1
            filled = 0.0
        if width > width_mm:
            extra = math.ceil(width / width_mm) - 1
            count += extra
            width -= extra * width_mm
        filled += width + space
    return count


def lines(text: str, width_mm: float, size_pt: float, bold: bool = False) -> int:
    """Lines that ``text`` fills in a column ``width_mm`` wide at ``size_pt``."""
    return wrapped([(text, size_pt, bold)], width_mm)


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of ``text`` on one line, in mm."""
    return sum(_em(char, bold) for char in text) * size_pt * _PT


def line_mm(size_pt: float, leading: float) -> float:
    """The height of one line, in mm."""
    return size_pt * leading * _PT


def block(text: str, width_mm: float, size_pt: float, leading: float, bold: bool = False) -> float:
    """Height in mm of a paragraph."""
    return lines(text, width_mm, size_pt, bold) * line_mm(size_pt, leading)


def aspect(svg: str) -> float:
    """Height over width of an SVG picture (from its viewBox)."""
    found = _VIEWBOX.search(svg)
    return float(found[2]) / float(found[1]) if found else 1.0


# --- the card ------------------------------------------------------------------------------

# Sizes of page.css: (type size in pt, line height); lengths in mm.
_BODY = (8.4, 1.32)
#: The points' two layouts: up to six points, and seven or eight (``compact``).
_LAYOUTS: dict[str, dict[str, Any]] = {
    "normal": {
        "picture": 29.0,
        "picture_max": 34.0,
        "inner": (2.2, 2.0, 1.6),  # gap beside the picture, padding across, padding down
        "gaps": (2.0, 3.0),  # between rows, between the columns
        "head": (9.0, 1.2),
        "english": 7.6,
        "dose": (8.0, 1.32, 0.6, 0.8),  # size, line height, space above, space below
        "find": (7.6, 1.25),
        "caption": (6.7, 1.2),
    },
    "compact": {
        "picture": 25.0,
        "picture_max": 30.0,
        "inner": (1.8, 1.6, 1.2),
        "gaps": (1.6, 2.6),
        "head": (8.4, 1.2),
        "english": 7.6,
        "dose": (7.4, 1.32, 0.4, 0.5),
        "find": (7.4, 1.22),
        "caption": (6.5, 1.2),
    },
}
_BORDER = 0.7  # a panel's border, both sides (0.3 mm each, drawn at least a pixel wide)
_TICK = (2.7, 0.7, 1.4)  # the box to tick before a side: its width, the space after, before
_BADGE = (5.0, 1.8, 1.0)  # the step number: least width, padding, margin after
_NAME_SHARE = 0.45  # of the page's width, at most, for the name and the date


def _panel(panel: Any, layout: dict[str, Any], width: float) -> float:
    """A point's panel: its words beside its picture, with padding and border."""
    from hipguide.ui import text

    gap, across, down = layout["inner"]
    column = (width - layout["gaps"][1]) / 2
    words_width = column - 2 * across - _BORDER - layout["picture"] - gap
    size, leading = layout["head"]
    number = f"{panel.steps[0]}–{panel.steps[-1]}" if len(panel.steps) > 1 else str(panel.steps[0])
    badge = max(_BADGE[0], text_width(number, size, bold=True) + _BADGE[1]) + _BADGE[2]
    head = wrapped(
        [
            ("", badge, False),
            (panel.code, size, True),
            (f" {panel.pinyin} ", size, False),
            (panel.english, layout["english"], False),
        ],
        words_width,
    ) * line_mm(size, leading)
    dose_size, dose_leading, above, below = layout["dose"]
    dose_runs: list[Run] = []
    for index, side in enumerate(panel.sides):
        tick = _TICK[0] + _TICK[1] + (_TICK[2] if index else 0.0)
        dose_runs += [("", tick, False), (f"{side} ", dose_size, True)]
    dose_runs.append((f"· {panel.dose}", dose_size, True))
    dose = above + wrapped(dose_runs, words_width) * line_mm(dose_size, dose_leading) + below
    find_size, find_leading = layout["find"]
    find = wrapped(
        [(text.CARD_FIND_IT, find_size, True), (f" {panel.find}", find_size, False)], words_width
    ) * line_mm(find_size, find_leading)
    caption = 0.0
    if panel.caption:
        words = text.CARD_PICTURE.format(orientation=panel.caption)
        caption = 0.5 + block(words, words_width, *layout["caption"])
    picture = 0.0
    if panel.picture is not None:
        picture = min(layout["picture"] * aspect(str(panel.picture)), layout["picture_max"])
    return float(max(head + dose + find + caption, picture) + 2 * down + _BORDER)


def _header(title: str, summary: str, name: str, made: str, width: float) -> float:
    """The title and summary beside the name and the date, over a rule."""
    name_size, date_size = 10.0, 8.0
    meta = min(
        max(text_width(name, name_size, bold=True), text_width(made, date_size)),
        width * _NAME_SHARE,
    )
    right = line_mm(date_size, 1.32)
    if name:
        right += lines(name, meta, name_size, bold=True) * line_mm(name_size, 1.32)
    left_width = width - meta - 4.0
    left = block(title, left_width, 14.0, 1.15, bold=True) + 0.6
    left += block(summary, left_width, 9.6, 1.32)
    return max(left, right) + 1.4 + 0.6  # padding and rule


def card_height(context: dict[str, Any], width: float = PAGE_WIDTH) -> float:
    """The card's height in mm when laid out ``width`` mm wide (at full size)."""
    from hipguide.ui import text

    size, leading = _BODY
    line = line_mm(size, leading)
    name = text.CARD_FOR.format(name=context["name"]) if context.get("name") else ""
    height = _header(text.CARD_TITLE, context["summary"], name, context["made"], width)
    boxed = width - 1.2 - 4.8  # a box's coloured edge and its padding
    height += 1.8 + 2.4 + block(context["check"] + " " + context["check_again"], boxed, *_BODY)
    if context["tier_action"]:
        action = f"{context['tier_label']}: {context['tier_action']}"
        height += 0.6 + block(action, boxed, *_BODY, bold=True)
    standing = [context["standing"]] if context.get("standing") else []
    shaped: Sequence[str] = [*context["cautions"], *context["left_out"], *standing]
    if shaped:
        height += 1.8 + 2.4 + line  # the box and its heading
        height += sum(block(item, boxed - 4.0, *_BODY) for item in shaped)
    # the heading of the steps, with the pace beside it (their first lines' baselines line up)
    heading = text_width(text.CARD_STEPS, 10.0, bold=True)
    pace = lines(context["pace"], width - heading - 3.0, 7.6) * line_mm(7.6, 1.32)
    height += 2.6 + max(line_mm(10.0, 1.32), pace + 0.85) + 1.4
    layout = _LAYOUTS[context["density"]]
    panels = context["points"]
    rows = [panels[row : row + 2] for row in range(0, len(panels), 2)]
    height += sum(max(_panel(p, layout, width) for p in pair) for pair in rows)
    height += float(layout["gaps"][0]) * (len(rows) - 1)
    height += 2.4 + _stop(context, width)
    return height + 1.4 + block(context["footer"], width, 6.3, 1.22)


def _stop(context: dict[str, Any], width: float) -> float:
    """The box of when to stop and get help: two columns under its heading."""
    from hipguide.ui import text

    column = (width - 1.0 - 4.8 - 4.0) / 2  # less the border, the padding and the gap
    left = (
        block(text.CARD_STOP_PRESSING, column, 7.6, 1.32, bold=True)
        + 0.8
        + block(context["stop_signs"], column, 7.0, 1.24)
        + 1.2
        + block(text.CARD_TOO_HARD, column, 7.6, 1.32, bold=True)
        + 0.8
        + block(context["side_effects"], column, 7.0, 1.24)
    )
    right = block(context["stop_call"], column, 7.6, 1.32, bold=True) + 0.8
    right += sum(block(sign, column - 3.2, 6.9, 1.22) for sign in context["emergency_signs"])
    return 1.0 + 1.4 + 1.8 + line_mm(10.0, 1.32) + 0.8 + max(left, right)


def printed_height(context: dict[str, Any], scale: float, height: Height | None = None) -> float:
    """The page's height in mm on paper when drawn at ``scale``: laid out on a page
    ``PAGE_WIDTH / scale`` wide, then shrunk. ``height`` lays it out (the card's by
    default)."""
    return scale * (height or card_height)(context, PAGE_WIDTH / scale)


def largest_scale(context: dict[str, Any], height: Any, page_mm: float, smallest: float) -> float:
    """The largest scale from ``smallest`` to 1, in thousandths, at which the page laid
    out by ``height`` is at most ``page_mm`` tall on paper (``smallest`` when none is)."""
    if printed_height(context, 1.0, height) <= page_mm:
        return 1.0
    low, high = round(smallest * 1000), 1000  # the printed height grows with the scale
    while high - low > 1:
        middle = (low + high) // 2
        if printed_height(context, middle / 1000, height) <= page_mm:
            low = middle
        else:
            high = middle
    return low / 1000


def card_scale(context: dict[str, Any]) -> float:
    """The largest scale (at most 1, in thousandths) at which the card fits one page."""
    return largest_scale(context, card_height, PAGE_MM, SMALLEST)


# --- the report ----------------------------------------------------------------------------

#: The height the report may take up, in mm: as :data:`PAGE_MM`.
REPORT_PAGE_MM = PAGE_MM
#: The smallest scale the report is drawn at; below it, fewer checks are listed.
REPORT_SMALLEST = 0.7
_CELL = (7.0, 1.26)  # a table's type
_ROW = 0.7 + 0.27  # a table row's padding and rule, beside its lines
_HEADING = 3.2 + 1.6  # the space above and below a section's heading


def _row(cells: Iterable[tuple[str, float]], width: float) -> float:
    """A table row: its tallest cell, each given as its text and its share of the width."""
    most = max(lines(words, share * width - 2.4, _CELL[0]) for words, share in cells)
    return most * line_mm(*_CELL) + _ROW


def report_height(context: dict[str, Any], width: float = PAGE_WIDTH) -> float:
    """The report's height in mm when laid out ``width`` mm wide (at full size)."""
    from hipguide.ui import text

    small = (7.4, 1.32)
    heading = _HEADING + line_mm(10.0, 1.32)
    name = text.REPORT_FOR.format(name=context["name"]) if context.get("name") else ""
    height = _header(text.REPORT_TITLE, context["span"], name, context["made"], width)
    height += 1.2 + block(text.REPORT_ABOUT, width, *small)
    box = (width - 4 * 2.4) / len(context["totals"]) - 4.0 - 0.6
    labels = max(lines(label, box, 8.4) for _, label in context["totals"])
    height += 2.4 + 0.6 + 2.4 + line_mm(13.0, 1.32) + labels * line_mm(*_BODY)
    if context["planned"]:
        height += 1.2 + block(context["planned"], width, *_BODY, bold=True)
    if context["skipped"]:
        height += 1.2 + 1.2 + block(context["skipped"], width - 5.0, *small)
    height += heading  # the chart's
    chart = context["chart"]
    if chart is not None:
        keys = [
            ("", 5.8 + 0.3, False),
            (f"{text.REPORT_TREND_KEY_BEFORE} ", small[0], False),
            ("", 4.0 + 5.8 + 0.3, False),
            (f"{text.REPORT_TREND_KEY_AFTER} ", small[0], False),
            ("", 4.0, False),
            (f"{text.REPORT_TREND_SCALE} {context['chart_note']} {context['means']}", 7.4, False),
        ]
        height += width * chart.height / chart.width + 0.6
        height += wrapped(keys, width) * line_mm(*small)
    else:
        height += block(context["chart_note"], width, *_BODY)
    advice = 3.2 + line_mm(*_BODY) + 0.4
    for part in context["advice_parts"]:
        label = [(f"{part['label']}: ", _BODY[0], True)] if part["label"] else []
        runs = [*label, (part["text"], _BODY[0], False)]
        advice += wrapped(runs, width - 1.2 - 4.8) * line_mm(*_BODY)
    height += advice
    if context["checkins"]:
        # the header's long names take two lines; a check-in's row, one
        height += heading + 2 * line_mm(*_CELL) + _ROW
        height += len(context["checkins"]) * (line_mm(*_CELL) + _ROW)
        note = f"{context['checkins_more']} {text.REPORT_CHECKIN_NOTE}"
        height += block(note, width, *small)
    height += heading
    if context["checks"]:
        height += line_mm(*_CELL) + _ROW
        for check in context["checks"]:
            findings = sum(lines(found, 0.54 * width - 2.4, _CELL[0]) for found in check.findings)
            most = max(
                lines(check.when, 0.22 * width - 2.4, _CELL[0]),
                lines(check.verdict, 0.24 * width - 2.4, _CELL[0]),
                findings,
            )
            height += most * line_mm(*_CELL) + _ROW + 0.5 * (len(check.findings) - 1)
    else:
        height += block(context["no_checks"], width, *_BODY)
    if context["checks_earlier"]:
        height += block(context["checks_earlier"], width, *small)
    height += heading
    if context["sessions"]:
        height += line_mm(*_CELL) + _ROW
        for session in context["sessions"]:
            cells = [(session["points"], 0.42), (session["result"], 0.13)]
            height += _row(cells, width)
        if context["flare_note"]:
            height += block(context["flare_note"], width, *small)
    else:
        height += block(text.REPORT_NO_SESSIONS, width, *_BODY)
    if context.get("sources"):
        height += 2.0 + block(context["sources"], width, 6.3, 1.22)
    return height + 1.4 + block(context["footer"], width, 6.3, 1.22)


def report_scale(context: dict[str, Any]) -> float:
    """The largest scale (at most 1, in thousandths) at which the report fits one page,
    or :data:`REPORT_SMALLEST`."""
    return largest_scale(context, report_height, REPORT_PAGE_MM, REPORT_SMALLEST)
