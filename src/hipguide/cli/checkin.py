"""``hipguide checkin``: the weekly check-in on the PEG and the PGIC."""

from __future__ import annotations

from typing import Annotated

import typer

from hipguide.cli._app import HipguideCommand, command_app, examples
from hipguide.cli._options import JsonOption, NoInputOption

app = command_app()


@app.command(
    "checkin",
    cls=HipguideCommand,
    epilog=examples(
        "hipguide checkin",
        "hipguide checkin --no-input --peg 6,5,7 --pgic 3 --json",
        note="PEG: average pain, interference with enjoyment of life, with general activity, "
        "each 0-10 over the past week. PGIC: 1 very much improved, 4 no change, "
        "7 very much worse.",
    ),
)
def checkin_command(
    ctx: typer.Context,
    peg: Annotated[
        str | None,
        typer.Option(
            "--peg",
            metavar="A,B,C",
            help="The PEG's three scores, each 0-10, about the past week: average pain, how "
            "much pain got in the way of enjoying life, and of everyday activities.",
            show_default=False,
        ),
    ] = None,
    pgic: Annotated[
        str | None,
        typer.Option(
            "--pgic",
            metavar="N",
            help="How things are since you started, 1-7: 1 very much improved, 2 much, 3 a "
            "little; 4 no change; 5 a little worse, 6 much, 7 very much worse.",
            show_default=False,
        ),
    ] = None,
    no_input: NoInputOption = False,
    as_json: JsonOption = False,
) -> None:
    """The weekly check-in: is pressing helping?

    Three questions about the past week, each 0 to 10 (the PEG: average pain, and how
    much pain got in the way of enjoying life and of everyday activities), and one
    about how things have changed since you started (the Patient Global Impression of
    Change, 1 to 7). Kept in your history; two check-ins 28 days or more apart tell
    whether pressing helps (a PEG score 30 % lower or more).
    """
    from hipguide.cli._runtime import runtime
    from hipguide.dataset import load_dataset
    from hipguide.flows.checkin import CheckinRequest, run_checkin
    from hipguide.ui.console import print_json, stderr_console, stdout_console
    from hipguide.ui.screen import ConsoleScreen

    dataset = load_dataset()
    err, out = stderr_console(), stdout_console()
    shown = err if as_json else out
    ports = runtime(ctx)
    store = ports.open_store()
    try:
        outcome = run_checkin(
            CheckinRequest(peg=peg, pgic=pgic),
            dataset=dataset,
            prompter=ports.prompter_for(no_input=no_input, console=shown),
            screen=ConsoleScreen(shown, err, dataset, None),
            clock=ports.clock,
            store=store,
        )
    finally:
        store.close()
    if as_json:
        from hipguide.ui import json

        print_json(json.checkin_outcome(outcome, dataset))
    else:
        from hipguide.ui.checkinview import checkin_view

        out.print(checkin_view(outcome, dataset))
