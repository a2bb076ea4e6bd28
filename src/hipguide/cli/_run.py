"""What ``check`` and ``routine`` do once their options are read, for the Typer commands
and the early dispatch (:mod:`hipguide.cli._fast`) alike: one body each, so both paths
are the same program.

Each takes the run's ports (:class:`~hipguide.cli._runtime.Runtime`) and the command's
options by their parameter names, prints what the command prints, and returns the exit
code. Nothing here imports Typer or Click.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from rich.console import Console

    from hipguide.cli._runtime import Runtime
    from hipguide.clock import Clock
    from hipguide.dataset import Dataset
    from hipguide.flows.ports import History, NoHistory, Notice, Prompter, SessionScreen
    from hipguide.flows.routine import RoutineOutcome
    from hipguide.planner import Plan
    from hipguide.ui.screen import ConsoleScreen


def check(
    ports: Runtime,
    *,
    answer: Sequence[str] | None = None,
    answers_file: Sequence[Path] | None = None,
    no_input: bool = False,
    as_json: bool = False,
    questions: bool = False,
    emergency: str | None = None,
    keep_code: Callable[[int], None],
) -> int:
    """``hipguide check``: the questions (or the list of them), the verdict, its exit code.

    ``keep_code`` is told the verdict's exit code before it is printed, so that a reader
    who goes away meanwhile still gets the verdict as the exit code."""
    from hipguide import config
    from hipguide.dataset import load_dataset
    from hipguide.flows.check import CheckRequest, run_check
    from hipguide.ui import text
    from hipguide.ui.console import print_json, stderr_console, stdout_console
    from hipguide.ui.screen import ConsoleScreen
    from hipguide.ui.verdict import questions_table, verdict_blocks

    dataset = load_dataset()
    number = config.emergency_number(emergency)
    if questions:
        if as_json:
            from hipguide.ui import json

            print_json(json.questions(dataset, number))
        else:
            from hipguide.triage import ordered_questions

            stdout_console().print(questions_table(ordered_questions(dataset.triage)))
        return 0
    request = CheckRequest(tuple(answer or ()), tuple(answers_file or ()), number)
    err, out = stderr_console(), stdout_console()
    shown = err if as_json else out
    store = ports.open_store()
    try:
        outcome = run_check(
            request,
            dataset=dataset,
            prompter=ports.prompter_for(
                no_input=no_input, console=shown, fill=lambda t: text.fill(t, dataset, number)
            ),
            screen=ConsoleScreen(shown, err, dataset, number),
            clock=ports.clock,
            store=store,
        )
    finally:
        store.close()
    verdict = outcome.verdict
    keep_code(verdict.exit_code)
    if as_json:
        from hipguide.ui import json

        print_json(json.verdict(verdict, dataset, number))
    else:
        from hipguide.ui.plain import print_blocks

        print_blocks(out, verdict_blocks(verdict, dataset, number))
    return verdict.exit_code


def routine(
    ports: Runtime,
    *,
    area: Sequence[str] | None = None,
    side: str | None = None,
    condition: str | None = None,
    minutes: float = 10.0,
    press_seconds: int | None = None,
    rest_seconds: int = 10,
    plan_only: bool = False,
    as_json: bool = False,
    no_input: bool = False,
    quiet: bool = False,
    pain_before: int | None = None,
    pain_after: int | None = None,
    skip_area: Sequence[str] | None = None,
    skip_point: Sequence[str] | None = None,
    answer: Sequence[str] | None = None,
    answers_file: Sequence[Path] | None = None,
    accept_risk: bool = False,
    emergency: str | None = None,
    lying: bool | None = None,
    foot_reach: bool | None = None,
    find_seconds: float | None = None,
    speak: bool = False,
    flare_plan: bool | None = None,
    keep_code: Callable[[int], None] = lambda code: None,
) -> int:
    """``hipguide routine``: the gate, the plan, the session (or the plan alone), and
    the exit code it ends with.

    ``keep_code`` is told the exit code before the end is printed, so that a reader who
    goes away meanwhile still gets the verdict as the exit code; a reader gone while the
    gate shows its notices costs nothing either (:class:`_ReaderMayGo`)."""
    from hipguide import config
    from hipguide.dataset import load_dataset
    from hipguide.flows.check import CheckRequest
    from hipguide.flows.routine import RoutineRequest, run_routine
    from hipguide.ui import text
    from hipguide.ui.console import stderr_console, stdout_console
    from hipguide.ui.screen import ConsoleScreen

    dataset = load_dataset()
    number = config.emergency_number(emergency)
    request = RoutineRequest(
        areas=tuple(area or ()),
        side=side,
        condition=condition,
        minutes=minutes,
        press_seconds=press_seconds,
        rest_seconds=rest_seconds,
        plan_only=plan_only,
        quiet=quiet,
        pain_before=pain_before,
        pain_after=pain_after,
        skip_areas=tuple(skip_area or ()),
        skip_points=tuple(skip_point or ()),
        check=CheckRequest(tuple(answer or ()), tuple(answers_file or ()), number),
        accept_risk=accept_risk,
        lying=lying,
        foot_reach=foot_reach,
        find_seconds=find_seconds,
        speak=speak,
        flare_plan=flare_plan,
    )
    err, out = stderr_console(), stdout_console()
    screen = err if as_json else out
    store = ports.open_store()
    prompter = ports.prompter_for(
        no_input=no_input, console=screen, fill=lambda t: text.fill(t, dataset, number)
    )
    shown = ConsoleScreen(screen, err, dataset, number, ports.picture_mode())
    try:
        outcome = run_routine(
            request,
            dataset=dataset,
            prompter=prompter,
            screen=shown if as_json else _ReaderMayGo(shown),
            clock=ports.clock,
            store=store,
        )
        keep_code(outcome.exit_code)
        _render(outcome, dataset, number, (out if plan_only else screen, screen), as_json)
        if not as_json:  # a script reading the JSON gets no question after it
            _offer_checkin(outcome, dataset, prompter, shown, ports.clock, store, screen)
    finally:
        store.close()
    return outcome.exit_code


class _ReaderMayGo:
    """The routine's screen on stdout, for a reader that may go away (``| head -1``).

    The gate shows notices (the check reused, the verdict) before it knows how the
    routine ends. A notice that meets a closed pipe is dropped, and so is every one
    after it, so that the gate still reaches its decision and the routine ends with
    its verdict's exit code. A routine that may go ahead ends there, quietly, as any
    command whose reader has gone: at the plan's notice, or the session's screen.
    """

    def __init__(self, screen: ConsoleScreen) -> None:
        self._screen = screen
        self._gone = False

    def show(self, notice: Notice) -> None:
        from hipguide.flows.ports import PlanReady

        if self._gone:
            if isinstance(notice, PlanReady):
                raise BrokenPipeError  # nothing runs for a reader who has gone
            return
        try:
            self._screen.show(notice)
        except BrokenPipeError:
            from hipguide.cli._fast import quiet_stdout

            quiet_stdout()
            self._gone = True

    def session(
        self, plan: Plan, *, quiet: bool, live_keys: bool, speak: bool = False
    ) -> SessionScreen:
        if self._gone:
            raise BrokenPipeError
        return self._screen.session(plan, quiet=quiet, live_keys=live_keys, speak=speak)


def _offer_checkin(
    outcome: RoutineOutcome,
    dataset: Dataset,
    prompter: Prompter,
    screen: ConsoleScreen,
    clock: Clock,
    store: History | NoHistory,
    console: Console,
) -> None:
    """After the closing summary: the weekly check-in, when one is due."""
    from hipguide.flows.routine import offer_checkin

    done = offer_checkin(
        outcome, dataset=dataset, prompter=prompter, screen=screen, clock=clock, store=store
    )
    if done is not None:
        from hipguide.ui.checkinview import checkin_view

        console.print(checkin_view(done, dataset))


def _render(
    outcome: RoutineOutcome,
    dataset: Dataset,
    number: str | None,
    consoles: tuple[Console, Console],
    as_json: bool,
) -> None:
    """What the routine ended with: the refusal, the plan, or the session's summary
    (on the first console; notes beside JSON on the second)."""
    console, screen = consoles
    from hipguide.ui.plain import print_blocks
    from hipguide.ui.render import plan_blocks, routine_end_blocks

    if as_json:
        from hipguide.ui import json
        from hipguide.ui.console import print_json

        if outcome.status in ("refused", "declined"):
            print_json(json.not_started(outcome.gate.verdict, dataset, number))
            if outcome.status == "declined":  # the verdict is on the screen already
                print_blocks(screen, routine_end_blocks(outcome, dataset, number))
        elif outcome.plan is not None and outcome.summary is None:
            print_json(json.plan(outcome.plan, dataset, number))
        elif outcome.summary is not None:
            print_json(json.run_summary(outcome.summary))
        return
    if outcome.status == "planned" and outcome.plan is not None:
        print_blocks(console, plan_blocks(outcome.plan, dataset))
        return
    print_blocks(console, routine_end_blocks(outcome, dataset, number))
