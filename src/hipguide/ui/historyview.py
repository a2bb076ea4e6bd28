"""Rich views of the history: sessions, checks, a pain trend chart, the progress notice."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hipguide.store import CheckinRecord, CheckRecord, PainSpan, SessionRecord
from hipguide.ui import text
from hipguide.ui.text import progress_message

if TYPE_CHECKING:
    from hipguide.dataset import Dataset
    from hipguide.flows.history import HistoryOutcome

CHART_HEIGHT = 10
#: Characters left of the chart's marks: ``10 |``.
CHART_MARGIN = 4


def _local(moment: object) -> str:
    from datetime import datetime

    assert isinstance(moment, datetime)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def sessions_table(sessions: Sequence[SessionRecord], plain: bool = False) -> Table:
    """Date, minutes, points, pain before -> after, completed or ended early."""
    table = Table(
        title="Sessions",
        title_justify="left",
        pad_edge=False,
        box=box.ASCII if plain else box.SIMPLE_HEAD,
    )
    table.add_column("Date", no_wrap=True)
    table.add_column("Min", justify="right")
    table.add_column("Points")
    table.add_column("Pain", no_wrap=True)
    table.add_column("Result")
    for s in sessions:
        mark = text.FLARE_MARK if s.flare else ""
        pain = f"{_score(s.pain_before)}{mark} -> {_score(s.pain_after)}"
        if s.completed:
            result = "completed"
        elif s.ended_at is None:
            result = "not finished"
        else:
            result = f"ended early ({s.ended_by or 'stopped'})"
        minutes = "" if s.minutes is None else f"{s.minutes:g}"
        # Text from the history is shown as it is, never read as Rich markup.
        table.add_row(
            _local(s.started_at), minutes, _plain(" ".join(s.points)), pain, _plain(result)
        )
    return table


def checks_table(checks: Sequence[CheckRecord], plain: bool = False) -> Table:
    """Date and verdict of each red-flag check."""
    table = Table(
        title="Red-flag checks",
        title_justify="left",
        pad_edge=False,
        box=box.ASCII if plain else box.SIMPLE_HEAD,
    )
    table.add_column("Date", no_wrap=True)
    table.add_column("Verdict")
    for check in checks:
        table.add_row(_local(check.at), _plain(check.tier))
    return table


def checkins_table(
    checkins: Sequence[CheckinRecord], dataset: Dataset | None = None, plain: bool = False
) -> Table:
    """Date, the PEG's three items and their mean, and the PGIC of each check-in."""
    from hipguide.progress import peg_mean

    table = Table(
        title="Check-ins",
        title_justify="left",
        pad_edge=False,
        box=box.ASCII if plain else box.SIMPLE_HEAD,
    )
    table.add_column("Date", no_wrap=True)
    table.add_column("PEG pain, enjoyment, activity", no_wrap=True)
    table.add_column("Mean", justify="right")
    table.add_column("Change since the start (PGIC)")
    for checkin in checkins:
        items = ", ".join(str(value) for value in checkin.peg)
        mean = text.score(float(peg_mean(checkin.peg)))
        label = text.pgic_label(checkin.pgic, dataset)
        pgic = f"{checkin.pgic} {label}" if dataset is not None else str(checkin.pgic)
        table.add_row(_local(checkin.at), items, mean, pgic)
    return table


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


def _plain(value: str) -> Text:
    """Text read from the history, as a cell: never taken for Rich markup, and any
    character that could act on a terminal shown as an escape (the history refuses
    such rows; this is the second line of defence)."""
    from hipguide.untrusted import escape

    return Text(escape(value))


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
