"""``hipguide remind``: the course as a calendar file (sessions, check-ins, a reassessment)."""

from __future__ import annotations

from typing import Annotated

import typer

from hipguide.cli._app import HipguideCommand, command_app, examples

app = command_app()


@app.command(
    "remind",
    cls=HipguideCommand,
    epilog=examples(
        "hipguide remind --ics course.ics",
        "hipguide remind --ics course.ics --days mon,wed,fri --at 07:30 --weeks 8",
        "hipguide remind --ics - > course.ics",
    ),
)
def remind_command(
    ctx: typer.Context,
    ics: Annotated[
        str,
        typer.Option(
            "--ics",
            metavar="FILE",
            help="The calendar file to write (- for stdout); import it into any calendar.",
            show_default=False,
        ),
    ],
    days: Annotated[
        str | None,
        typer.Option(
            "--days",
            metavar="mon,wed,...|daily",
            help="The days to press, e.g. mon,wed,fri (default: daily).",
            show_default=False,
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="HH:MM",
            help="Local time of the session (default: 18:00).",
            show_default=False,
        ),
    ] = None,
    weeks: Annotated[
        str | None,
        typer.Option(
            "--weeks",
            metavar="N",
            help="Length of the course, 1 to 26 weeks (default: 6).",
            show_default=False,
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            metavar="ZONE",
            help="The time zone of the times, e.g. Europe/London (default: this computer's).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the --ics file if it exists already.")
    ] = False,
) -> None:
    """A calendar for the course: session reminders, weekly check-ins, a reassessment.

    A session reminder with an alarm, a weekly check-in, and a reassessment at 4 weeks.
    Daily at 18:00 for 6 weeks unless told otherwise (the trials of self-acupressure
    pressed daily or on most days for 6 to 12 weeks). Times are local with their time
    zone, so the session stays at the same local time when the clocks change.
    """
    from hipguide import config
    from hipguide.cli._runtime import runtime
    from hipguide.dataset import load_dataset
    from hipguide.flows.remind import RemindRequest, plan_reminders
    from hipguide.ui import text
    from hipguide.ui.calendar import build_calendar, write_calendar
    from hipguide.ui.console import stderr_console, stdout_console
    from hipguide.ui.html import shown_path
    from hipguide.ui.screen import ConsoleScreen

    request = RemindRequest(
        days=days,
        at=at,
        weeks=weeks,
        timezone=timezone,
        local_zone=None if timezone is not None else config.local_timezone_name(),
    )
    err = stderr_console()
    ports = runtime(ctx)
    outcome = plan_reminders(
        request, screen=ConsoleScreen(err, err, load_dataset(), None), clock=ports.clock
    )
    written = write_calendar(ics, build_calendar(outcome), force=force)
    if written is not None:
        line = text.calendar_written(outcome, shown_path(written))
        stdout_console().print(line, soft_wrap=True, markup=False)
