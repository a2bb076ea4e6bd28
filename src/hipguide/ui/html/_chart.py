"""The pain trend of a report as numbers for an SVG: marks, lines and axis ticks.

Pure geometry: the template draws it. Every session with a pain score is drawn; a
history too long for one mark a session is drawn as means over equal spans of days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from hipguide.flows.report import PainPoint
from hipguide.records import dataclass
from hipguide.ui import text

#: The chart's own units (its viewBox); the page scales it to its width.
WIDTH = 720
HEIGHT = 150
LEFT, RIGHT, TOP, BOTTOM = 34, 16, 10, 26
#: Above this many sessions, sessions are averaged over spans of days.
MAX_MARKS = 120
X_TICKS = 6


@dataclass(frozen=True)
class Series:
    """One line of the chart: its path and its marks."""

    path: str
    marks: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Chart:
    """A drawn trend: two series, the ticks of both axes, and how it was drawn."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    before: Series
    after: Series
    y_ticks: tuple[tuple[float, str], ...]
    x_ticks: tuple[tuple[float, str], ...]
    sessions: int
    span_days: int  # 0: one mark a session; else the days each mark averages


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _means(
    points: Sequence[PainPoint], days: int
) -> list[tuple[datetime, float | None, float | None]]:
    """Sessions averaged over spans of ``days`` days from the first one."""
    start = points[0].started_at
    spans: dict[int, list[PainPoint]] = {}
    for point in points:
        spans.setdefault((point.started_at - start).days // days, []).append(point)

    def mean(values: list[int | None]) -> float | None:
        given = [v for v in values if v is not None]
        return sum(given) / len(given) if given else None

    rows = []
    for _, group in sorted(spans.items()):
        middle = sum((p.started_at - start).total_seconds() for p in group) / len(group)
        rows.append(
            (
                start + timedelta(seconds=middle),
                mean([p.pain_before for p in group]),
                mean([p.pain_after for p in group]),
            )
        )
    return rows


def _x_ticks(first: datetime, last: datetime) -> list[tuple[datetime, str]]:
    """Where the x-axis is labelled, and how, each label once (in local time): times
    of the day when every session falls on one day (the first with its date), one date
    a day when the sessions span :data:`X_TICKS` days or fewer, else :data:`X_TICKS`
    dates spread evenly from the first session to the last."""
    start, end = first.astimezone(), last.astimezone()
    span = end - start
    if span <= timedelta(0):
        return [(first, text.short_date(first))]
    days = (end.date() - start.date()).days + 1
    if 1 < days <= X_TICKS:
        noons = (
            datetime.combine(start.date() + timedelta(days=day), time(12), start.tzinfo)
            for day in range(days)
        )
        return [(min(max(noon, start), end), text.short_date(noon)) for noon in noons]
    ticks: list[tuple[datetime, str]] = []
    seen: set[str] = set()
    for i in range(X_TICKS):
        moment = start + span * i / (X_TICKS - 1)
        label = f"{moment:%H:%M}" if days == 1 else text.short_date(moment)
        if label in seen:
            continue
        seen.add(label)
        ticks.append((moment, label))
    if days == 1:
        moment, label = ticks[0]
        ticks[0] = (moment, f"{text.short_date(moment)}, {label}")
    return ticks


def pain_chart(timeline: Sequence[PainPoint]) -> Chart | None:
    """The chart of every session with a pain score; None when none has one."""
    scored = [p for p in timeline if p.pain_before is not None or p.pain_after is not None]
    if not scored:
        return None
    first, last = scored[0].started_at, scored[-1].started_at
    span = max((last - first).total_seconds(), 0.0)
    days = 0
    rows: list[tuple[datetime, float | None, float | None]]
    if len(scored) > MAX_MARKS:
        days = max(1, math.ceil(span / 86400 / MAX_MARKS))
        rows = _means(scored, days)
    else:
        rows = [(p.started_at, p.pain_before, p.pain_after) for p in scored]
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x_of(moment: datetime) -> float:
        if span == 0:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (moment - first).total_seconds() / span

    def y_of(score: float) -> float:
        return TOP + plot_h * (1 - score / 10)

    def series(after: bool) -> Series:
        marks = tuple(
            (round(x_of(moment), 1), round(y_of(value), 1))
            for moment, before_score, after_score in rows
            if (value := after_score if after else before_score) is not None
        )
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{_number(x)} {_number(y)}" for i, (x, y) in enumerate(marks)
        )
        return Series(path, marks)

    y_ticks = tuple((round(y_of(score), 1), str(score)) for score in range(0, 11, 2))
    x_ticks = tuple((round(x_of(moment), 1), label) for moment, label in _x_ticks(first, last))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        before=series(after=False),
        after=series(after=True),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        sessions=len(scored),
        span_days=days,
    )
