"""The course as a schedule: which days to press, when to check in, when to reassess.

Pure logic: no I/O, no clock reads, no sentences. :func:`plan_course` turns the options of
``hipguide remind`` and the local date and time now into dates and counts; the calendar
file is written from it in :mod:`hipguide.ui.calendar`.

The defaults follow the course advice in ``data/routine.yaml`` (the trials of
self-administered acupressure pressed daily or on most days for 6 to 12 weeks):
daily at 18:00 for 6 weeks, a check-in every week from the first day (that one is the
baseline the later ones are compared with) up to the last week of the course, each right
after a session and none after the last one, and a reassessment at 4 weeks, when the
check-in rule first applies.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hipguide.records import dataclass, replace

#: The days of the week as ``--days`` names them, Monday first (``date.weekday()`` order).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: ``--days daily``.
DAILY = "daily"
DEFAULT_DAYS = WEEKDAYS
DEFAULT_AT = time(18, 0)
DEFAULT_WEEKS = 6
#: The range of ``--weeks``.
WEEKS = (1, 26)
#: When the reassessment falls, in weeks from the first session.
REASSESS_WEEKS = 4
#: How long a session event lasts, and how long before it the alarm rings.
SESSION_MINUTES = 15
ALARM_MINUTES = 10
#: How long the check-in event lasts (it follows the session).
CHECKIN_MINUTES = 5


@dataclass(frozen=True)
class CourseSchedule:
    """A course: sessions on ``days`` at ``at`` (local time) from ``start``, ``sessions``
    of them in all; a check-in each week from ``start``, on the weekday of ``start``
    (``checkins`` of them, the last on or before ``last``, so each one follows a
    session); and the reassessment on ``reassess``. ``last`` is the day of the last
    session."""

    start: date
    days: tuple[str, ...]
    at: time
    weeks: int
    sessions: int
    last: date
    checkins: int
    reassess: date

    @property
    def first_checkin(self) -> datetime:
        """When the first check-in begins, in local time: as the first session ends
        (the next day, after a late session)."""
        return datetime.combine(self.start, self.at) + timedelta(minutes=SESSION_MINUTES)

    @property
    def daily(self) -> bool:
        """Whether every day of the week is a session day."""
        return len(self.days) == len(WEEKDAYS)

    def session_dates(self) -> list[date]:
        """Every session day, in order (what the calendar's rule expands to)."""
        found: list[date] = []
        day = self.start
        while len(found) < self.sessions:
            if WEEKDAYS[day.weekday()] in self.days:
                found.append(day)
            day += timedelta(days=1)
        return found


def plan_course(now: datetime, days: tuple[str, ...], at: time, weeks: int) -> CourseSchedule:
    """The course from ``now`` (a local, naive or aware, date and time): the first session
    is today when ``at`` is still to come and today is a session day, else the next
    session day; ``weeks`` weeks of ``days`` (week-ordered, no repeats) follow."""
    ordered = tuple(day for day in WEEKDAYS if day in days)
    if not ordered:
        raise ValueError("a course needs at least one day of the week")
    if not WEEKS[0] <= weeks <= WEEKS[1]:
        raise ValueError(f"a course lasts {WEEKS[0]} to {WEEKS[1]} weeks, not {weeks}")
    start = now.date() if now.time().replace(tzinfo=None) < at else now.date() + timedelta(1)
    while WEEKDAYS[start.weekday()] not in ordered:
        start += timedelta(days=1)
    sessions = weeks * len(ordered)
    schedule = CourseSchedule(
        start=start,
        days=ordered,
        at=at,
        weeks=weeks,
        sessions=sessions,
        last=start,
        checkins=1,
        reassess=start + timedelta(weeks=REASSESS_WEEKS),
    )
    dates = schedule.session_dates()
    # A check-in follows the session on the first day and every week after it, as
    # long as sessions go on: one a week of the course, the last in its last week.
    checkins = sum(1 for day in dates if (day - start).days % 7 == 0)
    return replace(schedule, last=dates[-1], checkins=checkins)
