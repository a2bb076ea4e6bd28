"""Rich views of the history: sessions, checks, a pain trend chart, the progress notice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hipguide.progress import CheckinProgress, Progress
from hipguide.store import CheckinRecord, CheckRecord, SessionRecord
from hipguide.ui import text
from hipguide.ui.text import progress_message

if TYPE_CHECKING:
    from hipguide.dataset import Dataset

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
        table.add_row(_local(s.started_at), minutes, " ".join(s.points), pain, result)
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
        table.add_row(_local(check.at), check.tier)
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


def trends(
    sessions: Sequence[SessionRecord], checkins: Sequence[CheckinRecord], width: int
) -> RenderableType:
    """The pain trend and, beside it, the PEG trend, within ``width`` characters."""
    if not checkins:
        return trend_chart(sessions, min(60, width - CHART_MARGIN))
    peg_columns = min(len(checkins), 26)
    peg_width = max(len(text.PEG_TREND), CHART_MARGIN + peg_columns)
    gap = 3
    room = width - CHART_MARGIN - peg_width - gap
    peg = peg_chart(checkins, peg_columns)
    if not sessions:
        return peg
    if room < 10:  # too narrow to stand side by side
        return Group(trend_chart(sessions, min(60, width - CHART_MARGIN)), Text(), peg)
    grid = Table.grid(padding=(0, gap))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_row(trend_chart(sessions, min(60, room), text.PAIN_TREND_SHORT), peg)
    return grid


def _score(value: int | None) -> str:
    return "-" if value is None else str(value)


PAIN_TREND = "Pain trend (o before, x after each session, oldest on the left)"


def trend_chart(
    sessions: Sequence[SessionRecord], width: int = 60, title: str = PAIN_TREND
) -> Text:
    """Pain before each session (``o``) and after it (``x``), 10 at the top, oldest left.

    At most ``width`` sessions, the newest ones, so that each row stays on one line.
    """
    scored = [s for s in sessions if s.pain_before is not None or s.pain_after is not None]
    scored = scored[-max(1, width) :]
    text = Text()
    if not scored:
        return text
    text.append(title + "\n", style="bold")
    for level in range(CHART_HEIGHT, -1, -1):
        row = []
        for s in scored:
            mark = " "
            if s.pain_after == level:
                mark = "x"
            if s.pain_before == level:
                mark = "o" if mark == " " else "*"
            row.append(mark)
        text.append(f"{level:>2} |{''.join(row)}\n")
    text.append("   +" + "-" * len(scored))
    return text


def history_view(
    sessions: Sequence[SessionRecord],
    checks: Sequence[CheckRecord],
    progress: Progress,
    plain: bool = False,
    width: int = 80,
    checkins: Sequence[CheckinRecord] = (),
    by_checkins: CheckinProgress | None = None,
    dataset: Dataset | None = None,
) -> RenderableType:
    """Everything ``hipguide history`` shows, for a screen ``width`` characters wide: the
    sessions (flare-ups marked), the pain trend with the PEG trend beside it, the checks,
    the check-ins, and what the progress rules say (the check-ins' rule first while it
    applies)."""
    if not sessions and not checks and not checkins:
        return Text("No history yet. Start with 'hipguide check' or 'hipguide routine'.")
    parts: list[RenderableType] = []
    if sessions:
        parts.append(sessions_table(sessions, plain))
        if any(s.flare for s in sessions):
            parts.append(Text(text.FLARE_NOTE, style="dim"))
    if sessions or checkins:
        parts += [trends(sessions, checkins, width), Text()]
    if checks:
        parts.append(checks_table(checks, plain))
    if checkins:
        parts.append(checkins_table(checkins, dataset, plain))
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
