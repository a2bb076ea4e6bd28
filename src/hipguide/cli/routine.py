"""``hipguide routine``: the red-flag gate, a plan for where and why it hurts, a timed session."""

from typing import TYPE_CHECKING, Annotated

import typer

from hipguide.cli._app import HipguideCommand, command_app
from hipguide.cli._options import (
    AcceptRiskOption,
    AnswerOption,
    AnswersFileOption,
    AreaOption,
    ConditionOption,
    EmergencyOption,
    FindSecondsOption,
    FootReachOption,
    LyingOption,
    MinutesOption,
    NoInputOption,
    PressSecondsOption,
    RestSecondsOption,
    SideOption,
    SkipAreaOption,
    SkipPointOption,
    SpeakOption,
)

if TYPE_CHECKING:
    from rich.console import Console

    from hipguide.clock import Clock
    from hipguide.dataset import Dataset
    from hipguide.flows.ports import History, NoHistory, Prompter
    from hipguide.flows.routine import RoutineOutcome
    from hipguide.ui.screen import ConsoleScreen

app = command_app()


@app.command(
    "routine",
    cls=HipguideCommand,
    epilog=(
        "Examples:  hipguide routine   (asks everything)  |  hipguide routine --area outer "
        "--side left --minutes 5 --plan  |  hipguide routine --no-input --area buttock --side "
        "right --answers answers.yaml --pain-before 6 --pain-after 4"
    ),
)
def routine_command(
    ctx: typer.Context,
    area: AreaOption = None,
    side: SideOption = None,
    condition: ConditionOption = None,
    minutes: MinutesOption = 10,
    press_seconds: PressSecondsOption = None,
    rest_seconds: RestSecondsOption = 10,
    plan_only: Annotated[
        bool, typer.Option("--plan", help="Show the plan without running it.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (plan or summary).")] = False,
    no_input: NoInputOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No bell at each change.")] = False,
    pain_before: Annotated[
        int | None, typer.Option("--pain-before", min=0, max=10, help="Pain now, 0-10.")
    ] = None,
    pain_after: Annotated[
        int | None, typer.Option("--pain-after", min=0, max=10, help="Pain afterwards, 0-10.")
    ] = None,
    skip_area: SkipAreaOption = None,
    skip_point: SkipPointOption = None,
    answer: AnswerOption = None,
    answers_file: AnswersFileOption = None,
    accept_risk: AcceptRiskOption = False,
    emergency: EmergencyOption = None,
    lying: LyingOption = None,
    foot_reach: FootReachOption = None,
    find_seconds: FindSecondsOption = None,
    speak: SpeakOption = False,
    flare_plan: Annotated[
        bool | None,
        typer.Option(
            "--flare-plan/--no-flare-plan",
            help="When the pain now is 2 points or more above your usual (a flare-up): take "
            "the lighter routine, or keep the usual one. Not given: asked (with --no-input: "
            "the lighter one).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """A guided pressing session for where and why your hip hurts.

    First the red-flag check (or your check from the last 24 hours); it will not
    start past an emergency or urgent sign. Then it picks points along the channel
    through the painful area, distal points far from it and mirror points on the
    opposite shoulder, shows where each point is, and times each press.
    Each step first shows where the point is and waits for Enter once your thumb is on
    it; then the countdown runs. Keys: Enter or space starts a press, space pauses,
    s skips, q ends.
    """
    from hipguide import config
    from hipguide.cli._runtime import runtime
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
        check=CheckRequest(tuple(answer or ()), answers_file, number),
        accept_risk=accept_risk,
        lying=lying,
        foot_reach=foot_reach,
        find_seconds=find_seconds,
        speak=speak,
        flare_plan=flare_plan,
    )
    err, out = stderr_console(), stdout_console()
    screen = err if as_json else out
    ports = runtime(ctx)
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
            screen=shown,
            clock=ports.clock,
            store=store,
        )
        _render(outcome, dataset, number, (out if plan_only else screen, screen), as_json)
        if not as_json:  # a script reading the JSON gets no question after it
            _offer_checkin(outcome, dataset, prompter, shown, ports.clock, store, screen)
    finally:
        store.close()
    raise typer.Exit(outcome.exit_code)


def _offer_checkin(
    outcome: "RoutineOutcome",
    dataset: "Dataset",
    prompter: "Prompter",
    screen: "ConsoleScreen",
    clock: "Clock",
    store: "History | NoHistory",
    console: "Console",
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
    outcome: "RoutineOutcome",
    dataset: "Dataset",
    number: str | None,
    consoles: "tuple[Console, Console]",
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
