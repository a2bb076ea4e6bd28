"""``hipguide points``: look up a point, or list them."""

from __future__ import annotations

from typing import Annotated

import typer

from hipguide.cli._app import HipguideCommand, command_app
from hipguide.cli._options import JsonOption, complete_condition, complete_region

app = command_app()


@app.command(
    "points",
    cls=HipguideCommand,
    epilog=(
        "Examples:  hipguide points GB30 | hipguide points sj-14 | hipguide points huantiao | "
        "hipguide points 环跳 | hipguide points --condition sciatica --json"
    ),
)
def points_command(
    query: Annotated[
        list[str] | None,
        typer.Argument(
            help="A code in any form (GB30, gb-30, SJ14, Lv3, UB54, 88.12), pinyin with or "
            "without tones, Chinese characters, or an English name. Omit to list all points.",
            show_default=False,
        ),
    ] = None,
    condition: Annotated[
        str | None,
        typer.Option(
            "--condition",
            "-c",
            help="Only the points used for this condition id.",
            autocompletion=complete_condition,
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            "-r",
            help="Only points in this body region: {regions}.",
            autocompletion=complete_region,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Look up an acupressure point by code, alias, pinyin, Chinese or English name.

    One match shows the point's card: names, where it is (in words and a picture),
    how to press it, its cautions, and the sources. With no query, lists every point.
    No match suggests close names and exits with code 1.
    """
    from hipguide.dataset import load_dataset
    from hipguide.flows.lookup import PointsRequest, find_points
    from hipguide.ui.console import print_json

    dataset = load_dataset()
    request = PointsRequest(" ".join(query or []), condition, region)
    outcome = find_points(request, dataset)
    if as_json:  # no Rich on this path: it is the scripts' fast path
        from hipguide.ui import json

        found = outcome.points
        print_json(json.point(found[0]) if outcome.one else json.points(found))
        return

    from hipguide.ui.console import stdout_console
    from hipguide.ui.render import points_outcome_view

    console = stdout_console()
    console.print(points_outcome_view(outcome, dataset, plain=not console.is_terminal))
