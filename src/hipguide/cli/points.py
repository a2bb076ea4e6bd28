"""``hipguide points``: look up a point, or list them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from hipguide.cli._app import command_app
from hipguide.cli._common import choose, complete_condition
from hipguide.errors import NoMatchError
from hipguide.models import REGIONS

if TYPE_CHECKING:
    from hipguide.models import Point


def _complete_region(incomplete: str) -> list[str]:

    return [r for r in REGIONS if r.startswith(incomplete)]


app = command_app()


@app.command(
    "points",
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
            help="Only points in this body region: " + ", ".join(REGIONS) + ".",
            autocompletion=_complete_region,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Look up an acupressure point by code, alias, pinyin, Chinese or English name.

    One match shows the point's card: names, where it is (in words and a picture),
    how to press it, its cautions, and the sources. With no query, lists every point.
    No match suggests close names and exits with code 1.
    """
    from hipguide.cli._output import print_json
    from hipguide.dataset import load_dataset
    from hipguide.export import point_to_dict
    from hipguide.search import filter_points, find_point

    dataset = load_dataset()
    if condition is not None:
        choose(condition, [c.id for c in dataset.conditions], "condition", "--condition")
    if region is not None:
        choose(region, REGIONS, "region", "--region")
    candidates = filter_points(dataset, condition=condition, region=region)
    text = " ".join(query or []).strip()

    if not text:
        found: tuple[Point, ...] = candidates
        title = _list_title(condition, region)
    else:
        result = find_point(dataset, text)
        allowed = {p.code for p in candidates}
        found = tuple(p for p in result.points if p.code in allowed)
        if not found:
            hint = (
                f"Did you mean: {', '.join(result.suggestions)}?"
                if result.suggestions
                else "Run 'hipguide points' to list every point."
            )
            if result.points and (condition or region):
                codes = ", ".join(p.code for p in result.points)
                hint = f"{codes} exists but not with these filters."
            raise NoMatchError(f"No point matches '{text}'.", hint)
        title = f"{len(found)} points match '{text}'"
    one = bool(text) and len(found) == 1
    if as_json:  # no Rich on this path: it is the scripts' fast path
        print_json(point_to_dict(found[0]) if one else [point_to_dict(p) for p in found])
        return

    from rich.markup import escape

    from hipguide.cli._output import stdout_console
    from hipguide.ui import render

    console = stdout_console()
    if one:
        if result.kind == "fuzzy":
            console.print(f"[dim]Closest match for '{escape(text)}': {result.matched_name}[/]")
        console.print(render.point_card(found[0], dataset, plain=not console.is_terminal))
        return
    console.print(render.points_table(found, title=title))
    if text:
        console.print("[dim]Give a code (e.g. 'hipguide points GB30') to see one point.[/]")


def _list_title(condition: str | None, region: str | None) -> str:
    parts = ["Acupressure points"]
    if condition:
        parts.append(f"for {condition}")
    if region:
        parts.append(f"in the {region} region")
    return " ".join(parts)
