"""Rich views of the history: sessions, checks, a pain trend chart, the progress notice."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hipguide.progress import Progress
from hipguide.store import CheckRecord, SessionRecord
from hipguide.ui.text import progress_message

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
        pain = f"{_score(s.pain_before)} -> {_score(s.pain_after)}"
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


def _score(value: int | None) -> str:
    return "-" if value is None else str(value)


def trend_chart(sessions: Sequence[SessionRecord], width: int = 60) -> Text:
    """Pain before each session (``o``) and after it (``x``), 10 at the top, oldest left.

    At most ``width`` sessions, the newest ones, so that each row stays on one line.
    """
    scored = [s for s in sessions if s.pain_before is not None or s.pain_after is not None]
    scored = scored[-max(1, width) :]
    text = Text()
    if not scored:
        return text
    text.append("Pain trend (o before, x after each session, oldest on the left)\n", style="bold")
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
) -> RenderableType:
    """Everything ``hipguide history`` shows, for a screen ``width`` characters wide."""
    if not sessions and not checks:
        return Text("No history yet. Start with 'hipguide check' or 'hipguide routine'.")
    parts: list[RenderableType] = []
    if sessions:
        chart = trend_chart(sessions, min(60, width - CHART_MARGIN))
        parts += [sessions_table(sessions, plain), chart, Text()]
    if checks:
        parts.append(checks_table(checks, plain))
    style = "bold yellow" if progress.stalled else "dim"
    message = progress_message(progress)
    parts.append(Text(("Please note: " if progress.stalled else "") + message, style=style))
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
