"""The plain layout (``hipguide.ui.plain``) is the same program as Rich: for every verdict
and plan it does not hand back, at every width, it prints the very characters the Rich
view prints on a console that is not a terminal. It hands back rarely (never at 80
columns for the shipped data), and a piped ``check`` or ``routine --plan`` then loads
none of Rich's tables and panels."""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console, Group, RenderableType
from rich.text import Text
from typer.testing import CliRunner

from conftest import MakeAnswers
from hipguide.cli import app
from hipguide.config import shipped_data_dir
from hipguide.dataset import Dataset, load_dataset
from hipguide.flows.gate import GateOutcome
from hipguide.flows.routine import RoutineOutcome, RunSummary
from hipguide.planner import Plan, PlanRequest, plan_routine
from hipguide.triage import Verdict, assess
from hipguide.ui import plain
from hipguide.ui.plain import Block, Boxed, Bullet, Column, Tabled, layout
from hipguide.ui.render import plan_blocks, renderable, routine_end_blocks, view
from hipguide.ui.verdict import verdict_blocks

DATASET = load_dataset(shipped_data_dir())
TRIAGE = DATASET.triage
IDS = [question.id for question in TRIAGE.questions]
CAUTIONS = [question.id for question in TRIAGE.questions if question.effect]
ALL_NO = dict.fromkeys(IDS, "no")
EVERY_WIDTH = range(20, 141)
SOME_WIDTHS = (20, 23, 31, 44, 59, 80, 97, 118, 140)
#: Modules the plain layout exists to keep out of a piped check and plan.
HEAVY = ("rich.table", "rich.panel", "rich.box", "rich.padding", "rich._ratio", "fractions")


def console(width: int) -> Console:
    """A console like the real one on a pipe: no colour, no highlighting, no emoji."""
    return Console(file=io.StringIO(), width=width, color_system=None, highlight=False, emoji=False)


def by_rich(view: RenderableType, width: int) -> str:
    out = console(width)
    out.print(view)
    return out.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def by_plain(blocks: Sequence[Block], width: int) -> str | None:
    """What :func:`plain.show` prints, or None when it hands back."""
    out = console(width)
    return out.file.getvalue() if plain.show(out, blocks) else None  # type: ignore[attr-defined]


# --- the cases ----------------------------------------------------------------------------


def verdict_cases() -> list[Verdict]:
    """Verdicts the real triage gives: all no, every question alone (yes, unsure, and
    with a professional's assessment), combinations, what the history answered, the
    cautions together, and random answer sets."""
    cases = [assess(TRIAGE, ALL_NO)]
    for question_id in IDS:
        for answer in ("yes", "unsure"):
            cases.append(assess(TRIAGE, {**ALL_NO, question_id: answer}))
            cases.append(assess(TRIAGE, {**ALL_NO, question_id: answer, "assessed": "yes"}))
    for combination in TRIAGE.combinations:  # the first of each group, yes; then unsure
        for answer in ("yes", "unsure"):
            firsts = {group[0]: answer for group in combination.groups}
            cases.append(assess(TRIAGE, {**ALL_NO, **firsts}))
    why = "no better after 8 sessions in 6 weeks of pressing."
    cases.append(assess(TRIAGE, ALL_NO, derived={"no_improvement": why}))
    # A sign of each tier with each mix of a note, an answer from the history, a caution.
    note = {"cancer_history": "yes", "assessed": "yes"}
    for sign, with_note, with_history, caution in itertools.product(
        ("injury", "fever", "night_pain"), (False, True), (False, True), (False, True)
    ):
        answers = {**ALL_NO, sign: "yes", **(note if with_note else {})}
        if caution:
            answers["anticoagulant"] = "yes"
        derived = {"no_improvement": why} if with_history else {}
        cases.append(assess(TRIAGE, answers, derived=derived))
    cases.append(assess(TRIAGE, {**ALL_NO, **dict.fromkeys(CAUTIONS, "yes")}))
    cases.append(assess(TRIAGE, dict.fromkeys(IDS, "yes"), derived={"no_improvement": why}))
    rng = random.Random(20240501)
    for _ in range(60):
        answers = {q: rng.choice(("yes", "no", "no", "no", "unsure")) for q in IDS}
        derived = {"no_improvement": why} if rng.random() < 0.3 else {}
        cases.append(assess(TRIAGE, answers, derived=derived))
    return cases


