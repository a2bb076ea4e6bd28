"""What a command hands its flow: the clock, the prompter, the screen, the history, and
the picture mode (``--pictures``).

The real ones by default; a test passes its fakes as the Click context object
(``CliRunner().invoke(app, args, obj=Runtime(clock=FakeClock()))``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from hipguide.records import dataclass, field

if TYPE_CHECKING:
    from collections.abc import Callable

    import typer
    from rich.console import Console

    from hipguide.clock import Clock
    from hipguide.flows.ports import History, NoHistory, Prompter


def _system_clock() -> Clock:
    from hipguide.clock import SystemClock

    return SystemClock()


@dataclass
class Runtime:
    """The ports of one run. ``prompter`` replaces the terminal's or the no-input one;
    ``pictures`` is the ``--pictures`` mode given (None: ``$HIPGUIDE_PICTURES``, else
    ``auto``); read it through :meth:`picture_mode`."""

    clock: Clock = field(default_factory=_system_clock)
    prompter: Prompter | None = None
    pictures: str | None = None

    def picture_mode(self) -> str:
        """The picture mode of this run, for :func:`hipguide.ui.figures.picture_for`:
        ``--pictures``, else ``$HIPGUIDE_PICTURES``, else ``auto``. UsageError (exit 2,
        with "did you mean") for a value that is not a mode."""
        return resolve_pictures(self.pictures)

    def prompter_for(
        self, *, no_input: bool, console: Console, fill: Callable[[str], str] = str
    ) -> Prompter:
        """The terminal's prompter, or the :class:`NoPrompter` when nothing can be asked."""
        if self.prompter is not None:
            return self.prompter
        from hipguide.flows.ports import NoPrompter

        if no_input:
            return NoPrompter(no_input=True)
        from hipguide.ui.prompts import can_prompt

        if not can_prompt(sys.stdin, sys.stdout):
            return NoPrompter(no_input=False)
        from hipguide.ui.prompter import TerminalPrompter

        return TerminalPrompter(console, fill)

    def open_store(self) -> History | NoHistory:
        """The history in ``$HIPGUIDE_HOME`` (or the platform's folder)."""
        from hipguide import config
        from hipguide.flows.ports import open_history

        return open_history(config.history_home())


def check_pictures(value: str, origin: str) -> str:
    """``value`` as a picture mode (lower case); UnknownChoice naming ``origin`` (the
    option or variable it came from) and the closest mode."""
    from hipguide.errors import UnknownChoice
    from hipguide.ui.figures._modes import PICTURE_MODES

    mode = value.strip().lower()
    if mode not in PICTURE_MODES:
        raise UnknownChoice("picture mode", value, PICTURE_MODES, option=origin)
    return mode


def picture_mode(ctx: typer.Context) -> str:
    """The picture mode of this run, as :meth:`Runtime.picture_mode` gives it, without
    making a Runtime (and its clock) when the run was given none."""
    given = ctx.find_object(Runtime)
    return given.picture_mode() if given is not None else resolve_pictures(None)


def resolve_pictures(option: str | None) -> str:
    """``option`` (a ``--pictures`` value), else ``$HIPGUIDE_PICTURES``, else ``auto``,
    checked; UsageError (exit 2, with "did you mean") for a value that is not a mode."""
    if option is not None:
        return check_pictures(option, "--pictures")
    from hipguide import config

    value = config.pictures()
    return check_pictures(value, config.PICTURES_ENV) if value else "auto"


def runtime(ctx: typer.Context) -> Runtime:
    """The runtime given to the app, or the real one."""
    given = ctx.find_object(Runtime)
    return given if given is not None else Runtime()
