"""The course as an iCalendar file (RFC 5545), made with the ``icalendar`` library.

Three events: the sessions (a recurring event at the chosen local time, with an alarm),
the weekly check-in just after a session, and an all-day reassessment at 4 weeks that
says what to do if nothing has changed. Times are local, with their time zone written
out as a VTIMEZONE (or in UTC when the local zone is unknown), so a calendar program
keeps the session at 18:00 across a change to or from summer time.

``icalendar`` is imported only here, and only by ``hipguide remind``.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from hipguide.ui import text

if TYPE_CHECKING:
    from hipguide.flows.remind import RemindOutcome

PRODID = "-//hipguide//course reminders//EN"
#: The two-letter days of RFC 5545's BYDAY, by ``--days`` name.
BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
#: The calendar's time zone definition covers this long after the course (for a calendar
#: kept around), and this long before it.
ZONE_MARGIN = timedelta(days=400)


def build_calendar(outcome: RemindOutcome) -> bytes:
    """The calendar file's bytes (CRLF lines, as RFC 5545 wants)."""
    from zoneinfo import ZoneInfo

    from icalendar import Alarm, Calendar, Event

    from hipguide import course

    schedule = outcome.schedule
    zone: tzinfo = timezone.utc if outcome.zone == "UTC" else ZoneInfo(outcome.zone)
    start = datetime.combine(schedule.start, schedule.at, tzinfo=zone)
    stamp = outcome.made_at.astimezone(timezone.utc)
    key = _key(outcome)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", text.CALENDAR_NAME)

    session = Event()
    session.add("uid", f"session-{key}@hipguide")
    session.add("dtstamp", stamp)
    session.add("dtstart", start)
    session.add("duration", timedelta(minutes=course.SESSION_MINUTES))
    session.add("summary", text.SESSION_SUMMARY)
    session.add("description", text.SESSION_DESCRIPTION)
    if schedule.daily:
        session.add("rrule", {"freq": "daily", "count": schedule.sessions})
    else:
        rule = {"freq": "weekly", "byday": [BYDAY[d] for d in schedule.days]}
        session.add("rrule", {**rule, "count": schedule.sessions})
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(minutes=-course.ALARM_MINUTES))
    alarm.add("description", text.SESSION_ALARM.format(minutes=course.ALARM_MINUTES))
    session.add_component(alarm)
    calendar.add_component(session)

    checkin = Event()
    checkin.add("uid", f"checkin-{key}@hipguide")
    checkin.add("dtstamp", stamp)
    checkin.add("dtstart", schedule.first_checkin.replace(tzinfo=zone))
    checkin.add("duration", timedelta(minutes=course.CHECKIN_MINUTES))
    checkin.add("summary", text.CHECKIN_SUMMARY)
    checkin.add("description", text.CHECKIN_DESCRIPTION)
    checkin.add("rrule", {"freq": "weekly", "count": schedule.checkins})
    calendar.add_component(checkin)

    reassess = Event()
    reassess.add("uid", f"reassess-{key}@hipguide")
    reassess.add("dtstamp", stamp)
    reassess.add("dtstart", schedule.reassess)
    reassess.add("dtend", schedule.reassess + timedelta(days=1))
    reassess.add("transp", "TRANSPARENT")
    reassess.add("summary", text.REASSESS_SUMMARY)
    reassess.add("description", text.REASSESS_DESCRIPTION.format(weeks=course.REASSESS_WEEKS))
    calendar.add_component(reassess)

    if outcome.zone != "UTC":
        last = max(schedule.last, schedule.reassess)
        calendar.add_missing_timezones(schedule.start - ZONE_MARGIN, last + ZONE_MARGIN)
    data: bytes = calendar.to_ical()
    return data


def _key(outcome: RemindOutcome) -> str:
    """The same course made again gets the same ids, so importing it again updates the
    events instead of doubling them."""
    schedule = outcome.schedule
    parts = (schedule.start, schedule.days, schedule.at, schedule.weeks, outcome.zone)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:12]
    return f"{schedule.start:%Y%m%d}-{digest}"


def write_calendar(target: str, data: bytes, *, force: bool) -> Path | None:
    """Write the calendar to ``target`` (``-``: stdout, returning None), as
    :func:`hipguide.ui.html.write_file` writes a page: a private file (0600), an existing
    regular file replaced only with ``force``, anything else that exists refused."""
    if target == "-":
        out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
        if out is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.flush()
            out.write(data)
            out.flush()
        return None
    from hipguide.ui.html import write_file

    write_file(target, data, force, option="--ics", example="course.ics")
    return Path(target)