def plan_cases() -> list[Plan]:
    """Plans for every area and side, lying down or not, feet in reach or not, the usual
    and the lighter routine; then random ones with several areas, short and long
    budgets, skipped regions and points, cautions (pressure caps) and "see a doctor
    soon"."""
    areas = [area.id for area in DATASET.areas]
    regions = [region.id for region in DATASET.regions]
    points = [point.code for point in DATASET.points]
    cases = []
    for area, side, lie, feet, flare in itertools.product(
        areas, ("left", "right", "both"), (True, False), (True, False), (False, True)
    ):
        request = PlanRequest(
            areas=(area,), side=side, can_lie=lie, can_reach_feet=feet, flare=flare
        )
        cases.append(plan_routine(DATASET, request))
    rng = random.Random(7)
    for _ in range(40):
        request = PlanRequest(
            areas=tuple(rng.sample(areas, rng.randint(1, len(areas)))),
            side=rng.choice(("left", "right", "both")),
            minutes=rng.choice((1, 2, 5, 10, 20, 40)),
            can_lie=rng.random() < 0.5,
            can_reach_feet=rng.random() < 0.5,
            flare=rng.random() < 0.3,
            skip_regions=tuple(rng.sample(regions, rng.randint(0, 2))),
            skip_points=tuple(rng.sample(points, rng.randint(0, 2))),
        )
        cautions = tuple(rng.sample(CAUTIONS, rng.randint(0, len(CAUTIONS))))
        tier = rng.choice(("self-care", "self-care", "soon"))
        cases.append(plan_routine(DATASET, request, tier=tier, cautions=cautions))
    return cases


VERDICTS = verdict_cases()
PLANS = plan_cases()


def _smallest_with(
    cases: Sequence[Any], features: dict[str, Callable[[Any], bool]], size: Callable[[Any], int]
) -> list[Any]:
    """For each feature, the smallest of ``cases`` that has it (each case once)."""
    chosen: list[Any] = []
    for has in features.values():
        case = min((case for case in cases if has(case)), key=size)
        if all(case is not kept for kept in chosen):
            chosen.append(case)
    return chosen


def _tier_is(tier: str) -> Callable[[Verdict], bool]:
    return lambda verdict: verdict.tier == tier


VERDICT_FEATURES: dict[str, Callable[[Verdict], bool]] = {
    **{tier.id: _tier_is(tier.id) for tier in TRIAGE.tiers},
    "reasons": lambda v: bool(v.reasons),
    "combination": lambda v: any(reason.cause == "combination" for reason in v.reasons),
    "unsure": lambda v: any(reason.cause == "unsure" for reason in v.reasons),
    "notes": lambda v: bool(v.notes),
    "derived": lambda v: bool(v.derived),
    "cautions": lambda v: bool(v.cautions),
    "self-care with cautions": lambda v: v.tier == "self-care" and bool(v.cautions),
    "everything": lambda v: bool(v.reasons and v.notes and v.derived and v.cautions),
    "many reasons": lambda v: len(v.reasons) >= 8,
}
PLAN_FEATURES: dict[str, Callable[[Plan], bool]] = {
    "usual": lambda plan: not plan.flare and bool(plan.steps),
    "flare": lambda plan: plan.flare,
    "caps": lambda plan: bool(plan.caps),
    "standing": lambda plan: any(step.instead for step in plan.steps),
    "excluded": lambda plan: bool(plan.excluded),
    "ten presses": lambda plan: len(plan.steps) >= 10,  # a two-digit number column
    "no press": lambda plan: not plan.steps,
}


def _verdict_size(verdict: Verdict) -> int:
    return len(verdict.reasons) + len(verdict.notes) + len(verdict.cautions)


def _plan_size(plan: Plan) -> int:
    return len(plan.steps) + len(plan.excluded) + len(plan.caps)


#: The cases run at every width (all of them run at some widths).
CORE_VERDICTS = _smallest_with(VERDICTS, VERDICT_FEATURES, _verdict_size)
CORE_PLANS = _smallest_with(PLANS, PLAN_FEATURES, _plan_size)


def test_the_cases_cover_every_tier_and_every_part_of_the_views() -> None:
    for name, has in VERDICT_FEATURES.items():
        assert any(has(verdict) for verdict in CORE_VERDICTS), name
    for name, has in PLAN_FEATURES.items():
        assert any(has(plan) for plan in CORE_PLANS), name


# --- the same characters ------------------------------------------------------------------


