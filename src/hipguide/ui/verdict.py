"""Rich views of the red-flag check: the question list and the verdict."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from hipguide.dataset import Dataset
from hipguide.models import Question
from hipguide.triage import Verdict

TIER_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "self-care": "bold green",
}
TIER_LABEL = {
    "emergency": "EMERGENCY",
    "urgent": "URGENT",
    "soon": "SOON",
    "self-care": "SELF-CARE",
    "caution": "caution",
}
EFFECT_LABEL = {
    "no_pregnancy_avoid": "points traditionally avoided in pregnancy are left out",
    "light_no_deep": "light pressure only, and no deep points",
    "skip_area": "points in the affected skin area are skipped",
}


def questions_table(questions: Sequence[Question]) -> Table:
    """Every question of the check with its id and tier, in asking order."""
    table = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, title="Red-flag questions", title_justify="left"
    )
    table.add_column("Id", style="bold cyan", no_wrap=True)
    table.add_column("Tier", no_wrap=True)
    table.add_column("Question")
    for question in questions:
        table.add_row(question.id, question.tier, question.text)
    return table


def verdict_view(verdict: Verdict, dataset: Dataset, plain: bool = False) -> RenderableType:
    """The verdict: a headline, what to do, each reason with advice and source, cautions."""
    parts: list[RenderableType] = []
    headline = Text(
        f"{TIER_LABEL[verdict.tier]}: {verdict.headline.upper()}", style=TIER_STYLE[verdict.tier]
    )
    parts.append(
        Panel(
            Group(headline, Text(verdict.action)),
            box=box.ASCII if plain else box.HEAVY,
            border_style=TIER_STYLE[verdict.tier].replace("on red", "").strip() or "red",
        )
    )
    if verdict.reasons:
        parts.append(Text("Why:", style="bold"))
        for reason in verdict.reasons:
            item = Text()
            item.append(f"[{reason.tier}] ", style=TIER_STYLE.get(reason.tier, ""))
            item.append(reason.text)
            item.append(f"\nWhat to do: {reason.advice}")
            titles = "; ".join(dataset.source(s).title for s in reason.sources)
            if titles:
                item.append(f"\nSource: {titles}", style="dim")
            parts.append(bullet(item))
    for question_id, why in verdict.derived.items():
        parts.append(
            Text(
                f"Note: '{question_id}' was counted as yes from your history: {why} "
                "An answer cannot override it; 'hipguide history --forget' clears the history.",
                style="yellow",
            )
        )
    if verdict.cautions:
        parts.append(Text("Cautions for your routine:", style="bold"))
        for caution in verdict.cautions:
            label = EFFECT_LABEL.get(caution.effect, caution.effect)
            parts.append(bullet(Text(f"{caution.text} ({label})")))
    parts.append(Text(verdict.reminder, style="italic"))
    return Group(*parts)


def bullet(body: Text | str, indent: int = 0) -> Table:
    """A list item (``- ``) whose wrapped lines stay indented under its first."""
    grid = Table.grid()
    grid.add_column(width=indent + 2, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(" " * indent + "- ", body)
    return grid
