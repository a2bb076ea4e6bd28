"""``hipguide card``: the routine's plan as a printable card, through the same gate."""

from __future__ import annotations

import typer

from hipguide.cli._app import HipguideCommand, command_app, examples
from hipguide.cli._options import (
    AcceptRiskOption,
    AnswerOption,
    AnswersFileOption,
    AreaOption,
    ConditionOption,
    EmergencyOption,
    FootReachOption,
    ForceOption,
    LyingOption,
    MinutesOption,
    NameOption,
    NoInputOption,
    OutOption,
    PressSecondsOption,
    RestSecondsOption,
    SideOption,
    SkipAreaOption,
    SkipPointOption,
)

app = command_app()


@app.command(
    "card",
    cls=HipguideCommand,
    epilog=examples(
        "hipguide card --area outer --side left --out card.html",
        "hipguide card --no-input --area buttock --side right --answers a.yaml --out -",
    ),
)
def card_command(
    ctx: typer.Context,
    out: OutOption,
    area: AreaOption = None,
    side: SideOption = None,
    condition: ConditionOption = None,
    minutes: MinutesOption = 10,
    press_seconds: PressSecondsOption = None,
    rest_seconds: RestSecondsOption = 10,
    no_input: NoInputOption = False,
    skip_area: SkipAreaOption = None,
    skip_point: SkipPointOption = None,
    answer: AnswerOption = None,
    answers_file: AnswersFileOption = None,
    accept_risk: AcceptRiskOption = False,
    emergency: EmergencyOption = None,
    name: NameOption = None,
    force: ForceOption = False,
    lying: LyingOption = None,
    foot_reach: FootReachOption = None,
) -> None:
    """A printable card of your routine: one page to keep by you while you press.

    It is planned as 'hipguide routine --plan' plans it, after the same red-flag
    check (or your check from the last 24 hours), and refuses past an emergency or
    urgent sign. The card is one HTML file with its pictures inside: open it in a
    browser and print it on A4 or Letter.
    """
    from hipguide import config
    from hipguide.cli._runtime import runtime
    from hipguide.dataset import load_dataset
    from hipguide.flows.card import CardRequest, plan_card
    from hipguide.flows.check import CheckRequest
    from hipguide.flows.routine import RoutineRequest
    from hipguide.ui import html, text
    from hipguide.ui.console import stderr_console, stdout_console
    from hipguide.ui.screen import ConsoleScreen

    html.check_name(name)
    html.check_target(out, force, example="card.html")
    dataset = load_dataset()
    number = config.emergency_number(emergency)
    request = CardRequest(
        RoutineRequest(
            areas=tuple(area or ()),
            side=side,
            condition=condition,
            minutes=minutes,
            press_seconds=press_seconds,
            rest_seconds=rest_seconds,
            plan_only=True,
            skip_areas=tuple(skip_area or ()),
            skip_points=tuple(skip_point or ()),
            check=CheckRequest(tuple(answer or ()), tuple(answers_file or ()), number),
            accept_risk=accept_risk,
            lying=lying,
            foot_reach=foot_reach,
        )
    )
    err = stderr_console()
    screen = err if out == html.STDOUT else stdout_console()
    ports = runtime(ctx)
    store = ports.open_store()
    try:
        outcome = plan_card(
            request,
            dataset=dataset,
            prompter=ports.prompter_for(
                no_input=no_input, console=screen, fill=lambda t: text.fill(t, dataset, number)
            ),
            screen=ConsoleScreen(screen, err, dataset, number),
            clock=ports.clock,
            store=store,
        )
    finally:
        store.close()
    if outcome.status == "refused":
        from hipguide.ui.plain import print_blocks
        from hipguide.ui.verdict import verdict_blocks

        print_blocks(screen, verdict_blocks(outcome.gate.verdict, dataset, number))
        screen.print(text.CARD_NOT_MADE_REFUSED)
    elif outcome.status == "declined":
        screen.print(text.CARD_NOT_MADE_DECLINED)
    else:
        html.write_page(out, html.card_page(outcome, dataset, number, name=name), force)
        if out != html.STDOUT:
            screen.print(
                text.CARD_WRITTEN.format(path=html.shown_path(out)), soft_wrap=True, markup=False
            )
    raise typer.Exit(outcome.exit_code)