def _same_or_handed_back(blocks: Sequence[Block], view: RenderableType, width: int) -> bool:
    """Assert the plain layout prints what Rich prints; True when it handed back."""
    text = by_plain(blocks, width)
    if text is None:
        return True
    assert text == by_rich(view, width), f"width {width}"
    return False


@pytest.mark.parametrize("index", range(len(CORE_VERDICTS)))
def test_a_verdict_is_the_same_at_every_width(index: int) -> None:
    verdict = CORE_VERDICTS[index]
    number = "112" if index % 2 else None
    handed_back = [
        width
        for width in EVERY_WIDTH
        if _same_or_handed_back(
            verdict_blocks(verdict, DATASET, number),
            view(verdict_blocks(verdict, DATASET, number), plain=True),
            width,
        )
    ]
    assert handed_back == []


@pytest.mark.parametrize("index", range(len(CORE_PLANS)))
def test_a_plan_is_the_same_at_every_width(index: int) -> None:
    plan = CORE_PLANS[index]
    handed_back = [
        width
        for width in EVERY_WIDTH
        if _same_or_handed_back(
            plan_blocks(plan, DATASET), view(plan_blocks(plan, DATASET), plain=True), width
        )
    ]
    # Only where the table no longer fits: Rich would then wrap or shrink its cells.
    assert all(width < 80 for width in handed_back)
    assert len(handed_back) < len(EVERY_WIDTH) // 2


@pytest.mark.parametrize("width", SOME_WIDTHS)
def test_every_verdict_and_plan_is_the_same_at_some_widths(width: int) -> None:
    handed_back = 0
    for index, verdict in enumerate(VERDICTS[::3]):
        number = "999" if index % 3 else None
        handed_back += _same_or_handed_back(
            verdict_blocks(verdict, DATASET, number),
            view(verdict_blocks(verdict, DATASET, number), plain=True),
            width,
        )
    for plan in PLANS[::3]:
        handed_back += _same_or_handed_back(
            plan_blocks(plan, DATASET), view(plan_blocks(plan, DATASET), plain=True), width
        )
    if width >= 60:
        assert handed_back == 0


def routine_ends() -> list[RoutineOutcome]:
    """Refused and declined at the gate, and sessions that ran: recorded or not, with and
    without pain scores, complete or ended early."""
    at = datetime(2024, 5, 1, 10, tzinfo=timezone.utc)
    ends = []
    for verdict in CORE_VERDICTS:
        ends.append(RoutineOutcome("refused", GateOutcome(verdict, "refused")))
        ends.append(RoutineOutcome("declined", GateOutcome(verdict, "declined")))
        for record, points, before, after, done in (
            (1, ("GB30", "GB34"), 6, 4, True),
            (None, (), None, None, False),
            (2, ("GB30",), 3, 3, True),
        ):
            summary = RunSummary(record, at, at, points, before, after, done, "end", 185.5)
            ends.append(RoutineOutcome("ran", GateOutcome(verdict, "go"), summary=summary))
    return ends


@pytest.mark.parametrize("width", SOME_WIDTHS)
def test_how_a_routine_ended_is_the_same(width: int) -> None:
    for index, outcome in enumerate(routine_ends()):
        number = "112" if index % 2 else None
        handed_back = _same_or_handed_back(
            routine_end_blocks(outcome, DATASET, number),
            view(routine_end_blocks(outcome, DATASET, number), plain=True),
            width,
        )
        assert not (handed_back and width >= 40)


def test_nothing_shipped_is_handed_back_at_80_columns() -> None:
    out = console(80)
    for index, verdict in enumerate(VERDICTS):
        number = "112" if index % 2 else None
        assert layout(verdict_blocks(verdict, DATASET, number), out) is not None
    for plan in PLANS:
        assert layout(plan_blocks(plan, DATASET), out) is not None


# --- what is handed back ------------------------------------------------------------------


PLAIN_TABLE = Tabled("Title", (Column("A"), Column("B", justify="right")), (("x", "y"),))


