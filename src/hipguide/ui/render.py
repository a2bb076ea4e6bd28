"""Rich views of the dataset: point tables and cards, condition tables and cards.

Every function returns a renderable; printing is the caller's job. ``plain=True``
(output that is not a terminal) swaps box-drawing characters for ASCII. The plan and how
a routine ended are first lists of blocks (:mod:`hipguide.ui.plain`), which a console
that is not a terminal prints as plain text; :func:`renderable` makes a block the Rich
renderable a terminal gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from hipguide.models import Condition, Point, Source
from hipguide.ui.plain import Block, Boxed, Bullet, Column, Tabled
from hipguide.ui.text import PREGNANCY_LABEL, exclusion_text, role_label

if TYPE_CHECKING:  # kept out of start-up: a point card needs neither, a piped plan neither
    from rich.box import Box
    from rich.table import Table

    from hipguide.dataset import Dataset
    from hipguide.flows.lookup import PointsOutcome
    from hipguide.flows.routine import RoutineOutcome
    from hipguide.planner import Plan


def _box(plain: bool) -> Box:
    from rich import box

    return box.ASCII if plain else box.ROUNDED


def view(blocks: Iterable[Block], plain: bool = False) -> RenderableType:
    """The Rich view of ``blocks``, one after another (ASCII lines with ``plain``)."""
    return Group(*(renderable(block, plain) for block in blocks))


def renderable(block: Block, plain: bool = False) -> RenderableType:
    """The Rich renderable of a block: a panel (heavy lines), a list item, a table (a
    line under its header) or the text itself; ASCII lines with ``plain``."""
    if isinstance(block, Boxed):
        from rich import box
        from rich.panel import Panel

        return Panel(
            Group(*block.lines),
            box=box.ASCII if plain else box.HEAVY,
            border_style=block.style,
        )
    if isinstance(block, Bullet):
        from hipguide.ui.verdict import bullet

        return bullet(block.body)
    if isinstance(block, Tabled):
        from rich import box
        from rich.table import Table

        table = Table(
            title=block.title,
            box=box.ASCII if plain else box.SIMPLE_HEAD,
            title_justify="left",
            pad_edge=False,
        )
        for column in block.columns:
            table.add_column(column.header, justify=column.justify, no_wrap=column.no_wrap)
        for row in block.rows:
            table.add_row(*row)
        return table
    return block


def point_title(point: Point) -> Text:
    """``GB30  Huántiào 环跳 (環跳)  Jumping Circle``."""
    title = Text()
    title.append(point.code, style="bold cyan")
    title.append(f"  {point.pinyin} ", style="bold")
    title.append(point.hanzi)
    if point.hanzi_traditional:
        title.append(f" ({point.hanzi_traditional})")
    title.append(f"  {point.english}", style="italic")
    return title


def points_table(points: Sequence[Point], title: str = "Acupressure points") -> Table:
    """One row per point: code, names, region, depth and pregnancy flag."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    table.add_column("Code", style="bold cyan", no_wrap=True)
    table.add_column("Pinyin")
    table.add_column("Hanzi", no_wrap=True)
    table.add_column("English")
    table.add_column("Region", no_wrap=True)
    table.add_column("Notes")
    for point in points:
        notes = []
        if point.pregnancy == "avoid":
            notes.append("avoid if pregnant")
        if point.depth == "deep":
            notes.append("deep")
        table.add_row(
            point.code, point.pinyin, point.hanzi, point.english, point.region, ", ".join(notes)
        )
    return table


def source_line(source: Source) -> Text:
    """One source as a person reads it: its title and publisher, and its address where
    it has one (a seed's file name is an internal id and is never shown)."""
    line = Text(f"- {source.title}")
    publisher = source.publisher
    if publisher and not source.title.casefold().startswith(publisher.casefold()):
        line.append(f", {publisher}")
    if source.url:
        line.append(f" ({source.url})", style="dim")
    return line


def sources_block(sources: Iterable[Source]) -> Text:
    """The cited sources, one per line: title, publisher and address."""
    return Text("\n").join(source_line(source) for source in sources)


def cautions_block(point: Point) -> Text:
    """The point's cautions and pregnancy flag under a heading, read before the rest."""
    from hipguide.ui.text import sentence

    text = Text()
    text.append("Cautions\n", style="bold yellow")
    pregnancy_style = "bold red" if point.pregnancy == "avoid" else "yellow"
    said = False  # a caution of the point's own about pregnancy says it already
    for caution in point.cautions:
        on_pregnancy = "pregnan" in caution.casefold()
        said = said or on_pregnancy
        text.append(f"! {caution}\n", style=pregnancy_style if on_pregnancy else "yellow")
    if not said:
        text.append(f"! {sentence(PREGNANCY_LABEL[point.pregnancy])}\n", style=pregnancy_style)
    text.rstrip()
    return text


