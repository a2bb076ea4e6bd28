"""``hipguide check``: the red-flag questions and the verdict."""

from typing import Annotated

import typer

from hipguide.cli._app import EXIT_CODE_KEY, HipguideCommand, command_app, examples
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
    epilog=examples(
        "hipguide check",
        "hipguide check --no-input --answers answers.yaml --json",
        "hipguide check --questions",
        note="Exit codes: 0 self-care, 3 see a doctor soon, 4 urgent (same day), 5 emergency, "
        "2 bad or missing answer, 130 interrupted.",
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
    from hipguide.cli._run import check
    from hipguide.cli._runtime import runtime

    code = check(
        runtime(ctx),
        answer=answer,
        answers_file=answers_file,
        no_input=no_input,
        as_json=as_json,
        questions=questions,
        emergency=emergency,
        keep_code=lambda code: ctx.meta.__setitem__(EXIT_CODE_KEY, code),
    )
    raise typer.Exit(code)