@pytest.mark.parametrize(
    "blocks",
    [
        pytest.param([Text("a word " + "x" * 41)], id="word-wider-than-the-width"),
        pytest.param([Text("GB30 环跳")], id="wide-characters"),
        pytest.param([Text("e\u0301 accent as a combining mark")], id="zero-width-character"),
        pytest.param([Text("a\ttab")], id="tab"),
        pytest.param([Text("no\u00a0break")], id="no-break-space"),
        pytest.param([Text("centred", justify="center")], id="own-alignment"),
        pytest.param([Text("no end", end="")], id="own-end"),
        pytest.param([Boxed((Text("x" * 37),), "red")], id="word-wider-than-the-box"),
        pytest.param([Bullet(Text("x" * 39))], id="word-wider-than-the-item"),
        pytest.param(
            [Tabled("T", (Column("A"), Column("B")), (("x" * 30, "y" * 10),))],
            id="table-wider-than-the-width",
        ),
        pytest.param([Tabled("T", (Column("A"),), (("[bold]x[/]",),))], id="markup-in-a-cell"),
        pytest.param([Tabled("[b]T[/b]", (Column("A"),), (("x",),))], id="markup-in-a-title"),
        pytest.param([Tabled("T", (Column("A"),), ((" x",),))], id="cell-with-spaces"),
        pytest.param([Tabled("T", (Column("A"), Column("B")), (("x",),))], id="short-row"),
        pytest.param([Text("fine"), Text("\x1b[2J")], id="control-character-in-a-later-block"),
        pytest.param([], id="nothing"),
    ],
)
def test_what_cannot_be_laid_out_exactly_is_handed_back(blocks: list[Block]) -> None:
    out = console(40)
    assert layout(blocks, out) is None
    assert not plain.show(out, blocks)
    assert out.file.getvalue() == ""  # type: ignore[attr-defined]
    out.print(*(renderable(block, plain=True) for block in blocks))  # Rich still can


def _group(blocks: Sequence[Block]) -> RenderableType:
    return Group(*(renderable(block, plain=True) for block in blocks))


@pytest.mark.parametrize("width", [1, 2, 3, 4, 5, 8, 12])
def test_a_width_too_small_is_handed_back_or_the_same(width: int) -> None:
    blocks: list[Block] = [Boxed((Text("a b"),), ""), Bullet(Text("c d")), PLAIN_TABLE]
    text = by_plain(blocks, width)
    if text is not None:
        assert text == by_rich(_group(blocks), width)
    assert by_plain(blocks[:1], 4) is None  # no room inside a box


def test_a_terminal_or_colour_gets_the_rich_view() -> None:
    blocks: list[Block] = [Text("hello")]
    for out in (
        Console(file=io.StringIO(), width=80, force_terminal=True),
        Console(file=io.StringIO(), width=80, color_system="standard", force_terminal=True),
        Console(file=io.StringIO(), width=80, color_system=None, soft_wrap=True),
    ):
        assert not plain.show(out, blocks)
        assert out.file.getvalue() == ""  # type: ignore[attr-defined]


def test_small_blocks_are_the_same_at_every_width() -> None:
    blocks: list[Block] = [
        PLAIN_TABLE,
        Tabled("", (Column("only"),), ()),
        Boxed((Text(""), Text("line one\nline two\n"), Text("  lead and trail  ")), "red"),
        Bullet(Text("")),
        Bullet(Text("first\n\nafter a blank line and more words than fit on one line")),
        Text(""),
        Text("ends with a newline\n"),
        Text("   "),
        Text("Huántiào Jūliáo Fēngshì, pinyin with tone marks, wrapped like the rest."),
    ]
    for width in range(1, 90):
        text = by_plain(blocks, width)
        if text is not None:
            assert text == by_rich(_group(blocks), width), width
        else:
            assert width < 30, width


# --- through the command line -------------------------------------------------------------


