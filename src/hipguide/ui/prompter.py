"""The prompter for a person at a terminal: each question a flow asks, in words, through
:mod:`hipguide.ui.prompts` (questionary, loaded only when a prompt is shown)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hipguide.ui import prompts

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output
    from rich.console import Console

    from hipguide.clock import Clock
    from hipguide.flows.ports import KeySource, PainMoment
    from hipguide.models import Area, Condition, Peg, Pgic, Question, Region, Tier
    from hipguide.progress import FlareCheck
    from hipguide.store import CheckRecord
    from hipguide.triage import Answer, Verdict

GROUP_QUESTION = "Does ANY of these apply to you?"
GROUP_HELP = "Choose 'Not sure' if you cannot tell; you will then get each one on its own."
PAIN_QUESTIONS = {
    "before": "Pain right now, 0 (none) to 10 (worst)?",
    "after": "Pain now, after the session, 0 to 10?",
}
SIDE_CHOICES = (("left", "Left"), ("right", "Right"), ("both", "Both sides"))
CONDITION_QUESTION = (
    "Has a doctor or physiotherapist told you why it hurts? If not, the area that hurts "
    "chooses the points."
)
#: Asked once the plan is shown, before its first step clears the screen.
READY = "Start the session now?"
NOT_STARTED = "Not started: no session was recorded."
NOT_STARTED_HINT = "Run 'hipguide routine' again when you are ready."
#: The first choice of that question, and its value (no condition's id is empty).
NOT_KNOWN, NOT_KNOWN_LABEL = "", "No, or I am not sure"


class TerminalPrompter:
    """Asks on the terminal; ``fill`` puts the emergency number into texts from the data.

    ``input``/``output`` are prompt_toolkit's, for tests; by default the terminal's.
    """

    def __init__(
        self,
        console: Console,
        fill: Callable[[str], str] = str,
        *,
        input: Input | None = None,
        output: Output | None = None,
    ) -> None:
        self.console = console
        self._fill = fill
        self._input, self._output = input, output

    def answer_group(
        self, tier: Tier, questions: Sequence[Question], position: int, total: int
    ) -> Answer:
        from hipguide.ui.verdict import bullet

        if tier.heading:
            self.console.print(f"\n[bold]{tier.heading}[/]")
        for question in questions:
            self.console.print(bullet(self._fill(question.text), indent=2))
        return prompts.ask_answer(
            GROUP_QUESTION,
            GROUP_HELP,
            number=position,
            total=total,
            input=self._input,
            output=self._output,
        )

    def answer_question(self, question: Question, position: int, total: int) -> Answer:
        return prompts.ask_answer(
            self._fill(question.text),
            self._fill(question.help),
            number=position,
            total=total,
            input=self._input,
            output=self._output,
        )

    def check_changed(self, record: CheckRecord) -> bool:
        from hipguide.ui.text import when

        return prompts.ask_yes_no(
            f"You did the red-flag check on {when(record.at)} (verdict: {record.tier}). "
            "Has anything changed since then?",
            default=True,
            input=self._input,
            output=self._output,
        )

    def accept_soon(self, verdict: Verdict) -> bool:
        return prompts.ask_yes_no(
            "Your answers say: see a doctor soon. Do a gentle routine meanwhile?",
            default=False,
            input=self._input,
            output=self._output,
        )

    def choose_areas(self, areas: Sequence[Area]) -> list[str]:
        return prompts.ask_many(
            "Where does it hurt?",
            [
                (area.id, f"{area.name}: {area.plain}" if area.plain else area.name)
                for area in areas
            ],
            input=self._input,
            output=self._output,
        )

    def choose_side(self) -> str:
        return prompts.ask_choice(
            "Which side hurts?", SIDE_CHOICES, input=self._input, output=self._output
        )

    def choose_condition(self, conditions: Sequence[Condition]) -> str | None:
        choices = [(NOT_KNOWN, NOT_KNOWN_LABEL), *((c.id, c.name) for c in conditions)]
        chosen = prompts.ask_choice(
            CONDITION_QUESTION, choices, input=self._input, output=self._output
        )
        return None if chosen == NOT_KNOWN else chosen

    def choose_skin_regions(self, regions: Sequence[Region]) -> list[str]:
        return prompts.ask_many(
            "Where is the skin problem? Points there will be skipped.",
            [(region.id, region.name) for region in regions],
            input=self._input,
            output=self._output,
        )

    def pain(self, moment: PainMoment) -> int | None:
        return prompts.ask_int(
            PAIN_QUESTIONS[moment], 0, 10, input=self._input, output=self._output
        )

    def can_lie(self) -> bool | None:
        return prompts.ask_yes_no(
            "Can you lie on your side or on your front comfortably to press a point?",
            default=True,
            input=self._input,
            output=self._output,
        )

    def can_reach_feet(self) -> bool | None:
        return prompts.ask_yes_no(
            "Can you reach your feet comfortably, for example resting one foot on the other knee?",
            default=True,
            input=self._input,
            output=self._output,
        )

    def confirm_forget(self, path: Path) -> bool:
        return prompts.ask_yes_no(
            f"Delete the whole history in {path}?",
            default=False,
            input=self._input,
            output=self._output,
        )

    def checkin_peg(self, peg: Peg) -> tuple[int, int, int]:
        from rich.markup import escape

        self.console.print(f"\n[bold]{escape(peg.intro)}[/]")
        total = len(peg.items)
        pain, enjoyment, activity = (
            prompts.ask_score(
                item.text,
                0,
                10,
                low=item.low,
                high=item.high,
                number=position,
                total=total,
                input=self._input,
                output=self._output,
            )
            for position, item in enumerate(peg.items, 1)
        )
        return pain, enjoyment, activity

    def checkin_pgic(self, pgic: Pgic) -> int:
        from hipguide.progress import PGIC_NO_CHANGE

        return prompts.ask_numbered(
            pgic.question,
            [(choice.value, choice.label) for choice in pgic.choices],
            default=PGIC_NO_CHANGE,
            input=self._input,
            output=self._output,
        )

    def offer_checkin(self, latest: datetime) -> bool:
        from hipguide.ui.text import checkin_offer

        return prompts.ask_yes_no(
            checkin_offer(latest), default=True, input=self._input, output=self._output
        )

    def take_lighter(self, flare: FlareCheck) -> bool | None:
        from hipguide.ui.text import TAKE_LIGHTER

        return prompts.ask_yes_no(
            TAKE_LIGHTER, default=True, input=self._input, output=self._output
        )

    def ready_to_start(self) -> None:
        from hipguide.errors import Interrupted

        if not prompts.ask_yes_no(READY, default=True, input=self._input, output=self._output):
            raise Interrupted(NOT_STARTED, NOT_STARTED_HINT)

    def keys(self, clock: Clock) -> KeySource:
        from hipguide.ui.keys import key_source

        return key_source(sleep=clock.sleep)
