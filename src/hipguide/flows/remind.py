"""Reminders as a use case: the options of ``hipguide remind`` checked, the local time
zone settled, and the course laid out from today (the calendar file is written by the
caller, from :mod:`hipguide.ui.calendar`)."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import TYPE_CHECKING

from hipguide.course import (
    DAILY,
    DEFAULT_AT,
    DEFAULT_DAYS,
    DEFAULT_WEEKS,
    WEEKDAYS,
    WEEKS,
    CourseSchedule,
    plan_course,
)
from hipguide.errors import UnknownChoice, UsageError
from hipguide.flows.ports import NoTimezone, Screen
from hipguide.records import dataclass

if TYPE_CHECKING:
    from hipguide.clock import Clock

#: Whole day names that ``--days`` takes as well as the short ones.
DAY_NAMES = {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
UTC = "UTC"
_AT = re.compile(r"([0-9]{1,2}):([0-9]{2})")


@dataclass(frozen=True)
class RemindRequest:
    """The options of ``hipguide remind`` as typed; ``local_zone`` is the system's time
    zone as :func:`hipguide.config.local_timezone_name` found it (None: not found)."""

    days: str | None = None
    at: str | None = None
    weeks: str | None = None
    timezone: str | None = None
    local_zone: str | None = None


@dataclass(frozen=True)
class RemindOutcome:
    """The course to put in the calendar, the time zone of its times (``zone_found``
    False: UTC, for want of the local one) and when the calendar was made."""

    schedule: CourseSchedule
    zone: str
    zone_found: bool
    made_at: datetime


def parse_days(text: str | None) -> tuple[str, ...]:
    """``mon,wed,fri``, ``daily`` or whole day names, as weekday codes in week order;
    ``daily`` stands alone (with a day beside it, it is a UsageError)."""
    if text is None:
        return DEFAULT_DAYS
    words = [word for word in (part.strip().lower() for part in text.split(",")) if word]
    if not words:
        raise UsageError("--days needs at least one day.", "Example: --days mon,wed,fri.")
    if DAILY in words:
        if any(word != DAILY for word in words):
            from hipguide.untrusted import quote

            others = ",".join(word for word in words if word != DAILY)
            raise UsageError(
                f"--days takes daily or days of the week, not both: 'daily' cannot be "
                f"combined with {quote(others, 40)}.",
                "Give --days daily, or the days alone, e.g. --days mon,wed,fri.",
            )
        return WEEKDAYS
    valid = (*WEEKDAYS, DAILY)
    days = []
    for word in words:
        day = DAY_NAMES.get(word, word)
        if day not in WEEKDAYS:
            from hipguide.suggest import close_matches

            close = close_matches(word, [*DAY_NAMES, *valid])
            suggestions = list(dict.fromkeys(DAY_NAMES.get(name, name) for name in close))
            raise UnknownChoice("day", word[:40], valid, option="--days", suggestions=suggestions)
        days.append(day)
    return tuple(day for day in WEEKDAYS if day in days)


def parse_at(text: str | None) -> time:
    """``18:00`` (24-hour ``HH:MM``) as a time of day."""
    if text is None:
        return DEFAULT_AT
    match = _AT.fullmatch(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise UsageError(
            f"--at takes a time of day as HH:MM on the 24-hour clock, from 00:00 to 23:59, "
            f"not '{text[:20]}'.",
            "Example: --at 18:00 (six in the evening) or --at 07:30.",
        )
    return time(int(match[1]), int(match[2]))


def parse_weeks(text: str | None) -> int:
    """``6`` as the length of the course in weeks."""
    if text is None:
        return DEFAULT_WEEKS
    low, high = WEEKS
    value = text.strip()
    if not _small_number(value) or not low <= int(value) <= high:
        raise UsageError(
            f"--weeks is a whole number from {low} to {high}, not '{value[:20]}'.",
            "The trials pressed for 6 to 12 weeks; 6 is a fair course: --weeks 6.",
        )
    return int(value)


def _small_number(text: str) -> bool:
    """ASCII digits, few enough to read as a number at once."""
    return text.isascii() and text.isdigit() and len(text) <= 6


def parse_zone(text: str) -> str:
    """An IANA time zone name this Python knows, or UsageError with the closest names."""
    from zoneinfo import ZoneInfo, available_timezones

    name = text.strip()
    try:
        if name and ".." not in name and not name.startswith("/"):
            ZoneInfo(name)
            return name
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        pass
    from hipguide.suggest import close_matches

    close = close_matches(name, sorted(available_timezones()))
    hint = f"Did you mean {' or '.join(close)}? " if close else ""
    raise UsageError(
        f"Unknown time zone '{name[:40]}' for --timezone.",
        f"{hint}Give an IANA name such as Europe/London or America/New_York.",
    )


def plan_reminders(request: RemindRequest, *, screen: Screen, clock: Clock) -> RemindOutcome:
    """Check the options and lay the course out from today, in the local time zone (or
    the one given; UTC, said on the screen, when neither is known)."""
    from zoneinfo import ZoneInfo

    days = parse_days(request.days)
    at = parse_at(request.at)
    weeks = parse_weeks(request.weeks)
    if request.timezone is not None:
        zone, found = parse_zone(request.timezone), True
    elif request.local_zone:
        zone, found = request.local_zone, True
    else:
        zone, found = UTC, False
        screen.show(NoTimezone())
    now = clock.now()
    schedule = plan_course(now.astimezone(ZoneInfo(zone)), days, at, weeks)
    return RemindOutcome(schedule, zone, found, now)
