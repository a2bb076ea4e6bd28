"""The screen a flow shows its notices on, and the live view of a running session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.text import Text

from hipguide.flows.ports import (
    CautionsApply,
    CheckIncomplete,
    CheckReused,
    EmergencyFound,
    FlareFound,
    LighterChosen,
    Notice,
    NoTimezone,
    NotRecorded,
    PlanReady,
    VerdictShown,
)
from hipguide.ui import text

if TYPE_CHECKING:
    from rich.console import Console

    from hipguide.dataset import Dataset
    from hipguide.errors import StoreError
    from hipguide.planner import Plan
    from hipguide.ui.sessionview import SessionView

EMERGENCY_FOUND = "That is an emergency sign: here is what to do now."
CHECK_REUSED = "Using your check of {when} (verdict: {tier})."
CHECK_INCOMPLETE = (
    "Your check of {when} does not answer every question asked now; it has to be done again."
)
NOTHING_RECORDED = "nothing will be recorded. {problem}"
NO_SPEECH = (
    "The cues cannot be spoken: no speech program was found (espeak-ng or espeak on Linux, "
    "say on macOS). The session goes on without speech."
)


class ConsoleScreen:
    """Shows notices on ``console`` (warnings on ``err``), with the emergency ``number``."""

    def __init__(
        self,
        console: Console,
        err: Console,
        dataset: Dataset,
        number: str | None,
        pictures: str = "auto",
    ) -> None:
        self.console = console
        self.err = err
        self.dataset = dataset
        self.number = number
        self.pictures = pictures
        self._warned: set[str] = set()

    def show(self, notice: Notice) -> None:
        """Print one notice."""
        if isinstance(notice, EmergencyFound):
            self.console.print(Text(EMERGENCY_FOUND, style="bold red"))
        elif isinstance(notice, CheckReused):
            record = notice.record
            self.console.print(CHECK_REUSED.format(when=text.when(record.at), tier=record.tier))
        elif isinstance(notice, CheckIncomplete):
            self.console.print(CHECK_INCOMPLETE.format(when=text.when(notice.record.at)))
        elif isinstance(notice, VerdictShown):
            from hipguide.ui.plain import print_blocks
            from hipguide.ui.verdict import verdict_blocks

            print_blocks(self.console, verdict_blocks(notice.verdict, self.dataset, self.number))
        elif isinstance(notice, CautionsApply):
            for caution in notice.cautions:
                label = text.effect_label(caution, self.dataset)
                self.console.print(Text.assemble(("Caution:", "yellow"), f" {label}."))
        elif isinstance(notice, PlanReady):
            from hipguide.ui.plain import print_blocks
            from hipguide.ui.render import plan_blocks

            print_blocks(self.console, plan_blocks(notice.plan, self.dataset))
        elif isinstance(notice, FlareFound):
            from hipguide.ui.checkinview import flare_view

            self.console.print(flare_view(notice.check, self.dataset, self.number))
        elif isinstance(notice, LighterChosen):
            from hipguide.ui.checkinview import lighter_line

            self.console.print(lighter_line(notice, self.dataset))
        elif isinstance(notice, NoTimezone):
            self.err.print(Text(text.NO_TIMEZONE, style="yellow"))
        elif isinstance(notice, NotRecorded) and str(notice.problem) not in self._warned:
            self._warned.add(str(notice.problem))  # one problem, one warning
            warn_not_recorded(self.err, notice.problem)

    def session(
        self, plan: Plan, *, quiet: bool, live_keys: bool, speak: bool = False
    ) -> SessionView:
        """The live view of ``plan`` running; with ``speak``, the cues said aloud too."""
        from hipguide.ui.sessionview import SessionView

        speaker = None
        if speak:
            from hipguide.ui.speech import find_speaker

            speaker = find_speaker()
            if speaker is None:
                self.err.print(Text(NO_SPEECH, style="yellow"))
        return SessionView(
            self.console,
            self.dataset,
            plan.steps,
            quiet=quiet,
            interactive_keys=live_keys,
            pictures=self.pictures,
            speaker=speaker,
        )


def warn_not_recorded(console: Console, problem: StoreError) -> None:
    """One warning line: the history could not be used, and why."""
    message = str(problem)
    if not message.startswith("Nothing was recorded"):
        message = NOTHING_RECORDED.format(problem=message)
    console.print(f"[bold yellow]Warning:[/] {escape(message)}", soft_wrap=not console.is_terminal)
