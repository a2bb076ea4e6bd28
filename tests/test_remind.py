"""``hipguide remind``: the course laid out (pure), the options checked, and the calendar
read back with icalendar and expanded with recurring-ical-events, as a calendar program
would, across a change to summer time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from typer.testing import CliRunner, Result

from fakes import FakeClock, FakeScreen
from hipguide import config
from hipguide.cli import app
from hipguide.cli._runtime import Runtime
from hipguide.course import WEEKDAYS, plan_course
from hipguide.errors import UsageError
from hipguide.flows.remind import (
    RemindRequest,
    parse_at,
    parse_days,
    parse_weeks,
    parse_zone,
    plan_reminders,
)
from hipguide.ui.calendar import build_calendar

LONDON = ZoneInfo("Europe/London")
#: Wednesday 20 March 2024, 10:00 in London; the clocks go forward on Sunday 31 March.
SPRING = datetime(2024, 3, 20, 10, 0, tzinfo=timezone.utc)


# --- the course, pure --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "days", "start"),
    [
        (datetime(2024, 3, 20, 17, 59), WEEKDAYS, date(2024, 3, 20)),  # still to come today
        (datetime(2024, 3, 20, 18, 0), WEEKDAYS, date(2024, 3, 21)),  # too late for today
        (datetime(2024, 3, 22, 9, 0), ("mon", "wed"), date(2024, 3, 25)),  # Friday: Monday
        (datetime(2024, 3, 20, 9, 0), ("mon", "wed"), date(2024, 3, 20)),
        (datetime(2024, 3, 20, 19, 0), ("wed",), date(2024, 3, 27)),
    ],
)
def test_the_first_session_is_the_next_session_day(
    now: datetime, days: tuple[str, ...], start: date
) -> None:
    course = plan_course(now, days, time(18, 0), 6)
    assert course.start == start
    assert course.reassess == start + timedelta(days=28)
    assert WEEKDAYS[course.start.weekday()] in days


@pytest.mark.parametrize(
    ("days", "weeks", "sessions"),
    [(WEEKDAYS, 6, 42), (("mon", "wed", "fri"), 6, 18), (("sun",), 1, 1), (WEEKDAYS, 26, 182)],
)
def test_a_course_counts_its_sessions(days: tuple[str, ...], weeks: int, sessions: int) -> None:
    course = plan_course(datetime(2024, 3, 20, 9, 0), days, time(18, 0), weeks)
    dates = course.session_dates()
    assert course.sessions == len(dates) == sessions
    assert course.last == dates[-1]
    assert course.checkins == weeks  # one a week, the last in the course's last week
    assert dates[-1] - dates[0] < timedelta(weeks=weeks)


def test_days_come_in_week_order_without_repeats() -> None:
    course = plan_course(datetime(2024, 3, 20, 9, 0), ("fri", "mon", "fri"), time(7, 30), 2)
    assert course.days == ("mon", "fri")


# --- the options ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        (None, WEEKDAYS),
        ("daily", WEEKDAYS),
        ("DAILY", WEEKDAYS),
        ("mon,wed,fri", ("mon", "wed", "fri")),
        ("Friday, monday", ("mon", "fri")),
        ("sun,,sat,", ("sat", "sun")),
    ],
)
def test_days(text: str | None, days: tuple[str, ...]) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize(
    ("text", "suggested"),
    [("mnday", "mon"), ("thurs", "thu"), ("wendsday", "wed"), ("dialy", "daily"), ("xyz", None)],
)
def test_a_bad_day_is_exit_2_with_did_you_mean(text: str, suggested: str | None) -> None:
    with pytest.raises(UsageError) as raised:
        parse_days(f"mon,{text}")
    message = str(raised.value)
    assert raised.value.exit_code == 2
    assert f"Unknown day '{text}' for --days" in message
    assert ("Did you mean" in message) is (suggested is not None)
    if suggested:
        assert f"Did you mean {suggested}" in message


def test_no_day_at_all_is_exit_2() -> None:
    with pytest.raises(UsageError, match="at least one day"):
        parse_days(" , ")


@pytest.mark.parametrize(
    ("text", "at"),
    [(None, time(18)), ("18:00", time(18)), ("7:05", time(7, 5)), ("23:59", time(23, 59))],
)
def test_times(text: str | None, at: time) -> None:
    assert parse_at(text) == at


@pytest.mark.parametrize("text", ["24:00", "18:60", "6pm", "18", "18:0", "", "18.00", "-1:00"])
def test_a_bad_time_is_exit_2_naming_the_format(text: str) -> None:
    with pytest.raises(UsageError, match=r"HH:MM on the 24-hour clock"):
        parse_at(text)


@pytest.mark.parametrize("text", ["0", "27", "six", "4.5", "", "6" * 5000])
def test_bad_weeks_are_exit_2_naming_the_range(text: str) -> None:
    with pytest.raises(UsageError, match="from 1 to 26"):
        parse_weeks(text)


def test_a_bad_time_zone_suggests_the_close_ones() -> None:
    assert parse_zone("Europe/London") == "Europe/London"
    for bad in ("Europe/Londn", "../etc/passwd", "/etc/localtime", ""):
        with pytest.raises(UsageError, match="Unknown time zone"):
            parse_zone(bad)
    with pytest.raises(UsageError, match="Did you mean Europe/London"):
        parse_zone("Europe/Londn")


def test_without_a_local_zone_the_calendar_is_in_utc_and_says_so() -> None:
    screen = FakeScreen()
    outcome = plan_reminders(RemindRequest(), screen=screen, clock=FakeClock(wall=SPRING))
    assert (outcome.zone, outcome.zone_found) == ("UTC", False)
    assert screen.kinds() == ["NoTimezone"]
    calendar = icalendar.Calendar.from_ical(build_calendar(outcome))
    assert calendar.walk("VTIMEZONE") == []
    session = calendar.walk("VEVENT")[0]
    assert session.decoded("dtstart") == datetime(2024, 3, 20, 18, 0, tzinfo=timezone.utc)
    assert b"DTSTART:20240320T180000Z" in build_calendar(outcome)


# --- the calendar, read back -------------------------------------------------------------------


def calendar_for(**options: Any) -> icalendar.Calendar:
    options.setdefault("local_zone", "Europe/London")
    outcome = plan_reminders(
        RemindRequest(**options), screen=FakeScreen(), clock=FakeClock(wall=SPRING)
    )
    return icalendar.Calendar.from_ical(build_calendar(outcome))


def events(calendar: icalendar.Calendar, summary_starts: str) -> list[Any]:
    """Every occurrence of the event whose summary starts so, over a year."""
    found = recurring_ical_events.of(calendar).between(date(2024, 1, 1), date(2025, 1, 1))
    return sorted(
        (e for e in found if str(e["summary"]).startswith(summary_starts)),
        key=lambda e: e.decoded("dtstart"),
    )


def test_the_sessions_stay_at_18_00_local_time_across_the_clock_change() -> None:
    sessions = events(calendar_for(), "hipguide routine")
    starts = [e.decoded("dtstart") for e in sessions]

    assert len(starts) == 42  # daily for 6 weeks
    assert starts[0] == datetime(2024, 3, 20, 18, 0, tzinfo=LONDON)
    assert [s.date() for s in starts] == [date(2024, 3, 20) + timedelta(n) for n in range(42)]
    assert {(s.astimezone(LONDON).hour, s.astimezone(LONDON).minute) for s in starts} == {(18, 0)}
    utc_hours = [s.astimezone(timezone.utc).hour for s in starts]
    assert utc_hours[:11] == [18] * 11  # GMT until Sunday 31 March
    assert utc_hours[11:] == [17] * 31  # then BST
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(minutes=15) for e in sessions)


def test_the_time_zone_is_written_out_for_calendar_programs() -> None:
    calendar = calendar_for()
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/London"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    session = calendar.walk("VEVENT")[0]
    assert session["dtstart"].params["TZID"] == "Europe/London"
    assert session["rrule"]["FREQ"] == ["DAILY"] and session["rrule"]["COUNT"] == [42]


def test_the_session_has_an_alarm_ten_minutes_before() -> None:
    session = calendar_for().walk("VEVENT")[0]
    [alarm] = session.walk("VALARM")
    assert alarm["action"] == "DISPLAY"
    assert alarm.decoded("trigger") == timedelta(minutes=-10)
    assert "hipguide routine" in str(alarm["description"])


def test_chosen_days_and_time() -> None:
    calendar = calendar_for(days="mon,wed,fri", at="07:30", weeks="4")
    sessions = events(calendar, "hipguide routine")
    starts = [e.decoded("dtstart").astimezone(LONDON) for e in sessions]

    assert len(starts) == 12
    assert {WEEKDAYS[s.weekday()] for s in starts} == {"mon", "wed", "fri"}
    assert starts[0] == datetime(2024, 3, 22, 7, 30, tzinfo=LONDON)  # 07:30 has passed on the 20th
    assert {(s.hour, s.minute) for s in starts} == {(7, 30)}
    rule = calendar.walk("VEVENT")[0]["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "WE", "FR"]


def test_a_weekly_checkin_follows_a_session_from_the_first_day() -> None:
    calendar = calendar_for()
    checkins = events(calendar, "hipguide checkin")
    starts = [e.decoded("dtstart") for e in checkins]

    [event] = [e for e in calendar.walk("VEVENT") if "checkin" in str(e["summary"])]
    assert event["rrule"]["FREQ"] == ["WEEKLY"] and event["rrule"]["COUNT"] == [6]
    assert len(starts) == 6  # a 6-week course: the last on 24 April, before its last day
    assert starts[0] == datetime(2024, 3, 20, 18, 15, tzinfo=LONDON)
    assert [b - a for a, b in pairwise(starts)] == [timedelta(weeks=1)] * 5
    assert {s.astimezone(LONDON).hour for s in starts} == {18}


def test_the_reassessment_is_at_four_weeks_and_says_what_to_do() -> None:
    calendar = calendar_for(weeks="8")
    [reassess] = [e for e in calendar.walk("VEVENT") if "reassess" in str(e["summary"]).lower()]
    assert reassess.decoded("dtstart") == date(2024, 4, 17)  # 4 weeks after 20 March
    assert reassess.decoded("dtend") == date(2024, 4, 18)
    description = " ".join(str(reassess["description"]).split())
    assert "If nothing has changed" in description
    assert "GP or a physiotherapist" in description


def test_the_same_course_made_twice_has_the_same_ids() -> None:
    first = {str(e["uid"]) for e in calendar_for().walk("VEVENT")}
    again = {str(e["uid"]) for e in calendar_for().walk("VEVENT")}
    other = {str(e["uid"]) for e in calendar_for(at="09:00").walk("VEVENT")}
    assert first == again and len(first) == 3
    assert first.isdisjoint(other)


# --- the command -------------------------------------------------------------------------------


def remind(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["remind", *args], obj=Runtime(clock=FakeClock(wall=SPRING)))


@pytest.fixture
def in_london(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/London")


def test_the_local_zone_comes_from_the_system(
    monkeypatch: pytest.MonkeyPatch, in_london: None
) -> None:
    assert config.local_timezone_name() == "Europe/London"
    monkeypatch.setenv("TZ", "America/New_York")
    assert config.local_timezone_name() == "America/New_York"


def test_a_file_is_written_and_kept_from_being_overwritten(
    runner: CliRunner, tmp_path: Path, in_london: None
) -> None:
    target = tmp_path / "course.ics"
    result = remind(runner, "--ics", str(target))
    assert result.exit_code == 0, result.output
    assert "Calendar written to" in result.stdout and "Europe/London" in result.stdout
    made = target.read_bytes()
    assert made.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"TZID=Europe/London" in made

    again = remind(runner, "--ics", str(target), "--at", "09:00")
    assert again.exit_code == 2
    assert "exists already" in again.stderr and "--force" in again.stderr
    assert target.read_bytes() == made

    forced = remind(runner, "--ics", str(target), "--at", "09:00", "--force")
    assert forced.exit_code == 0
    assert target.read_bytes() != made and b"T090000" in target.read_bytes()


def test_a_dash_writes_the_calendar_to_stdout(runner: CliRunner, in_london: None) -> None:
    result = remind(runner, "--ics", "-", "--days", "sat,sun")
    assert result.exit_code == 0
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes)
    assert calendar.walk("VEVENT")[0]["rrule"]["BYDAY"] == ["SA", "SU"]
    assert "Calendar written" not in result.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--days", "mon,tusday"], "Did you mean tue"),
        (["--at", "6pm"], "HH:MM"),
        (["--weeks", "52"], "from 1 to 26"),
        (["--timezone", "Europe/Pariss"], "Did you mean Europe/Paris"),
    ],
)
def test_bad_options_are_exit_2(
    runner: CliRunner, tmp_path: Path, args: list[str], said: str
) -> None:
    target = tmp_path / "course.ics"
    result = remind(runner, "--ics", str(target), *args)
    assert result.exit_code == 2
    assert said in " ".join(result.stderr.split())
    assert not target.exists()


def test_no_local_zone_falls_back_to_utc_in_a_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tzlocal

    def lost() -> str:
        raise LookupError("no zone here")

    monkeypatch.setattr(tzlocal, "get_localzone_name", lost)
    result = remind(runner, "--ics", "-")
    assert result.exit_code == 0
    assert "could not be found" in result.stderr and "UTC" in result.stderr
    assert b"DTSTART:20240320T180000Z" in result.stdout_bytes


def test_a_given_zone_wins(runner: CliRunner, in_london: None) -> None:
    result = remind(runner, "--ics", "-", "--timezone", "Asia/Tokyo")
    assert result.exit_code == 0
    assert b"TZID=Asia/Tokyo" in result.stdout_bytes
    assert b"Europe/London" not in result.stdout_bytes


def test_the_written_line_names_the_checkin_day_it_falls_on_and_counts_weeks(
    runner: CliRunner, in_london: None, tmp_path: Path
) -> None:
    # Wednesday 20 March: a session at 23:50 ends after midnight, so the check-in that
    # follows it falls on Thursdays
    late = remind(runner, "--ics", str(tmp_path / "a.ics"), "--at", "23:50", "--weeks", "1")
    assert late.exit_code == 0, late.output
    line = " ".join(late.stdout.split())
    assert "for 1 week from" in line and "1 weeks" not in line
    assert "a weekly check-in on Thursdays" in line
    checkin = events(
        icalendar.Calendar.from_ical((tmp_path / "a.ics").read_bytes()), "hipguide checkin"
    )
    assert WEEKDAYS[checkin[0].decoded("dtstart").weekday()] == "thu"
    early = remind(runner, "--ics", str(tmp_path / "b.ics"), "--at", "18:00", "--weeks", "2")
    assert "for 2 weeks from" in " ".join(early.stdout.split())
    assert "a weekly check-in on Wednesdays" in " ".join(early.stdout.split())


def test_the_session_text_holds_for_any_days_chosen() -> None:
    for days in ("daily", "mon,wed"):
        [session] = [
            e for e in calendar_for(days=days).walk("VEVENT") if "routine" in str(e["summary"])
        ]
        description = str(session["description"])
        assert "hipguide routine" in description and "daily" not in description


def test_the_course_length_is_the_one_the_closing_advice_gives(runner: CliRunner) -> None:
    from hipguide.dataset import load_dataset

    span = "6 to 12 weeks"  # the trials' courses (routine.yaml "course", sources.yaml)
    assert span in " ".join(load_dataset().rules.course.next_session.split())
    with pytest.raises(UsageError) as raised:
        parse_weeks("40")
    assert span in (raised.value.hint or "")
    shown = runner.invoke(app, ["remind", "--help"], env={"COLUMNS": "200"}).stdout
    assert span in " ".join(shown.replace("│", " ").split())
