"""Rich views of the history: sessions, checks, a pain trend chart, the progress notice."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hipguide.store import CheckinRecord, CheckRecord, PainSpan, SessionRecord
from hipguide.ui import text
from hipguide.ui.text import progress_message

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.segment import Segment

    from hipguide.dataset import Dataset
    from hipguide.flows.history import HistoryOutcome

CHART_HEIGHT = 10
#: Characters left of the chart's marks: ``10 |``.
CHART_MARGIN = 4


def _local(moment: object) -> str:
    from datetime import datetime

    assert isinstance(moment, datetime)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


#: A table of more rows than this is laid out here, a line at a time
#: (:class:`LongTable`): Rich's table measures and holds every cell before it prints
#: one, which for ``history --all`` with 100,000 sessions took over a minute and
#: 450 MB.
LONG_TABLE = 200

#: A column: its header, how its cells line up, and whether they may wrap.
Column = tuple[str, str, bool]


def _table(
    title: str, columns: Sequence[Column], rows: Sequence[tuple[str, ...]], plain: bool
) -> RenderableType:
    """A table of text cells under a title: Rich's own, or, for a long one, a
    :class:`LongTable` drawn the same way. The cells are shown as they are (never read
    as Rich markup), with any character that could act on a terminal escaped (the
    history refuses such rows; this is the second line of defence)."""
    from hipguide.untrusted import escape

    rows = [tuple(map(escape, row)) for row in rows]
    if len(rows) > LONG_TABLE:
        return LongTable(title, tuple(columns), rows, plain)
    table = Table(
        title=title,
        title_justify="left",
        pad_edge=False,
        box=box.ASCII if plain else box.SIMPLE_HEAD,
    )
    for header, justify, no_wrap in columns:
        table.add_column(header, justify=justify, no_wrap=no_wrap)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*map(Text, row))
    return table


class LongTable:
    """A table of many rows, drawn as Rich draws :func:`_table`'s, character for
    character from 60 columns up (the same title, header, rules, gaps, column widths
    and line breaks; a test holds them equal), but a row at a time, from widths worked
    out in one pass over the cells (:meth:`widths`)."""

    def __init__(
        self, title: str, columns: tuple[Column, ...], rows: Sequence[tuple[str, ...]], plain: bool
    ) -> None:
        self.title, self.columns, self.rows, self.plain = title, columns, rows, plain

    def widths(self, width: int) -> list[int]:
        """Each column's width (its cells' room, without padding) for a screen ``width``
        characters wide, worked out as Rich's table works it out: every column as wide
        as its widest cell; when that is too wide, the widest of the columns that may
        wrap narrowed to the next widest, and so on; then, if need be, every column
        narrowed alike."""
        count = len(self.columns)
        # Padding: one space either side of a cell, none at the table's edges.
        pads = [(index > 0) + (index < count - 1) for index in range(count)]
        sizes = [len(header) for header, _, _ in self.columns]
        for row in self.rows:
            sizes = [max(size, len(cell)) for size, cell in zip(sizes, row, strict=True)]
        sizes = [max(1, size + pad) for size, pad in zip(sizes, pads, strict=True)]
        room = width - (count + 1)  # the edges, and a rule between columns
        if sum(sizes) > room:
            wrapable = [not no_wrap for _, _, no_wrap in self.columns]
            sizes = _collapse(sizes, wrapable, room)
            if sum(sizes) > room:
                sizes = _reduce(sum(sizes) - room, [1] * count, sizes, sizes)
        return [max(0, size - pad) for size, pad in zip(sizes, pads, strict=True)]

    def lines(self, width: int) -> Iterator[tuple[str, str]]:
        """The table's lines, each with its style name ("" for none)."""
        widths = self.widths(width)
        inner = sum(widths) + 3 * (len(widths) - 1)

        def row_lines(cells: Sequence[str], bottom: bool = False) -> Iterator[str]:
            parts = [_wrapped(cell, size) for cell, size in zip(cells, widths, strict=True)]
            depths = max(map(len, parts))
            if bottom:  # a header's cells stand on its last line, as in Rich's
                parts = [[""] * (depths - len(part)) + part for part in parts]
            for depth in range(depths):
                shown = []
                for part, size, (_, justify, _) in zip(parts, widths, self.columns, strict=True):
                    piece = part[depth] if depth < len(part) else ""
                    shown.append(piece.rjust(size) if justify == "right" else piece.ljust(size))
                if self.plain:
                    yield "|" + " | ".join(shown) + "|"
                else:
                    yield " " + "   ".join(shown) + " "

        yield self.title.ljust(inner + 2), "table.title"
        yield ("+" + "-" * inner + "+") if self.plain else " " * (inner + 2), ""
        headers = [header for header, _, _ in self.columns]
        for line in row_lines(headers, bottom=True):
            yield line, "" if self.plain else "table.header"
        if self.plain:
            yield "|" + "-+-".join("-" * size for size in widths) + "|", ""
        else:
            yield " " + "─" * inner + " ", ""
        for row in self.rows:
            for line in row_lines(row):
                yield line, ""
        yield ("+" + "-" * inner + "+") if self.plain else " " * (inner + 2), ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich.segment import Segment

        styles = {name: console.get_style(name) for name in ("table.title", "table.header")}
        newline = Segment.line()
        for line, style in self.lines(options.max_width):
            yield Segment(line, styles.get(style))
            yield newline


