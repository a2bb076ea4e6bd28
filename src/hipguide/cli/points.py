"""``hipguide points``: look up a point, or list them; write a point's picture."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hipguide.cli._app import HipguideCommand, command_app, examples
from hipguide.cli._fast import print_points
from hipguide.cli._options import JsonOption, complete_condition, complete_region
from hipguide.cli._runtime import picture_mode

if TYPE_CHECKING:
    from hipguide.flows.lookup import PointsOutcome

app = command_app()

#: The sides a point's picture can mark.
SIDES = ("left", "right")


def complete_picture_side(incomplete: str) -> list[str]:
    """Shell completion for ``--side``."""
    return [side for side in SIDES if side.startswith(incomplete)]


@app.command(
    "points",
    cls=HipguideCommand,
    epilog=examples(
        "hipguide points GB30",
        "hipguide points sj-14",
        "hipguide points huantiao",
        "hipguide points 环跳",
        "hipguide points sciatica",
        "hipguide points --condition sciatica --json",
        "hipguide points GB30 --side right --picture gb30.png",
        "hipguide points ST36 --pictures blocks",
    ),
)
def points_command(
    ctx: typer.Context,
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
    side: Annotated[
        str | None,
        typer.Option(
            "--side",
            metavar="left|right",
            help="Mark the point on this side in its picture (default: the side the "
            "figure shows, the left for most).",
            autocompletion=complete_picture_side,
            show_default=False,
        ),
    ] = None,
    picture: Annotated[
        Path | None,
        typer.Option(
            "--picture",
            metavar="FILE.png|FILE.svg",
            help="Write the point's picture to this new PNG or SVG file instead of "
            "showing the card (the query must name one point; an existing file is left "
            "as it is).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Look up an acupressure point by code, alias, pinyin, Chinese or English name.

    One match shows the point's card: names, where it is (in words and a picture),
    how to press it, its cautions, what pressing too hard can do, and the sources.
    With no query, lists every point. No match suggests close names and exits with
    code 1. The picture follows --pictures (or HIPGUIDE_PICTURES).
    """
    from hipguide.dataset import load_dataset
    from hipguide.flows.lookup import PointsRequest, find_points

    if side is not None and side not in SIDES:
        from hipguide.errors import UnknownChoice

        raise UnknownChoice("side", side, SIDES, option="--side")
    if picture is not None:
        _check_picture_file(picture, query, as_json)
    dataset = load_dataset()
    request = PointsRequest(" ".join(query or []), condition, region)
    outcome = find_points(request, dataset)
    if picture is not None:
        _write_picture(outcome, picture, side)
        return
    print_points(outcome, dataset, as_json=as_json, pictures=lambda: picture_mode(ctx), side=side)


def _check_picture_file(path: Path, query: list[str] | None, as_json: bool) -> None:
    """UsageError for a picture file of the wrong kind, no query to draw, or --json."""
    from hipguide.errors import UsageError

    example = "e.g. 'hipguide points GB30 --picture gb30.png'"
    if path.suffix.lower() not in (".png", ".svg"):
        raise UsageError(
            f"--picture writes a .png or an .svg file, not '{path.name[:80]}'.",
            "Give a file name ending in .png or .svg.",
        )
    if not " ".join(query or []).strip():
        raise UsageError("--picture needs a point to draw.", f"Name one, {example}.")
    if as_json:
        raise UsageError("--picture writes a file and prints no JSON.", "Leave out --json.")
    _check_picture_target(path)


def _check_picture_target(path: Path) -> None:
    """UsageError, before anything is drawn, for a picture file that may not be written:
    --picture has no --force, so anything already there (a file, a folder, a link, a
    named pipe, a device) is refused and left unopened, and so is a missing folder."""
    from hipguide.errors import UsageError
    from hipguide.ui import html

    if not path.parent.is_dir():  # then nothing can be at the path either
        raise UsageError(
            f"Cannot write the picture to {html.shown_path(path, html.PATH_LIMIT)}: its "
            "folder does not exist.",
            "Create the folder, or choose another --picture.",
        )
    html.check_target(str(path), False, option="--picture", example="gb30.png", forceable=False)


def _write_picture(outcome: PointsOutcome, path: Path, side: str | None) -> None:
    """Write the one point found to ``path`` and say where; UsageError otherwise."""
    from hipguide.errors import UsageError
    from hipguide.ui.figures import save_point_picture
    from hipguide.ui.html import PATH_LIMIT, shown_path
    from hipguide.ui.render import picture_written

    if not outcome.one:
        codes = ", ".join(p.code for p in outcome.points[:8])
        more = ", ..." if len(outcome.points) > 8 else ""
        raise UsageError(
            f"--picture draws one point, but '{outcome.request.query.strip()[:80]}' matches "
            f"{len(outcome.points)}: {codes}{more}.",
            "Give its code, e.g. 'hipguide points GB30 --picture gb30.png'.",
        )
    point = outcome.points[0]
    try:
        written = save_point_picture(point, path, side)
    except FileExistsError:  # it appeared while the picture was drawn
        _check_picture_target(path)
        raise UsageError(
            f"{shown_path(path, PATH_LIMIT)} exists already and was left as it is.",
            "Choose another file name for --picture, or remove that file first.",
        ) from None
    except OSError as error:
        raise UsageError(
            f"Cannot write the picture to {shown_path(path, PATH_LIMIT)}: "
            f"{error.strerror or error}.",
            "Check that the folder exists and that you may write there.",
        ) from None
    typer.echo(picture_written(point, shown_path(written), side))
