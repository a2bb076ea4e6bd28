"""``hipguide conditions``: what the guide knows about each cause of hip pain."""

from __future__ import annotations

from typing import Annotated

import typer

from hipguide.cli._app import HipguideCommand, command_app, examples
from hipguide.cli._options import JsonOption, complete_condition

app = command_app()


@app.command(
    "conditions",
    cls=HipguideCommand,
    epilog=examples(
        "hipguide conditions",
        "hipguide conditions sciatica",
        "hipguide conditions bursitis --json",
    ),
)
def conditions_command(
    condition_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="A condition id, e.g. sciatica. Omit to list all.",
            autocompletion=complete_condition,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the conditions the guide covers, or one in detail with its points by role."""
    from hipguide import config
    from hipguide.dataset import load_dataset
    from hipguide.flows.lookup import find_condition
    from hipguide.ui import json, render
    from hipguide.ui.console import print_json, stdout_console

    dataset = load_dataset()
    console = stdout_console()
    if condition_id is None:
        if as_json:
            print_json(json.conditions(dataset.conditions))
        else:
            console.print(render.conditions_table(dataset.conditions))
        return
    condition = find_condition(condition_id, dataset)
    if as_json:
        print_json(json.condition(condition))
    else:
        console.print(
            render.condition_card(
                condition, dataset, plain=not console.is_terminal, number=config.emergency_number()
            )
        )
