"""Views of the course: a check-in and what it shows, a flare-up and what helps meanwhile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from hipguide.ui import text

if TYPE_CHECKING:
    from hipguide.dataset import Dataset
    from hipguide.flows.checkin import CheckinOutcome
    from hipguide.flows.ports import LighterChosen
    from hipguide.progress import FlareCheck


def checkin_view(outcome: CheckinOutcome, dataset: Dataset) -> RenderableType:
    """The check-in as recorded (or not), and what the check-in rule now says."""
    from hipguide.progress import peg_mean

    peg = ", ".join(str(value) for value in outcome.peg)
    if outcome.id is None:
        line = text.CHECKIN_NOT_RECORDED.format(peg=peg, pgic=outcome.pgic)
    else:
        line = text.CHECKIN_RECORDED.format(
            peg=peg,
            mean=text.score(float(peg_mean(outcome.peg))),
            pgic=outcome.pgic,
            label=text.pgic_label(outcome.pgic, dataset).lower(),
        )
    progress = outcome.progress
    message = text.checkin_message(progress, dataset)
    style = "bold yellow" if progress.stalled else ""
    return Group(
        Text(line, style="bold"),
        Text(("Please note: " if progress.stalled else "") + message, style=style),
        Text(text.measures_line(dataset), style="dim"),
    )


def flare_view(check: FlareCheck, dataset: Dataset, number: str | None) -> RenderableType:
    """Why this looks like a flare-up, what helps meanwhile, when to check again, and
    where that comes from."""
    flare = dataset.rules.flare
    titles = "; ".join(dataset.source(ref).title for ref in flare.sources)
    return Group(
        Text(text.flare_found(check), style="bold yellow"),
        Text(text.fill(flare.meanwhile, dataset, number)),
        Text(text.fill(flare.check_again, dataset, number)),
        Text(f"Source: {titles}", style="dim"),
    )


def lighter_line(chosen: LighterChosen, dataset: Dataset) -> Text:
    """Which routine the flare-up gets."""
    if not chosen.lighter:
        return Text(text.LIGHTER_DECLINED)
    line = text.LIGHTER_TAKEN.format(label=dataset.rules.flare.label)
    if chosen.by_default:
        line = f"{line} {text.LIGHTER_BY_DEFAULT}"
    return Text(line)