def _collapse(widths: list[int], wrapable: list[bool], room: int) -> list[int]:
    """Rich's narrowing of a table too wide for its room: the widest columns that may
    wrap, narrowed together towards the next widest, until the table fits or they all
    stand level."""
    while sum(widths) > room and any(wrapable):
        widest = max(width for width, wraps in zip(widths, wrapable, strict=True) if wraps)
        next_widest = max(
            (
                width
                for width, wraps in zip(widths, wrapable, strict=True)
                if wraps and width != widest
            ),
            default=0,
        )
        ratios = [
            int(wraps and width == widest) for width, wraps in zip(widths, wrapable, strict=True)
        ]
        if not any(ratios) or widest == next_widest:
            break
        most = [min(sum(widths) - room, widest - next_widest)] * len(widths)
        widths = _reduce(sum(widths) - room, ratios, most, widths)
    return widths


def _reduce(total: int, ratios: list[int], most: list[int], values: list[int]) -> list[int]:
    """``values`` less ``total`` in all, shared out by ``ratios``, none by more than its
    ``most`` (Rich's own sharing, rounded as Rich rounds it)."""
    ratios = [ratio if limit else 0 for ratio, limit in zip(ratios, most, strict=True)]
    remaining_ratio, remaining = sum(ratios), total
    result = []
    for ratio, limit, value in zip(ratios, most, values, strict=True):
        if ratio and remaining_ratio > 0:
            taken = min(limit, round(ratio * remaining / remaining_ratio))
            result.append(value - taken)
            remaining -= taken
            remaining_ratio -= ratio
        else:
            result.append(value)
    return result


def _wrapped(cell: str, size: int) -> list[str]:
    """``cell`` in lines of at most ``size`` characters, broken as Rich breaks a table
    cell: between words, a word longer than a line on a line of its own, cut short with
    an ellipsis."""
    if len(cell) <= size:
        return [cell]
    if size < 1:  # a column narrowed to nothing shows nothing, on one line
        return [""]
    lines: list[str] = []
    line = ""
    for word in cell.split(" "):
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= size:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
    lines.append(line)
    return [
        piece if len(piece) <= size else piece[: max(0, size - 1)] + "…"[:size] for piece in lines
    ]


SESSION_COLUMNS: tuple[Column, ...] = (
    ("Date", "left", True),
    ("Min", "right", False),
    ("Points", "left", False),
    ("Pain", "left", True),
    ("Result", "left", False),
)


def session_cells(session: SessionRecord) -> tuple[str, ...]:
    """A session's row: date, minutes, points, pain before -> after (a flare-up marked),
    and whether it was completed or ended early."""
    mark = text.FLARE_MARK if session.flare else ""
    pain = f"{_score(session.pain_before)}{mark} -> {_score(session.pain_after)}"
    if session.completed:
        result = "completed"
    elif session.ended_at is None:
        result = "not finished"
    else:
        result = f"ended early ({session.ended_by or 'stopped'})"
    minutes = "" if session.minutes is None else f"{session.minutes:g}"
    return (_local(session.started_at), minutes, " ".join(session.points), pain, result)


def sessions_table(sessions: Sequence[SessionRecord], plain: bool = False) -> RenderableType:
    """Date, minutes, points, pain before -> after, completed or ended early."""
    return _table("Sessions", SESSION_COLUMNS, [session_cells(s) for s in sessions], plain)


