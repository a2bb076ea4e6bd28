"""What a command hands its flow: the clock, the prompter, the screen and the history.

The real ones by default; a test passes its fakes as the Click context object
(``CliRunner().invoke(app, args, obj=Runtime(clock=FakeClock()))``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

from hipguide.clock import Clock, SystemClock

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from hipguide.flows.ports import History, NoHistory, Prompter


@dataclass
class Runtime:
    """The ports of one run. ``prompter`` replaces the terminal's or the no-input one."""

    clock: Clock = field(default_factory=SystemClock)
    prompter: Prompter | None = None

    def prompter_for(
        self, *, no_input: bool, console: Console, fill: Callable[[str], str] = str
    ) -> Prompter:
        """The terminal's prompter, or the :class:`NoPrompter` when nothing can be asked."""
        if self.prompter is not None:
            return self.prompter
        from hipguide.flows.ports import NoPrompter
        from hipguide.ui.prompts import can_prompt

        if no_input or not can_prompt(sys.stdin, sys.stdout):
            return NoPrompter(no_input=no_input)
        from hipguide.ui.prompter import TerminalPrompter

        return TerminalPrompter(console, fill)

    def open_store(self) -> History | NoHistory:
        """The history in ``$HIPGUIDE_HOME`` (or the platform's folder)."""
        from hipguide import config
        from hipguide.flows.ports import open_history

        return open_history(config.history_home())


def runtime(ctx: typer.Context) -> Runtime:
    """The runtime given to the app, or the real one."""
    given = ctx.find_object(Runtime)
    return given if given is not None else Runtime()
