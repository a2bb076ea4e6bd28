"""``hipguide check``: the red-flag questions and the verdict."""

from typing import Annotated

import typer

from hipguide.cli._app import EXIT_CODE_KEY, HipguideCommand, command_app
from hipguide.cli._options import (
    AnswerOption,
    AnswersFileOption,
    EmergencyOption,
    JsonOption,
    NoInputOption,
)

app = command_app()


@app.command(
    "check",
    cls=HipguideCommand,
    epilog=(
        "Exit codes: 0 self-care, 3 see a doctor soon, 4 urgent (same day), 5 emergency, "
        "2 bad or missing answer, 130 interrupted.  Example: hipguide check --no-input "
        "--answers answers.yaml --json"
    ),
)
def check_command(
    ctx: typer.Context,
    answer: AnswerOption = None,
    answers_file: AnswersFileOption = None,
    no_input: NoInputOption = False,
    as_json: JsonOption = False,
    questions: Annotated[
        bool, typer.Option("--questions", help="List the questions (ids, tiers) without asking.")
    ] = False,
    emergency: EmergencyOption = None,
) -> None:
    """Red-flag check: is self-care safe today, or should you see a doctor, and how soon?

    Asks about injury, fever, worsening pain and the other warning signs (emergency
    signs first; an emergency answer ends the questions at once), then says what to
    do. Each check is kept in your history.
    """
    from hipguide import config
    from hipguide.cli._runtime import runtime
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
        return
    request = CheckRequest(tuple(answer or ()), answers_file, number)
    err, out = stderr_console(), stdout_console()
    shown = err if as_json else out
    ports = runtime(ctx)
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
    ctx.meta[EXIT_CODE_KEY] = verdict.exit_code  # kept should stdout be closed meanwhile
    if as_json:
        from hipguide.ui import json

        print_json(json.verdict(verdict, dataset, number))
    else:
        from hipguide.ui.plain import print_blocks

        print_blocks(out, verdict_blocks(verdict, dataset, number))
    raise typer.Exit(verdict.exit_code)