def checks_table(checks: Sequence[CheckRecord], plain: bool = False) -> RenderableType:
    """Date and verdict of each red-flag check."""
    columns: tuple[Column, ...] = (("Date", "left", True), ("Verdict", "left", False))
    rows = [(_local(check.at), check.tier) for check in checks]
    return _table("Red-flag checks", columns, rows, plain)


def checkins_table(
    checkins: Sequence[CheckinRecord], dataset: Dataset | None = None, plain: bool = False
) -> RenderableType:
    """Date, the PEG's three items and their mean, and the PGIC of each check-in."""
    from hipguide.progress import peg_mean

    columns: tuple[Column, ...] = (
        ("Date", "left", True),
        ("PEG pain, enjoyment, activity", "left", True),
        ("Mean", "right", False),
        ("Change since the start (PGIC)", "left", False),
    )
    rows = []
    for checkin in checkins:
        items = ", ".join(str(value) for value in checkin.peg)
        mean = text.score(float(peg_mean(checkin.peg)))
        label = text.pgic_label(checkin.pgic, dataset)
        pgic = f"{checkin.pgic} {label}" if dataset is not None else str(checkin.pgic)
        rows.append((_local(checkin.at), items, mean, pgic))
    return _table("Check-ins", columns, rows, plain)


def peg_chart(checkins: Sequence[CheckinRecord], width: int = 12) -> Text:
    """The PEG mean of each check-in (``o``, rounded to a whole point), 10 at the top,
    oldest left; at most ``width`` check-ins, the newest ones."""
    import math
    from fractions import Fraction

    from hipguide.progress import peg_mean

    shown = list(checkins)[-max(1, width) :]
    chart = Text()
    if not shown:
        return chart
    levels = [math.floor(peg_mean(c.peg) + Fraction(1, 2)) for c in shown]  # half up
    chart.append(text.PEG_TREND + "\n", style="bold")
    for level in range(CHART_HEIGHT, -1, -1):
        row = "".join("o" if value == level else " " for value in levels)
        chart.append(f"{level:>2} |{row}\n")
    chart.append("   +" + "-" * len(shown))
    return chart


#: The most columns the pain trend takes, however wide the screen.
TREND_COLUMNS = 60
#: The most check-ins the PEG trend beside it shows.
PEG_COLUMNS = 26
#: Blanks between the pain trend and the PEG trend.
TREND_GAP = 3


def _room_beside(width: int, checkins: int) -> int | None:
    """The columns left for the pain trend beside the PEG trend of ``checkins``
    check-ins, or None when there are none or the screen is too narrow for both."""
    if not checkins:
        return None
    peg_width = max(len(text.PEG_TREND), CHART_MARGIN + min(checkins, PEG_COLUMNS))
    room = width - CHART_MARGIN - peg_width - TREND_GAP
    return None if room < 10 else room


def trend_columns(width: int, checkins: int = 0) -> int:
    """How many columns the pain trend has on a screen ``width`` characters wide, with
    ``checkins`` check-ins whose trend may stand beside it."""
    room = _room_beside(width, checkins)
    return max(1, min(TREND_COLUMNS, width - CHART_MARGIN if room is None else room))


def trends(
    spans: Sequence[PainSpan], checkins: Sequence[CheckinRecord], width: int
) -> RenderableType:
    """The pain trend and, beside it, the PEG trend, within ``width`` characters."""
    columns = trend_columns(width, len(checkins))
    if not checkins:
        return trend_chart(spans, columns)
    peg = peg_chart(checkins, min(len(checkins), PEG_COLUMNS))
    if not spans:
        return peg
    if _room_beside(width, len(checkins)) is None:  # too narrow to stand side by side
        return Group(trend_chart(spans, columns), Text(), peg)
    grid = Table.grid(padding=(0, TREND_GAP))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_row(trend_chart(spans, columns, short=True), peg)
    return grid


def _score(value: int | None) -> str:
    return "-" if value is None else str(value)


def _level(mean: float | None) -> int | None:
    """A mean score as the row it is drawn on: rounded half up, within 0-10."""
    if mean is None:
        return None
    return min(CHART_HEIGHT, max(0, math.floor(mean + 0.5)))