#: Rows the picture of a card takes at most, caption included.
CARD_PICTURE_ROWS = 20
BOTH_SIDES = (
    "The point lies on both sides of the body; the picture shows the {side} one "
    "('--side {other}' shows the other)."
)
PRESSING_TOO_HARD = "If you press too hard: "
WHEN_TO_STOP = "When to stop: "
PICTURE_WRITTEN = "Wrote the picture of {code} ({side} side) to {path}."


def figure_block(
    point: Point,
    plain: bool = False,
    side: str | None = None,
    *,
    mode: str = "auto",
    max_width: int | None = None,
    max_height: int | None = CARD_PICTURE_ROWS,
) -> RenderableType:
    """The point's picture, marked on ``side`` and sized to the room (at most
    ``max_height`` rows, caption included), drawn as ``mode`` (a ``--pictures`` value)
    decides. ``plain`` is kept for callers that pass it: an output that is not a
    terminal always gets the ASCII picture (or words, with ``none``)."""
    from hipguide.ui.figures import picture_for

    return picture_for(point, side, mode, max_width=max_width, max_height=max_height)


def _side_note(point: Point, side: str | None) -> Text | None:
    """For a point on both sides: which one the picture shows, and how to see the other."""
    if not point.bilateral:
        return None
    from hipguide.ui.figures import mark_position

    shown = side or mark_position(*point.figure).side
    other = "right" if shown == "left" else "left"
    return Text(BOTH_SIDES.format(side=shown, other=other), style="dim")


def pressing_safely_block(dataset: Dataset, number: str | None) -> Text | None:
    """What pressing too hard can do and what to do about it, and when to stop
    self-care (the dataset's texts, with the emergency number filled in)."""
    from hipguide.ui.text import fill

    safely = dataset.triage.pressing_safely
    if safely is None:
        return None
    text = Text()
    text.append(PRESSING_TOO_HARD, style="bold")
    text.append(fill(safely.side_effects, dataset, number))
    text.append("\n")
    text.append(WHEN_TO_STOP, style="bold")
    text.append(fill(safely.stop_signs, dataset, number))
    return text


def picture_written(point: Point, path: object, side: str | None) -> str:
    """The line that says where a point's picture was written."""
    from hipguide.ui.figures import mark_position

    shown = side or mark_position(*point.figure).side
    return PICTURE_WRITTEN.format(code=point.code, side=shown, path=path)


def point_card(
    point: Point,
    dataset: Dataset,
    plain: bool = False,
    *,
    pictures: str = "auto",
    side: str | None = None,
    number: str | None = None,
) -> RenderableType:
    """Everything about one point: names, cautions, location, picture (drawn as
    ``pictures`` says, marked on ``side``), technique, what pressing too hard can do
    and when to stop (with the emergency ``number``, None: the dataset's), sources."""
    facts = Text()
    facts.append(f"{point.channel} channel", style="bold")
    facts.append(f" · region: {point.region} · depth: {point.depth}")
    if point.namespace == "tung":
        facts.append(" · Master Tung extra point (outside the WHO standard)")
    if point.aliases:
        facts.append(f"\nAlso written: {', '.join(point.aliases)}", style="dim")
    where = Text()
    where.append("Standard location: ", style="bold")
    where.append(point.location.standard)
    where.append("\nHow to find it yourself: ", style="bold")
    where.append(point.location.self_find)
    press = Text()
    press.append("How to press: ", style="bold")
    press.append(
        f"{point.technique.pressure} pressure for about {point.technique.seconds} seconds"
        f"{' on each side' if point.bilateral else ''}. "
    )
    press.append(point.technique.method)
    used = Text()
    used.append("Used for: ", style="bold")
    used.append("; ".join(point.indications))
    sources = Text()
    sources.append("Sources:", style="bold")
    sources.append("\n")
    sources.append_text(sources_block(dataset.source(s) for s in point.sources))
    if point.chosen_by:
        sources.append(f"\n{point.chosen_by}")
    parts: list[RenderableType] = [
        point_title(point),
        facts,
        Text(),
        cautions_block(point),
        Text(),
        where,
        Text(),
        figure_block(point, plain, side, mode=pictures),
    ]
    note = _side_note(point, side)
    if note is not None:
        parts.append(note)
    parts += [Text(), press, used]
    safely = pressing_safely_block(dataset, number)
    if safely is not None:
        parts += [Text(), safely]
    parts += [Text(), sources]
    return Group(*parts)


