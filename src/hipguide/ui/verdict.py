"""Rich views of the red-flag check: the question list and the verdict.

The verdict is first a list of blocks (:func:`verdict_blocks`), which
:mod:`hipguide.ui.plain` can print as plain text without Rich's panels and tables; the
Rich view is made of the same blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from hipguide.dataset import Dataset
from hipguide.models import Question
from hipguide.triage import Verdict
from hipguide.ui import text
from hipguide.ui.plain import Block, Boxed, Bullet

if TYPE_CHECKING:  # kept out of start-up: piped, the verdict is printed without them
    from rich.table import Table

#: Colours by tier id; a tier the data adds takes the style of its rank.
TIER_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "self-care": "bold green",
}
_RANK_STYLE = ("bold green", "bold yellow", "bold red", "bold white on red")
DERIVED_NOTE = (
    "Note: '{id}' was counted as yes from your history: {why} An answer cannot override "
    "it; 'hipguide history --forget' clears the history."
)


def tier_style(dataset: Dataset, tier: str) -> str:
    """The Rich style of a tier (caution and other question kinds: none)."""
    if tier in TIER_STYLE:
        return TIER_STYLE[tier]
    try:
        rank = dataset.tier(tier).rank
    except KeyError:
        return ""
    return _RANK_STYLE[min(rank, len(_RANK_STYLE) - 1)]


def questions_table(questions: Sequence[Question]) -> Table:
    """Every question of the check with its id and tier, in asking order."""
    from rich import box
    from rich.table import Table

    table = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, title="Red-flag questions", title_justify="left"
    )
    table.add_column("Id", style="bold cyan", no_wrap=True)
    table.add_column("Tier", no_wrap=True)
    table.add_column("Question")
    for question in questions:
        table.add_row(question.id, question.tier, question.text)
    return table


def verdict_blocks(verdict: Verdict, dataset: Dataset, number: str | None = None) -> list[Block]:
    """The blocks of the verdict: the headline and what to do in a box, then each reason
    with advice and source, the notes, what the history answered, the cautions and the
    reminder that this is not a diagnosis."""
    style = tier_style(dataset, verdict.tier)
    said = text.headline(verdict, dataset, number).upper()
    label = text.tier_label(dataset, verdict.tier)
    # the tier's label first, unless the headline says it already ("SELF-CARE IS ...")
    headline = Text(said if said.startswith(label.upper()) else f"{label}: {said}", style=style)
    parts: list[Block] = [
        Boxed(
            (headline, Text(text.action(verdict, dataset, number))),
            style.replace("on red", "").strip() or "red",
        )
    ]
    if verdict.reasons:
        parts.append(Text("Why:", style="bold"))
        for reason in verdict.reasons:
            item = Text()
            item.append(f"[{reason.tier}] ", style=tier_style(dataset, reason.tier))
            item.append(text.reason_text(reason, verdict, dataset, number))
            item.append(f"\nWhat to do: {text.reason_advice(reason, dataset, number)}")
            titles = "; ".join(
                dataset.source(s).title for s in text.reason_sources(reason, dataset)
            )
            if titles:
                item.append(f"\nSource: {titles}", style="dim")
            parts.append(Bullet(item))
    if verdict.notes:
        parts.append(Text("Noted, not counted on their own:", style="bold"))
        for note in verdict.notes:
            parts.append(Bullet(Text(text.note_text(note, verdict, dataset, number))))
    for question_id, why in verdict.derived.items():
        note = DERIVED_NOTE.format(id=question_id, why=text.derived_why(why))
        parts.append(Text(note, style="yellow"))
    if verdict.cautions:
        parts.append(Text("Cautions for your routine:", style="bold"))
        for caution in verdict.cautions:
            parts.append(Bullet(Text(text.caution_text(caution, dataset, number))))
    parts.append(Text(text.reminder(dataset, number), style="italic"))
    return parts


def bullet(body: Text | str, indent: int = 0) -> Table:
    """A list item (``- ``) whose wrapped lines stay indented under its first."""
    from rich.table import Table

    grid = Table.grid()
    grid.add_column(width=indent + 2, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(" " * indent + "- ", body)
    return grid
