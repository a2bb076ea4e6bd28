"""``hipguide routine``: the red-flag gate, a plan for where and why it hurts, a timed session."""

from typing import Annotated

import typer

from hipguide.cli._app import EXIT_CODE_KEY, HipguideCommand, command_app, examples
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

app = command_app()


@app.command(
    "routine",
    cls=HipguideCommand,
    epilog=examples(
        "hipguide routine   (asks everything)",
        "hipguide routine --area outer --side left --minutes 5 --plan",
        "hipguide routine --no-input --area buttock --side right --answers answers.yaml",
        "hipguide routine --no-input --area outer --side left --pain-before 6",
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
        int | None,
        typer.Option("--pain-before", min=0, max=10, metavar="N", help="Pain now, 0-10."),
    ] = None,
    pain_after: Annotated[
        int | None,
        typer.Option("--pain-after", min=0, max=10, metavar="N", help="Pain afterwards, 0-10."),
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
    Each step first shows where the point is and waits for Enter once you are on it;
    then the countdown runs. Keys: Enter or space starts a press, space pauses,
    s skips, q ends.
    """
    from hipguide.cli._run import routine
    from hipguide.cli._runtime import runtime

    code = routine(
        runtime(ctx),
        area=area,
        side=side,
        condition=condition,
        minutes=minutes,
        press_seconds=press_seconds,
        rest_seconds=rest_seconds,
        plan_only=plan_only,
        as_json=as_json,
        no_input=no_input,
        quiet=quiet,
        pain_before=pain_before,
        pain_after=pain_after,
        skip_area=skip_area,
        skip_point=skip_point,
        answer=answer,
        answers_file=answers_file,
        accept_risk=accept_risk,
        emergency=emergency,
        lying=lying,
        foot_reach=foot_reach,
        find_seconds=find_seconds,
        speak=speak,
        flare_plan=flare_plan,
        keep_code=lambda code: ctx.meta.__setitem__(EXIT_CODE_KEY, code),
    )
    raise typer.Exit(code)