def conditions_table(conditions: Sequence[Condition]) -> Table:
    """One row per condition with its points."""
    from rich import box
    from rich.table import Table

    table = Table(title="Conditions", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    table.add_column("Id", style="bold cyan", no_wrap=True)
    table.add_column("Name")
    table.add_column("Points")
    for condition in conditions:
        table.add_row(
            condition.id, condition.name, " ".join(role.point for role in condition.points)
        )
    return table


def condition_card(
    condition: Condition, dataset: Dataset, plain: bool = False, number: str | None = None
) -> RenderableType:
    """One condition: what it is, signs, points by role, home care, limits, what pressing
    too hard can do and when to stop (with the emergency ``number``), sources."""
    from rich.table import Table

    body: list[RenderableType] = [Text(condition.name, style="bold cyan"), Text(condition.summary)]
    if condition.signs:
        body.append(Text("\nTypical signs:", style="bold"))
        body.extend(Text(f"- {sign}") for sign in condition.signs)
    table = Table(box=_box(plain), title="Points its routine uses", title_justify="left")
    table.add_column("Point", style="bold", no_wrap=True)
    table.add_column("Name")
    table.add_column("Role")
    for role in condition.points:
        point = dataset.point(role.point)
        table.add_row(point.code, f"{point.pinyin} {point.hanzi}", role_label(role.role, dataset))
    body += [Text(), table]
    if condition.self_care:
        body.append(Text("At home:", style="bold"))
        body.extend(Text(f"- {item}") for item in condition.self_care)
    body.append(Text.assemble(("\nWhat acupressure can do: ", "bold"), condition.can_help))
    body.append(Text.assemble(("What it cannot do: ", "bold"), condition.limits))
    safely = pressing_safely_block(dataset, number)
    if safely is not None:
        body += [Text(), safely]
    sources = Text("\n")
    sources.append("Sources:", style="bold")
    sources.append("\n")
    sources.append_text(sources_block(dataset.source(s) for s in condition.sources))
    body.append(sources)
    return Group(*body)


#: The columns of the plan's table.
PLAN_COLUMNS = (
    Column("#", justify="right"),
    Column("Point", no_wrap=True),
    Column("Side", no_wrap=True),
    Column("Time", justify="right", no_wrap=True),
    Column("Pressure", no_wrap=True),
    Column("Role"),
)


def plan_blocks(plan: Plan, dataset: Dataset) -> list[Block]:
    """The blocks of the plan: the table of presses under the total time, the pressure
    caps, the points pressed standing, and what was left out and why."""
    kind = "Your lighter routine (a flare-up)" if plan.flare else "Your routine"
    rows = []
    for number, step in enumerate(plan.steps, 1):
        point = dataset.point(step.point)
        rows.append(
            (
                str(number),
                f"{point.code} {point.pinyin}",
                step.side,
                f"{step.seconds} s",
                step.pressure,
                step.role,
            )
        )
    from hipguide.ui.text import counted

    presses = counted(len(plan.steps), "press", "presses")
    title = f"{kind}: {presses}, about {_minutes(plan.total_seconds)}"
    parts: list[Block] = [Tabled(title, PLAN_COLUMNS, tuple(rows))]
    from hipguide.ui.text import CAP_HEADING, cap_lines

    capped = cap_lines(plan, dataset) if plan.caps else []
    if capped:
        parts.append(Text(CAP_HEADING, style="bold"))
        parts.extend(Bullet(Text(line)) for line in capped)
    instead = list(dict.fromkeys(step.point for step in plan.steps if step.instead))
    if instead:
        from hipguide.ui.text import pressed_standing

        parts.append(Text(pressed_standing(instead)))
    if plan.excluded:
        parts.append(Text("Left out:", style="bold"))
        parts.extend(
            Bullet(Text(f"{item.point}: {exclusion_text(item, dataset)}")) for item in plan.excluded
        )
    return parts


def _minutes(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


NOT_STARTED_REFUSED = "The routine will not start: please get help first."
NOT_STARTED_DECLINED = (
    "Not started. Book the appointment. A gentle routine meanwhile is yours to choose: run "
    "this again and say yes (--accept-risk with --no-input)."
)
SESSION_COMPLETE = "Session complete."
SESSION_ENDED = "Session ended early."
RECORDED = "Recorded in your history."
NOT_RECORDED = "Not recorded (see the warning above)."


def routine_end_blocks(
    outcome: RoutineOutcome, dataset: Dataset, number: str | None
) -> list[Block]:
    """How a routine ended: refused at the gate, declined, or the session's summary (with
    the verdict again after "see a doctor soon", how often to press, and what pressing
    too hard means)."""
    from hipguide.ui import text
    from hipguide.ui.verdict import verdict_blocks

    verdict = outcome.gate.verdict
    if outcome.status == "refused":
        return [*verdict_blocks(verdict, dataset, number), Text(NOT_STARTED_REFUSED, style="bold")]
    if outcome.status == "declined":
        return [Text(NOT_STARTED_DECLINED)]
    summary = outcome.summary
    assert summary is not None
    # The general advice first and the person's own result last, so that on a small
    # terminal the result is what stays on the screen.
    course = dataset.rules.course
    lines: list[Block] = [Text(text.fill(course.next_session, dataset, number))]
    titles = "; ".join(dataset.source(ref).title for ref in course.sources)
    lines.append(Text(f"Source: {titles}", style="dim"))
    safely = dataset.triage.pressing_safely
    if safely is not None:
        lines.append(
            Text.assemble(
                ("After pressing: ", "bold"), text.fill(safely.side_effects, dataset, number)
            )
        )
        lines.append(
            Text.assemble(("When to stop: ", "bold"), text.fill(safely.stop_signs, dataset, number))
        )
    if dataset.tier(verdict.tier).routine == "confirm":
        lines.append(
            Text.assemble(
                (f"Remember: {text.headline(verdict, dataset, number)}. ", "bold yellow"),
                text.action(verdict, dataset, number),
            )
        )
        for reason in verdict.reasons:
            lines.append(Bullet(Text(text.reason_advice(reason, dataset, number))))
    state = SESSION_COMPLETE if summary.completed else SESSION_ENDED
    lines.append(
        Text.assemble("\n", (state, "bold"), " ", RECORDED if summary.id else NOT_RECORDED)
    )
    lines.append(Text(f"Points pressed: {', '.join(summary.points) if summary.points else 'none'}"))
    active = summary.active_seconds
    whole = (summary.ended_at - summary.started_at).total_seconds()
    lines.append(
        Text(
            f"Time pressing and resting: {_minutes(int(active))} "
            f"(the whole session, finding the points too: {_minutes(int(whole))})"
        )
    )
    before, after = summary.pain_before, summary.pain_after
    if before is not None and after is not None:
        change = after - before
        word = "lower" if change < 0 else "higher" if change > 0 else "the same"
        lines.append(Text(f"Pain: {before} -> {after} ({word})"))
    return lines


def points_outcome_view(
    outcome: PointsOutcome,
    dataset: Dataset,
    plain: bool = False,
    *,
    pictures: str = "auto",
    side: str | None = None,
    number: str | None = None,
) -> RenderableType:
    """A found point's card (its picture drawn as ``pictures`` says, marked on
    ``side``), or the table of the points listed or matched, titled by what the query
    matched (a region, a condition, a use, or words in the names)."""
    from rich.markup import escape

    from hipguide.search import PLAIN_WORDS
    from hipguide.ui import text as words

    request = outcome.request
    text = request.query.strip()
    if outcome.one:
        card = point_card(
            outcome.points[0], dataset, plain=plain, pictures=pictures, side=side, number=number
        )
        if outcome.kind == "fuzzy":
            note = Text.from_markup(
                f"[dim]Closest match for '{escape(text)}': {escape(outcome.matched_name)}[/]"
            )
            return Group(note, card)
        return card
    hint = Text(words.ONE_POINT_HINT, style="dim")
    if outcome.kind in PLAIN_WORDS:
        title = words.plain_word_title(outcome.kind, outcome.matched_name, dataset)
        order = words.plain_word_order(outcome.kind, outcome.matched_name, outcome.points, dataset)
        notes = [Text(order, style="dim")] if order else []
        return Group(points_table(outcome.points, title=title), *notes, hint)
    if text:
        title = words.POINTS_MATCHING.format(count=len(outcome.points), query=text)
        return Group(points_table(outcome.points, title=title), hint)
    parts = ["Acupressure points"]
    if request.condition:
        parts.append(f"for {request.condition}")
    if request.region:
        parts.append(f"in the {request.region} region")
    return points_table(outcome.points, title=" ".join(parts))
