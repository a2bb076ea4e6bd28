"""``hipguide conditions``: what the guide knows about each cause of hip pain."""

from __future__ import annotations

from typing import Annotated

import typer

from hipguide.cli._app import command_app
from hipguide.cli._common import choose, complete_condition

app = command_app()


@app.command("conditions")
def conditions_command(
    condition_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="A condition id, e.g. sciatica. Omit to list all.",
            autocompletion=complete_condition,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Show the conditions the guide covers, or one in detail with its points by role."""
    from hipguide.cli._output import print_json, stdout_console
    from hipguide.dataset import load_dataset
    from hipguide.export import condition_to_dict
    from hipguide.ui import render

    dataset = load_dataset()
    console = stdout_console()
    if condition_id is None:
        if as_json:
            print_json([condition_to_dict(c) for c in dataset.conditions])
        else:
            console.print(render.conditions_table(dataset.conditions))
        return
    by_alias = {a.casefold(): c.id for c in dataset.conditions for a in c.aliases}
    wanted = by_alias.get(condition_id.casefold(), condition_id)
    choose(wanted, [c.id for c in dataset.conditions], "condition", "ID")
    condition = dataset.condition(wanted)
    if as_json:
        print_json(condition_to_dict(condition))
    else:
        console.print(render.condition_card(condition, dataset, plain=not console.is_terminal))
