"""The course's calendar ends with the course: every weekly check-in follows a session,
from the first day to the course's last week, and none falls after the last session;
and ``--days`` says what is wrong when ``daily`` is given beside days of the week."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import combinations, pairwise
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from typer.testing import CliRunner

from fakes import FakeClock, FakeScreen
from hipguide.cli import app
from hipguide.cli._runtime import Runtime
from hipguide.course import WEEKDAYS, WEEKS, plan_course
from hipguide.errors import UsageError
from hipguide.flows.remind import RemindRequest, parse_days, plan_reminders
from hipguide.ui.calendar import build_calendar

LONDON = ZoneInfo("Europe/London")
#: Tuesday 1 December 2026, 18:45 in London: too late for a session today.
EVENING = datetime(2026, 12, 1, 18, 45, tzinfo=LONDON)


def expanded(days: str | None, weeks: str | None) -> tuple[list[datetime], list[datetime]]:
    """The session and check-in starts of the calendar made at :data:`EVENING`, as a
    calendar program expands them."""
    request = RemindRequest(days=days, weeks=weeks, local_zone="Europe/London")
    outcome = plan_reminders(request, screen=FakeScreen(), clock=FakeClock(wall=EVENING))
    calendar = icalendar.Calendar.from_ical(build_calendar(outcome))
    found = recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2028, 1, 1))

    def starts(summary: str) -> list[datetime]:
        return sorted(
            e.decoded("dtstart").astimezone(LONDON)
            for e in found
            if str(e["summary"]).startswith(summary)
        )

    return starts("hipguide routine"), starts("hipguide checkin")


@pytest.mark.parametrize(
    ("days", "weeks", "last_session", "last_checkin", "checkins"),
    [
        (None, None, date(2027, 1, 12), date(2027, 1, 6), 6),  # daily for 6 weeks
        ("mon,wed,fri", "8", date(2027, 1, 25), date(2027, 1, 20), 8),
        ("daily", "4", date(2026, 12, 29), date(2026, 12, 23), 4),
        ("wed", "1", date(2026, 12, 2), date(2026, 12, 2), 1),
    ],
)
def test_no_checkin_falls_after_the_last_session(
    days: str | None, weeks: str | None, last_session: date, last_checkin: date, checkins: int
) -> None:
    sessions, checks = expanded(days, weeks)
    assert sessions[0].date() == checks[0].date() == date(2026, 12, 2)  # the baseline
    assert sessions[-1].date() == last_session
    assert checks[-1].date() == last_checkin
    assert len(checks) == checkins
    assert all(c <= sessions[-1] + timedelta(minutes=15) for c in checks)
    session_at = {s.date(): s for s in sessions}
    for check in checks:  # each right after that day's session
        assert check - session_at[check.date()] == timedelta(minutes=15)
    assert [b - a for a, b in pairwise(checks)] == [timedelta(weeks=1)] * (checkins - 1)


DAY_SETS = [WEEKDAYS, *combinations(WEEKDAYS, 1), *combinations(WEEKDAYS, 3), ("sat", "sun")]


@pytest.mark.parametrize("days", DAY_SETS, ids=",".join)
def test_every_course_has_a_checkin_each_week_and_none_after_it(days: tuple[str, ...]) -> None:
    for offset in range(7):  # a course starting on each day of the week
        now = datetime(2024, 3, 18, 9, 0) + timedelta(days=offset)
        for weeks in range(WEEKS[0], WEEKS[1] + 1):
            course = plan_course(now, days, time(18, 0), weeks)
            sessions = set(course.session_dates())
            checkins = [course.start + timedelta(weeks=n) for n in range(course.checkins)]
            assert course.checkins == weeks
            assert checkins[-1] <= course.last
            assert checkins[-1] + timedelta(weeks=1) > course.last  # none is left out
            assert set(checkins) <= sessions


# --- --days daily ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["daily,mon", "mon,daily", "Daily, Friday", "daily,daily,sun"])
def test_daily_beside_days_says_they_cannot_be_combined(text: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_days(text)
    message = str(raised.value)
    assert "'daily' cannot be combined with" in message
    assert "Unknown day" not in message and "Did you mean" not in message


def test_daily_alone_or_repeated_is_every_day() -> None:
    assert parse_days("daily") == parse_days("daily,daily") == WEEKDAYS


def test_the_command_says_it_in_one_line(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["remind", "--ics", "-", "--days", "daily,mon"],
        obj=Runtime(clock=FakeClock(wall=EVENING)),
    )
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    message = " ".join(result.stderr.split())
    assert "--days takes daily or days of the week, not both" in message
    assert "cannot be combined with 'mon'" in message
    assert result.stdout == ""