def trend_chart(spans: Sequence[PainSpan], width: int = TREND_COLUMNS, short: bool = False) -> Text:
    """Pain before (``o``) and after (``x``) pressing, 10 at the top, oldest left: one
    column per session, or, for a longer history, the mean of each span of time (the
    history's :meth:`~hipguide.store.Store.pain_spans`). At most ``width`` columns, the
    newest ones, so that each row stays on one line.
    """
    shown = list(spans)[-max(1, width) :]
    chart = Text()
    if not shown:
        return chart
    averaged = any(span.sessions != 1 for span in shown)
    sessions = sum(span.sessions for span in shown)
    if averaged:
        days = (shown[-1].start - shown[0].start).total_seconds() / 86400 / max(1, len(shown) - 1)
        title = text.pain_trend_averaged(sessions, days, short)
    else:
        title = text.PAIN_TREND_SHORT if short else text.PAIN_TREND
    chart.append(title + "\n", style="bold")
    levels = [(_level(span.before), _level(span.after)) for span in shown]
    for level in range(CHART_HEIGHT, -1, -1):
        row = []
        for before, after in levels:
            mark = " "
            if after == level:
                mark = "x"
            if before == level:
                mark = "o" if mark == " " else "*"
            row.append(mark)
        chart.append(f"{level:>2} |{''.join(row)}\n")
    chart.append("   +" + "-" * len(shown))
    return chart


def history_view(
    outcome: HistoryOutcome, plain: bool = False, width: int = 80, dataset: Dataset | None = None
) -> RenderableType:
    """Everything ``hipguide history`` shows, for a screen ``width`` characters wide: the
    sessions shown (flare-ups marked) and how many more there are, the pain trend of all
    of them with the PEG trend beside it, the checks, the check-ins, and what the
    progress rules say (the check-ins' rule first while it applies)."""
    sessions, checks, checkins = outcome.sessions, outcome.checks, outcome.checkins
    if not sessions and not checks and not checkins:
        return Text(text.NO_HISTORY)
    parts: list[RenderableType] = []
    if sessions:
        parts.append(sessions_table(sessions, plain))
        if outcome.session_count > len(sessions):
            parts.append(
                Text(text.more_shown("sessions", len(sessions), outcome.session_count), style="dim")
            )
        if any(s.flare for s in sessions):
            parts.append(Text(text.FLARE_NOTE, style="dim"))
    if outcome.trend or checkins:
        parts += [trends(outcome.trend, checkins, width), Text()]
    if checks:
        parts.append(checks_table(checks, plain))
        if outcome.check_count > len(checks):
            parts.append(
                Text(text.more_shown("checks", len(checks), outcome.check_count), style="dim")
            )
    if checkins:
        parts.append(checkins_table(checkins, dataset, plain))
    progress, by_checkins = outcome.progress, outcome.by_checkins
    notices = [(progress.stalled, progress_message(progress))]
    if by_checkins is not None:
        notice = (by_checkins.stalled, text.checkin_message(by_checkins, dataset))
        if by_checkins.applies:  # the check-ins decide; the sessions' rule is for reference
            notices = [notice, (False, progress_message(progress))]
        else:
            notices.append(notice)
    for stalled, message in notices:
        style = "bold yellow" if stalled else "dim"
        parts.append(Text(("Please note: " if stalled else "") + message, style=style))
    if checkins and dataset is not None:
        parts.append(Text(text.measures_line(dataset), style="dim"))
    return Group(*parts)


CSV_COLUMNS = (
    "started_at",
    "ended_at",
    "minutes",
    "points",
    "pain_before",
    "pain_after",
    "completed",
    "ended_by",
)


def write_csv(sessions: Sequence[SessionRecord]) -> None:
    """The sessions as CSV on stdout, one row each, with a header."""
    import csv
    import sys

    from hipguide.ui import json
    from hipguide.ui.console import output_stream

    stream = output_stream(sys.stdout)
    if stream is None:  # stdout closed: there is nowhere to write
        return
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for session in sessions:
        row = json.session(session)
        writer.writerow(
            [
                row["started_at"],
                row["ended_at"] or "",
                "" if row["minutes"] is None else row["minutes"],
                " ".join(row["points"]),
                _blank(row["pain_before"]),
                _blank(row["pain_after"]),
                str(row["completed"]).lower(),
                row["ended_by"] or "",
            ]
        )


def _blank(value: object) -> str:
    return "" if value is None else str(value)
