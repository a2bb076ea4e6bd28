"""``hipguide check``: the red-flag questions and the verdict."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hipguide.cli._app import EXIT_CODE_KEY, command_app

AnswerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--answer",
        "-a",
        metavar="ID=yes|no|unsure",
        help="Answer a question ahead (repeatable). 'hipguide check --questions' lists the ids.",
        show_default=False,
    ),
]
AnswersFileOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        metavar="FILE",
        help="A YAML or JSON file mapping question ids to yes/no/unsure.",
        dir_okay=False,
        show_default=False,
    ),
]
NoInputOption = Annotated[
    bool,
    typer.Option("--no-input", help="Never prompt: a missing answer is an error (exit 2)."),
]
EmergencyOption = Annotated[
    str | None,
    typer.Option(
        "--emergency-number",
        metavar="TEXT",
        help="Emergency number to show, e.g. 112 (or set HIPGUIDE_EMERGENCY_NUMBER).",
        show_default=False,
    ),
]

app = command_app()


@app.command(
    "check",
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
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
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
    from hipguide.cli._checkflow import emergency_number, preset_answers, run_check
    from hipguide.cli._history import open_store_or_warn
    from hipguide.cli._output import print_json, stderr_console, stdout_console
    from hipguide.dataset import load_dataset
    from hipguide.triage import ordered_questions, verdict_to_dict
    from hipguide.ui.verdict import questions_table, verdict_view

    dataset = load_dataset()
    triage = dataset.triage
    if questions:
        ordered = ordered_questions(triage)
        if as_json:
            print_json([{"id": q.id, "text": q.text, "tier": q.tier} for q in ordered])
        else:
            stdout_console().print(questions_table(ordered))
        return
    answers = preset_answers(triage, answer, answers_file)
    err = stderr_console()
    store = open_store_or_warn(err)
    try:
        verdict = run_check(
            triage,
            answers,
            no_input=no_input,
            store=store,
            console=err if as_json else stdout_console(),
            err=err,
            number=emergency_number(emergency),
        )
    finally:
        if store is not None:
            store.close()
    ctx.meta[EXIT_CODE_KEY] = verdict.exit_code  # kept should stdout be closed meanwhile
    if as_json:
        print_json(verdict_to_dict(verdict))
    else:
        console = stdout_console()
        console.print(verdict_view(verdict, dataset, plain=not console.is_terminal))
    raise typer.Exit(verdict.exit_code)