@pytest.mark.parametrize("columns", ["80", "47", "131"])
@pytest.mark.parametrize(
    "command",
    [
        ["check", "--no-input"],
        ["routine", "--plan", "--no-input", "--area", "outer", "--side", "left"],
        ["routine", "--plan", "--no-input", "--area", "buttock", "--area", "leg", "--side",
         "both", "--no-lying", "--no-foot-reach", "--minutes", "20"],
        ["routine", "--plan", "--no-input", "--accept-risk", "--area", "front", "--side",
         "right"],
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    "answers",
    [{}, {"fever": "yes"}, {"injury": "yes"}, {"night_pain": "yes", "persistent": "unsure"},
     {"anticoagulant": "yes", "older_or_fragile": "unsure"}, {"cancer_history": "yes",
     "assessed": "yes"}],
)  # fmt: skip
def test_the_commands_print_the_same_with_and_without_the_plain_layout(
    command: list[str],
    answers: dict[str, str],
    columns: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({**ALL_NO, **answers}), "utf-8")
    args = [*command, "--answers", str(path)]
    shown: list[bool] = []
    real_show = plain.show

    def spied(out: Console, blocks: Sequence[Block]) -> bool:
        shown.append(real_show(out, blocks))
        return shown[-1]

    monkeypatch.setattr(plain, "show", spied)
    fast = CliRunner().invoke(app, args, catch_exceptions=False)
    monkeypatch.setattr(plain, "show", lambda out, blocks: False)
    monkeypatch.setenv("HIPGUIDE_HOME", str(tmp_path / "again"))  # the same history: none
    by_rich_only = CliRunner().invoke(app, args, catch_exceptions=False)
    assert (fast.stdout, fast.exit_code) == (by_rich_only.stdout, by_rich_only.exit_code)
    if columns != "47" or command[0] == "check":  # the verdict on the way, and the plan
        assert shown and all(shown)


PROBE = """
import runpy, sys
sys.argv = ["hipguide", *{args!r}]
code = 0
try:
    runpy.run_module("hipguide", run_name="__main__")
except SystemExit as exit:
    code = exit.code or 0
finally:
    import json
    sys.__stderr__.write("LOADED=" + json.dumps(sorted(set(sys.modules) & {heavy!r})) + "\\n")
    sys.__stderr__.write("CODE=" + str(code) + "\\n")
"""


@pytest.mark.parametrize(
    ("command", "yes"),
    [
        (["check", "--no-input"], []),
        (["routine", "--plan", "--no-input", "--area", "outer", "--side", "left", "--lying",
          "--foot-reach"], []),
        # A "see a doctor soon" verdict is shown before the plan.
        (["routine", "--plan", "--no-input", "--accept-risk", "--area", "outer", "--side",
          "left", "--lying", "--foot-reach"], ["persistent"]),
    ],
    ids=["check", "routine", "routine-after-soon"],
)  # fmt: skip
def test_piped_the_commands_load_no_tables_or_panels(
    command: list[str], yes: list[str], tmp_path: Path, dataset: Dataset
) -> None:
    answers = tmp_path / "answers.json"
    given = {q.id: "yes" if q.id in yes else "no" for q in dataset.triage.questions}
    answers.write_text(json.dumps(given), "utf-8")
    code = PROBE.format(args=[*command, "--answers", str(answers)], heavy=set(HEAVY))
    env = {**os.environ, "HIPGUIDE_HOME": str(tmp_path / "home")}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,  # stdout a pipe
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    lines = proc.stderr.splitlines()
    assert "CODE=0" in lines, proc.stderr  # the command really ran
    assert "+---" in proc.stdout  # the panel or the table, drawn all the same
    loaded = [line for line in lines if line.startswith("LOADED=")]
    assert json.loads(loaded[-1][len("LOADED=") :]) == []


@pytest.mark.parametrize(
    ("answer", "headline"),
    [
        ("worsening=no", "SELF-CARE IS REASONABLE"),
        ("worsening=yes", "SOON: SEE A DOCTOR OR PHYSIOTHERAPIST SOON"),
        ("fever=yes", "URGENT: GET MEDICAL ADVICE TODAY"),
        ("injury=yes", "EMERGENCY: GET EMERGENCY HELP NOW"),
    ],
)
def test_the_verdict_box_names_the_tier_once(
    runner: CliRunner, answers_file: MakeAnswers, answer: str, headline: str
) -> None:
    result = runner.invoke(
        app, ["check", "--no-input", "--answers", str(answers_file()), "--answer", answer]
    )
    first = next(line for line in result.stdout.splitlines() if "|" in line and line.strip("|+- "))
    assert first.strip("| ") == headline


def test_the_summary_gives_the_time_pressing_and_the_whole_session() -> None:
    """The history's minutes are the whole session, finding the points too: the summary
    gives both, so the two never seem to disagree."""
    at = datetime(2024, 5, 1, 10, tzinfo=timezone.utc)
    summary = RunSummary(1, at, at + timedelta(seconds=340), ("GB30",), 6, 4, True, "end", 265.5)
    outcome = RoutineOutcome("ran", GateOutcome(CORE_VERDICTS[0], "go"), summary=summary)
    shown = layout(routine_end_blocks(outcome, DATASET, None), console(80)) or ""
    assert (
        "Time pressing and resting: 4 min 25 s (the whole session, finding the points too: "
        "5 min 40 s)" in " ".join(shown.split())
    )
