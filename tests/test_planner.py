"""The routine planner, run against the shipped dataset.

The exact plans below were worked out by hand from data/areas.yaml,
data/conditions.yaml and data/points.yaml; when the data changes, they must be
worked out again (that is the point of writing them out).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from itertools import groupby, pairwise
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipguide.config import shipped_data_dir
from hipguide.dataset import Dataset, load_dataset
from hipguide.models import LeaveOut, Point, PointRole
from hipguide.planner import (
    REST_SECONDS,
    SWITCH_SECONDS,
    Exclusion,
    Plan,
    PlanRequest,
    Segment,
    Step,
    flare_seconds,
    plan_record,
    plan_routine,
    timeline,
    total_seconds,
)
from hipguide.planner import candidate_codes as planned_candidates
from hipguide.records import replace
from hipguide.ui import json
from hipguide.ui.text import exclusion_text

AREAS = ("outer", "front", "buttock", "leg", "lower-back")
SIDES = ("left", "right", "both")


REGIONS = tuple(region.id for region in load_dataset(shipped_data_dir()).regions)


def cautions_for(dataset: Dataset, *question_ids: str) -> tuple[str, ...]:
    """The cautions a check gives when these caution questions are answered yes."""
    assert all(dataset.question(qid).effect for qid in question_ids)
    return question_ids


def reason(dataset: Dataset, exclusion: Exclusion) -> str:
    """Why a point was left out, in the words the plan shows."""
    return exclusion_text(exclusion, dataset)


def layout(plan: Plan) -> list[tuple[str, str, str]]:
    """The plan as (point, side, role) rows."""
    return [(step.point, step.side, step.role) for step in plan.steps]


# --- the session timeline -----------------------------------------------------------------

GB30_L = Step("GB30", "left", 60, "firm", "local")
GB34_L = Step("GB34", "left", 45, "moderate", "distal")
GB34_R = Step("GB34", "right", 45, "moderate", "distal")
TE14_R = Step("TE14", "right", 30, "moderate", "mirror")


@pytest.mark.parametrize(
    ("steps", "rest", "switch", "expected"),
    [
        pytest.param([], REST_SECONDS, SWITCH_SECONDS, [], id="nothing"),
        pytest.param([GB30_L], REST_SECONDS, SWITCH_SECONDS, [("press", 0, 60)], id="one-press"),
        pytest.param(
            [GB30_L, GB34_L, GB34_R, TE14_R],
            REST_SECONDS,
            SWITCH_SECONDS,
            [
                ("press", 0, 60),
                ("rest", 1, 10),
                ("press", 1, 45),
                ("switch", 2, 5),
                ("press", 2, 45),
                ("rest", 3, 10),
                ("press", 3, 30),
            ],
            id="rest-between-points-switch-between-sides",
        ),
        pytest.param(
            [GB34_L, GB34_R, GB30_L],
            3,
            1,
            [
                ("press", 0, 45),
                ("switch", 1, 1),
                ("press", 1, 45),
                ("rest", 2, 3),
                ("press", 2, 60),
            ],
            id="own-rest-and-switch",
        ),
    ],
)
def test_the_timeline_presses_each_step_with_a_switch_or_a_rest_before_the_next(
    steps: list[Step], rest: int, switch: int, expected: list[tuple[str, int, int]]
) -> None:
    segments = timeline(steps, rest, switch)
    assert segments == [Segment(kind, step, seconds) for kind, step, seconds in expected]
    assert total_seconds(steps, rest, switch) == sum(seconds for *_, seconds in expected)


# --- exact plans, checked by hand --------------------------------------------------------------

# Costs: a press on one side is its seconds; on both sides, twice that plus a 5 s switch;
# 10 s of rest between points. Greedy: best local, best distal, best mirror, then by score.
PREGNANCY = "traditionally avoided in pregnancy"
DEEP = "a deep point, and the blood-thinner caution allows light pressure only"
SKIN_BUTTOCK = "skin problem in the buttock area"
Row = tuple[str, str, str]
PROFILES: list[tuple[str, PlanRequest, tuple[str, ...], list[Row], int, list[tuple[str, str]]]] = [
    (
        # Everything fits: 60 + 125 + 45 + 45 + 60 + 60 + five rests = 445.
        "outer-left-10min",
        PlanRequest(areas=("outer",), side="left", minutes=10),
        (),
        [
            ("GB30", "left", "local"),
            ("GB29", "left", "local"),
            ("GB31", "left", "local"),
            ("GB34", "left", "distal"),
            ("GB34", "right", "distal"),
            ("TE14", "right", "mirror"),
            ("LI15", "right", "mirror"),
        ],
        445,
        [],
    ),
    (
        # 270 s: GB30 60, GB34 +135 = 195, then the other local points before any mirror:
        # GB29 +70 = 265; GB31 would make 335, TE14 310, LI15 310.
        "outer-right-4.5min",
        PlanRequest(areas=("outer",), side="right", minutes=4.5),
        (),
        [
            ("GB30", "right", "local"),
            ("GB29", "right", "local"),
            ("GB34", "left", "distal"),
            ("GB34", "right", "distal"),
        ],
        265,
        [
            ("TE14", "left out to fit the 4.5-minute budget"),
            ("LI15", "left out to fit the 4.5-minute budget"),
            ("GB31", "left out to fit the 4.5-minute budget"),
        ],
    ),
    (
        # Both sides everywhere: SP12 65, ST36 125, LR3 95, SP6 95, LI15 95 + four rests.
        "front-both-10min",
        PlanRequest(areas=("front",), side="both", minutes=10),
        (),
        [
            ("SP12", "left", "local"),
            ("SP12", "right", "local"),
            ("ST36", "left", "distal"),
            ("ST36", "right", "distal"),
            ("LR3", "left", "distal"),
            ("LR3", "right", "distal"),
            ("SP6", "left", "distal"),
            ("SP6", "right", "distal"),
            ("LI15", "left", "mirror"),
            ("LI15", "right", "mirror"),
        ],
        515,
        [],
    ),
    (
        # All named by the condition; BL40 and TE14 tie on position and seeds: code order.
        "buttock-piriformis-right",
        PlanRequest(areas=("buttock",), side="right", condition="piriformis-syndrome"),
        (),
        [
            ("GB30", "right", "local"),
            ("BL54", "right", "local"),
            ("GB34", "left", "distal"),
            ("GB34", "right", "distal"),
            ("BL40", "left", "distal"),
            ("BL40", "right", "distal"),
            ("BL60", "left", "distal"),
            ("BL60", "right", "distal"),
            ("TE14", "left", "mirror"),
        ],
        500,
        [],
    ),
    (
        # Pregnancy drops BL54, BL23 and BL60: GB30 125 + KI3 105 + BL40 75.
        "lower-back-both-pregnant",
        PlanRequest(areas=("lower-back",), side="both"),
        ("pregnant",),
        [
            ("GB30", "left", "local"),
            ("GB30", "right", "local"),
            ("KI3", "left", "distal"),
            ("KI3", "right", "distal"),
            ("BL40", "left", "distal"),
            ("BL40", "right", "distal"),
        ],
        305,
        [
            ("BL54", PREGNANCY),
            ("BL23", PREGNANCY),
            ("BL60", PREGNANCY),
        ],
    ),
    (
        # Blood thinners drop deep GB30; GB31 60 + GB34 135 + KI3 105 = 300, exactly 5 min.
        "leg-left-anticoagulant-5min",
        PlanRequest(areas=("leg",), side="left", minutes=5),
        ("anticoagulant",),
        [
            ("GB31", "left", "local"),
            ("GB34", "left", "distal"),
            ("GB34", "right", "distal"),
            ("KI3", "left", "distal"),
            ("KI3", "right", "distal"),
        ],
        300,
        [
            ("GB30", DEEP),
            ("BL40", "left out to fit the 5-minute budget"),
            ("BL60", "left out to fit the 5-minute budget"),
        ],
    ),
    (
        # 720 s: named points first (GB30 GB34 ST36 GB29 TE14 LI15 KI3), then SP12 fits
        # (655); LR3, SP6 and GB31 would each go over.
        "outer-front-osteoarthritis-12min",
        PlanRequest(areas=("outer", "front"), side="right", condition="osteoarthritis", minutes=12),
        (),
        [
            # locals 60 + 60 + 30 + 60, distals 125 + 125 + 95 + 95, seven rests: 720 s
            ("GB30", "right", "local"),
            ("GB29", "right", "local"),
            ("SP12", "right", "local"),
            ("GB31", "right", "local"),
            ("GB34", "left", "distal"),
            ("GB34", "right", "distal"),
            ("ST36", "left", "distal"),
            ("ST36", "right", "distal"),
            ("KI3", "left", "distal"),
            ("KI3", "right", "distal"),
            ("LR3", "left", "distal"),
            ("LR3", "right", "distal"),
        ],
        720,
        [
            ("TE14", "left out to fit the 12-minute budget"),
            ("LI15", "left out to fit the 12-minute budget"),
            ("SP6", "left out to fit the 12-minute budget"),
        ],
    ),
    (
        # Skin problem on the buttock drops GB30 and BL54; 30 s presses: 65 * 3 + 30 + rests.
        "buttock-left-skin-30s",
        PlanRequest(
            areas=("buttock",),
            side="left",
            minutes=6,
            press_seconds=30,
            skip_regions=("buttock",),
        ),
        ("skin_problem",),
        [
            ("GB34", "left", "distal"),
            ("GB34", "right", "distal"),
            ("BL40", "left", "distal"),
            ("BL40", "right", "distal"),
            ("BL60", "left", "distal"),
            ("BL60", "right", "distal"),
            ("TE14", "right", "mirror"),
        ],
        255,
        [
            ("GB30", SKIN_BUTTOCK),
            ("BL54", SKIN_BUTTOCK),
        ],
    ),
    (
        # Condition only, 240 s: GB30 60 + 88.12 135 = 195; TE14 would make 250.
        "bone-spur-left-4min",
        PlanRequest(areas=(), side="left", condition="bone-spur", minutes=4),
        (),
        [
            ("GB30", "left", "local"),
            ("88.12", "left", "distal"),
            ("88.12", "right", "distal"),
        ],
        195,
        [
            ("GB29", "left out to fit the 4-minute budget"),
            ("KI3", "left out to fit the 4-minute budget"),
            ("GB34", "left out to fit the 4-minute budget"),
            ("TE14", "left out to fit the 4-minute budget"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("request_", "caution_ids", "expected", "seconds", "excluded"),
    [pytest.param(r, c, e, s, x, id=name) for name, r, c, e, s, x in PROFILES],
)
def test_exact_plans(
    dataset: Dataset,
    request_: PlanRequest,
    caution_ids: tuple[str, ...],
    expected: list[tuple[str, str, str]],
    seconds: int,
    excluded: list[tuple[str, str]],
) -> None:
    plan = plan_routine(dataset, request_, cautions=cautions_for(dataset, *caution_ids))
    assert layout(plan) == expected
    assert plan.total_seconds == seconds
    assert [(e.point, reason(dataset, e)) for e in plan.excluded] == excluded


# --- properties over random requests ------------------------------------------------------------


@st.composite
def requests(draw: st.DrawFn, dataset: Dataset) -> tuple[PlanRequest, tuple[str, ...]]:
    """A random valid request and a random set of caution answers."""
    condition = draw(st.none() | st.sampled_from([c.id for c in dataset.conditions]))
    areas = draw(st.lists(st.sampled_from(AREAS), min_size=0 if condition else 1, max_size=3))
    codes = [p.code for p in dataset.points]
    request = PlanRequest(
        areas=tuple(areas),
        side=draw(st.sampled_from(SIDES)),
        condition=condition,
        minutes=draw(st.floats(min_value=0, max_value=30, allow_nan=False)),
        press_seconds=draw(st.none() | st.integers(min_value=1, max_value=180)),
        skip_regions=tuple(draw(st.lists(st.sampled_from(REGIONS), max_size=2))),
        skip_points=tuple(draw(st.lists(st.sampled_from(codes), max_size=3))),
    )
    caution_ids = draw(
        st.lists(
            st.sampled_from(("pregnant", "anticoagulant", "skin_problem")),
            unique=True,
            max_size=3,
        )
    )
    return request, cautions_for(dataset, *caution_ids)


def candidate_codes(dataset: Dataset, request: PlanRequest) -> set[str]:
    """Every point the areas and the condition of ``request`` name."""
    lists = [dataset.area(a).points for a in request.areas]
    if request.condition:
        lists.append(dataset.condition(request.condition).points)
    return {entry.point for entries in lists for entry in entries}


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_plan_properties(dataset: Dataset, data: st.DataObject) -> None:
    request, cautions = data.draw(requests(dataset))
    effects = {dataset.question(c).effect for c in cautions}
    plan = plan_routine(dataset, request, cautions=cautions)
    points = {step.point: dataset.point(step.point) for step in plan.steps}
    painful = {"left", "right"} if request.side == "both" else {request.side}

    # Never over budget, and the total is the timeline's.
    assert plan.budget_seconds == math.floor(request.minutes * 60)
    assert plan.total_seconds == total_seconds(plan.steps) <= plan.budget_seconds

    # Cautions and skips hold.
    if "no_pregnancy_avoid" in effects:
        assert all(p.pregnancy != "avoid" for p in points.values())
    if "light_no_deep" in effects:
        assert all(p.depth != "deep" for p in points.values())
        assert {step.pressure for step in plan.steps} <= {"light"}
    assert not set(points) & set(request.skip_points)
    assert all(p.region not in request.skip_regions for p in points.values())

    # Sides: local on the painful side(s), mirror on the other one (both when both hurt).
    for step in plan.steps:
        if step.role == "local":
            assert step.side in painful
        if step.role == "mirror":
            assert step.side not in painful or request.side == "both"
        if request.press_seconds is not None:
            assert step.seconds == request.press_seconds

    # A point's presses are back to back, left before right; groups run local, distal, mirror.
    runs = [
        (code, [s.side for s in group]) for code, group in groupby(plan.steps, lambda s: s.point)
    ]
    assert len(runs) == len(points)
    assert all(sides in (["left"], ["right"], ["left", "right"]) for _, sides in runs)
    ranks = [("local", "distal", "mirror").index(step.role) for step in plan.steps]
    assert ranks == sorted(ranks)

    # Every candidate is either planned or excluded with a reason, never both.
    excluded = [e.point for e in plan.excluded]
    assert len(excluded) == len(set(excluded))
    assert set(points).isdisjoint(excluded)
    assert set(points) | set(excluded) == candidate_codes(dataset, request)
    assert all(reason(dataset, e).strip() and e.why for e in plan.excluded)

    document = json.plan(plan, dataset, None)
    assert set(document) == {
        "steps",
        "total_seconds",
        "budget_seconds",
        "rest_seconds",
        "excluded",
        "tier",
        "cautions",
        "flare",
    }
    assert all(
        set(s) == {"point", "side", "seconds", "pressure", "role", "instead"}
        for s in document["steps"]
    )
    assert all(set(e) == {"point", "reason"} for e in document["excluded"])
    assert all(set(c) == {"id", "text", "effect", "caps"} for c in document["cautions"])


# --- single rules --------------------------------------------------------------------------------


def test_budget_counts_presses_switches_and_rests(dataset: Dataset) -> None:
    plan = plan_routine(dataset, PlanRequest(areas=("outer",), side="both", minutes=60))
    presses = sum(step.seconds for step in plan.steps)
    switches = sum(1 for a, b in pairwise(plan.steps) if a.point == b.point)
    rests = len(plan.points) - 1
    assert plan.total_seconds == presses + switches * SWITCH_SECONDS + rests * REST_SECONDS


def test_nothing_fits_gives_an_empty_plan_that_says_why(dataset: Dataset) -> None:
    plan = plan_routine(dataset, PlanRequest(areas=("outer",), side="left", minutes=0.25))
    assert plan.steps == ()
    assert plan.total_seconds == 0
    assert plan.budget_seconds == 15
    assert {e.point for e in plan.excluded} == candidate_codes(
        dataset, PlanRequest(("outer",), "left")
    )
    assert {reason(dataset, e) for e in plan.excluded} == {"left out to fit the 0.25-minute budget"}
    assert {(w.kind, w.minutes) for e in plan.excluded for w in e.why} == {("budget", 0.25)}


def _cost(plan_steps: Sequence[Step]) -> int:
    return total_seconds(list(plan_steps))


@pytest.mark.parametrize("minutes", [x / 4 for x in range(2, 61)])
@pytest.mark.parametrize("areas", [("outer",), ("buttock",), ("front", "leg"), ("lower-back",)])
def test_a_short_budget_drops_mirror_points_first_and_local_points_last(
    dataset: Dataset, minutes: float, areas: tuple[str, ...]
) -> None:
    request = PlanRequest(areas=areas, side="left", minutes=minutes, press_seconds=30)
    plan = plan_routine(dataset, request)
    roomy = plan_routine(dataset, replace(request, minutes=60))
    roles = {step.point: step.role for step in roomy.steps}
    chosen = set(plan.points)
    dropped = set(roles) - chosen
    by_role = {role: {p for p, r in roles.items() if r == role} for role in set(roles.values())}
    if chosen & by_role.get("mirror", set()):
        assert not dropped & (by_role.get("local", set()) | by_role.get("distal", set()))
    if dropped & by_role.get("local", set()):
        assert len(chosen & by_role.get("distal", set())) <= 1
        assert not chosen & by_role.get("mirror", set())
    best_local = next(s for s in roomy.steps if s.role == "local")
    distal = [s for s in roomy.steps if s.role == "distal"]
    best_distal = [s for s in distal if s.point == distal[0].point] if distal else []
    if distal and _cost([best_local, *best_distal]) <= plan.budget_seconds:
        assert chosen & by_role["distal"], "one distal point is kept when the budget allows"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        # GB30 30 s, a rest, GB34 on both sides 30 + 5 + 30.
        pytest.param(30 + 10 + 65, ["GB30", "GB34", "GB34"], id="one-local-one-distal"),
        pytest.param(60, ["GB30"], id="one-local"),
        # GB34 alone (65 s) would fit, but the best local point goes in first.
        pytest.param(65, ["GB30"], id="local-before-distal"),
        pytest.param(29, [], id="nothing"),
    ],
)
def test_a_tight_budget_keeps_the_best_local_point_then_one_distal(
    dataset: Dataset, seconds: int, expected: list[str]
) -> None:
    request = PlanRequest(areas=("outer",), side="right", press_seconds=30, minutes=seconds / 60)
    plan = plan_routine(dataset, request)
    assert plan.budget_seconds == seconds
    assert [s.point for s in plan.steps] == expected


@pytest.mark.parametrize(
    ("rest", "seconds"),
    [
        # Six points on both sides, 20 s a press: 6 * (20 + switch + 20) + 5 rests.
        pytest.param(10, 6 * 45 + 5 * 10, id="rest-10-switch-5"),
        pytest.param(2, 6 * 42 + 5 * 2, id="rest-2-switch-2"),
        pytest.param(0, 6 * 40, id="no-rest-no-switch"),
    ],
)
def test_a_budget_of_exactly_the_plan_keeps_every_point(
    dataset: Dataset, rest: int, seconds: int
) -> None:
    request = PlanRequest(
        areas=("outer",), side="both", press_seconds=20, rest_seconds=rest, minutes=seconds / 60
    )
    plan = plan_routine(dataset, request)
    assert plan.budget_seconds == plan.total_seconds == seconds
    assert set(plan.points) == {"GB30", "GB29", "GB31", "GB34", "TE14", "LI15"}
    assert plan.excluded == ()


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        # GB30 (outer's first) and BL54 (the condition's first) tie on being named by the
        # condition and on position; GB30 has two seed sources, BL54 one.
        pytest.param(1, ["GB30"], id="room-for-one"),
        pytest.param(3, ["GB30", "BL40", "BL40"], id="room-for-one-local"),
        pytest.param(4, ["GB30", "BL54", "BL40", "BL40"], id="room-for-both"),
    ],
)
def test_between_points_named_alike_the_one_more_seeds_name_goes_first(
    dataset: Dataset, minutes: float, expected: list[str]
) -> None:
    request = PlanRequest(
        ("outer",), "left", condition="sacroiliac-joint-dysfunction", minutes=minutes
    )
    assert [s.point for s in plan_routine(dataset, request).steps] == expected


# --- pressure caps (DESIGN.md "Routine, version 2": the strictest wins) --------------------

ORDER = ("light", "moderate", "firm")
CAUTION_SETS = [
    set(combo)
    for n in range(4)
    for combo in itertools.combinations(("pregnant", "anticoagulant", "older_or_fragile"), n)
]


def expected_pressure(point: Point, cautions: set[str], tier: str) -> str | None:
    """The DESIGN caps table, written out: None when the point is left out."""
    level = ORDER.index(point.technique.pressure)
    if "pregnant" in cautions:
        if point.pregnancy == "avoid":
            return None
        level = min(level, 0 if point.pregnancy == "caution" else 1)
    if "anticoagulant" in cautions:
        if point.depth == "deep":
            return None
        level = 0
    if "older_or_fragile" in cautions:
        level = min(level, 0 if point.depth == "deep" else 1)
    if tier == "soon":
        level = min(level, 1)
    return ORDER[level]


@pytest.mark.parametrize("tier", ["self-care", "soon"])
@pytest.mark.parametrize("cautions", CAUTION_SETS, ids=lambda c: "+".join(sorted(c)) or "none")
def test_every_cap_and_their_combinations(dataset: Dataset, cautions: set[str], tier: str) -> None:
    areas = tuple(area.id for area in dataset.areas)
    request = PlanRequest(areas=areas, side="both", condition="osteoarthritis", minutes=60)
    ordered = tuple(q for q in ("pregnant", "anticoagulant", "older_or_fragile") if q in cautions)
    plan = plan_routine(dataset, request, tier=tier, cautions=ordered)
    pressed = {step.point: step.pressure for step in plan.steps}
    left_out = {e.point for e in plan.excluded}
    for code in set(pressed) | left_out:
        point = dataset.point(code)
        assert pressed.get(code) == expected_pressure(point, cautions, tier), code
    # the plan names every cap in force, with the points it lowered
    sources = {cap.source for cap in plan.caps}
    assert sources == set(cautions) | ({"soon"} if tier == "soon" else set())
    for cap in plan.caps:
        for code in cap.lowered:
            own = dataset.point(code).technique.pressure
            assert ORDER.index(pressed[code]) <= ORDER.index(cap.max) < ORDER.index(own)
    # and every point pressed below its own pressure is named by a cap that lowered it
    below_own = {
        code
        for code, pressure in pressed.items()
        if ORDER.index(pressure) < ORDER.index(dataset.point(code).technique.pressure)
    }
    assert {code for cap in plan.caps for code in cap.lowered} == below_own
    # each cap names its points once, in the order the plan presses them
    for cap in plan.caps:
        assert list(cap.lowered) == [code for code in plan.points if code in cap.lowered]


# --- position and reach --------------------------------------------------------------------

LYING = {"GB30", "BL54"}  # usually pressed lying on the side or front; both have a way standing
FEET = {"KI3", "LR3", "BL60", "BL67", "SP6"}


@pytest.mark.parametrize(
    ("can_lie", "can_reach_feet"), list(itertools.product([True, False], repeat=2))
)
def test_what_a_person_cannot_do_changes_the_method_or_leaves_the_point_out(
    dataset: Dataset, can_lie: bool, can_reach_feet: bool
) -> None:
    areas = tuple(area.id for area in dataset.areas)
    request = PlanRequest(
        areas=areas,
        side="left",
        condition="osteoarthritis",
        minutes=60,
        can_lie=can_lie,
        can_reach_feet=can_reach_feet,
    )
    plan = plan_routine(dataset, request)
    instead = {step.point for step in plan.steps if step.instead}
    reasons = {e.point: {w.kind for w in e.why} for e in plan.excluded}
    assert instead == (set() if can_lie else LYING & set(plan.points))
    assert set(plan.points) >= LYING  # a standing way exists for both, so they stay
    if can_reach_feet:
        assert not any("feet" in kinds for kinds in reasons.values())
    else:
        candidates = candidate_codes(dataset, request)
        assert {code for code, kinds in reasons.items() if "feet" in kinds} == FEET & candidates
        assert not FEET & set(plan.points)


def test_a_lying_point_without_another_way_is_left_out_and_says_why(dataset: Dataset) -> None:
    points = tuple(
        p._replace(reach=p.reach._replace(instead=None)) if p.code == "GB30" else p
        for p in dataset.points
    )
    changed = _with_points(dataset, points)
    plan = plan_routine(changed, PlanRequest(("outer",), "left", minutes=60, can_lie=False))
    assert "GB30" not in plan.points
    assert [w.kind for e in plan.excluded if e.point == "GB30" for w in e.why] == ["lying"]


def _with_points(dataset: Dataset, points: tuple[Point, ...]) -> Dataset:
    return _changed(dataset, points=points)


def _changed(dataset: Dataset, **parts: Any) -> Dataset:
    """The dataset with some of its parts replaced."""
    names = ("sources", "regions", "channels", "points", "conditions", "areas", "triage", "rules")
    return Dataset(dataset.directory, **{name: getattr(dataset, name) for name in names} | parts)


def test_a_point_named_local_anywhere_stays_local(dataset: Dataset) -> None:
    # TE14 is a mirror point of the outer hip but a local one for upper back pain.
    request = PlanRequest(areas=("outer",), side="left", condition="upper-back-pain", minutes=60)
    roles = {step.point: step.role for step in plan_routine(dataset, request).steps}
    assert roles["TE14"] == "local"


@pytest.mark.parametrize("te14_first", [True, False], ids=["local-first", "mirror-first"])
def test_a_point_named_local_stays_local_whichever_list_names_it_first(
    dataset: Dataset, te14_first: bool
) -> None:
    # An area naming TE14 local, before or after the outer area that names it mirror.
    upper = dataset.area("outer")._replace(id="upper", points=(PointRole("TE14", "local"),))
    changed = _changed(dataset, areas=(*dataset.areas, upper))
    areas = ("upper", "outer") if te14_first else ("outer", "upper")
    plan = plan_routine(changed, PlanRequest(areas, "left", minutes=60))
    assert {s.point: s.role for s in plan.steps}["TE14"] == "local"


def test_a_caution_says_which_of_its_rules_left_a_point_out(dataset: Dataset) -> None:
    # The pregnancy caution, given a second rule: deep points too.
    effects = tuple(
        e._replace(leave_out=(*e.leave_out, LeaveOut("deep, for the test", depth=("deep",))))
        if e.id == "no_pregnancy_avoid"
        else e
        for e in dataset.rules.effects
    )
    changed = _changed(dataset, rules=dataset.rules._replace(effects=effects))
    plan = plan_routine(changed, PlanRequest(("lower-back",), "both"), cautions=("pregnant",))
    rules = {e.point: [(w.effect, w.rule) for w in e.why] for e in plan.excluded}
    assert rules == {
        "BL54": [("no_pregnancy_avoid", 0)],  # avoided and deep: the first rule that matches
        "BL23": [("no_pregnancy_avoid", 0)],
        "BL60": [("no_pregnancy_avoid", 0)],
        "GB30": [("no_pregnancy_avoid", 1)],  # deep, not avoided
    }
    gb30 = next(e for e in plan.excluded if e.point == "GB30")
    assert reason(changed, gb30) == "deep, for the test"


def test_pressure_follows_the_point_unless_light_only(dataset: Dataset) -> None:
    request = PlanRequest(areas=("outer", "buttock"), side="both", minutes=60)
    plain = plan_routine(dataset, request)
    techniques = [dataset.point(s.point).technique for s in plain.steps]
    assert [(s.pressure, s.seconds) for s in plain.steps] == [
        (t.pressure, t.seconds) for t in techniques
    ]
    assert {t.pressure for t in techniques} > {"light"}
    light = plan_routine(dataset, request, cautions=cautions_for(dataset, "anticoagulant"))
    assert {s.pressure for s in light.steps} == {"light"}


def test_skips_say_why(dataset: Dataset) -> None:
    request = PlanRequest(
        areas=("outer",),
        side="left",
        minutes=60,
        skip_points=("GB30",),
        skip_regions=("shoulder",),
    )
    plan = plan_routine(dataset, request, cautions=cautions_for(dataset, "skin_problem"))
    reasons = {e.point: reason(dataset, e) for e in plan.excluded}
    assert reasons["GB30"] == "skipped at your request"
    assert reasons["TE14"] == reasons["LI15"] == "skin problem in the shoulder area"
    assert {"GB30", "TE14", "LI15"}.isdisjoint(plan.points)


def test_tier_and_cautions_pass_through(dataset: Dataset) -> None:
    cautions = cautions_for(dataset, "pregnant", "anticoagulant")
    plan = plan_routine(dataset, PlanRequest(("front",), "left"), tier="soon", cautions=cautions)
    document = json.plan(plan, dataset, None)
    assert document["tier"] == "soon"
    assert [c["effect"] for c in document["cautions"]] == [
        "no_pregnancy_avoid",
        "light_no_deep",
        "tier_cap",  # the "soon" verdict's cap: nothing firm while waiting for the appointment
    ]
    assert document["cautions"][-1]["id"] == "soon"
    assert document["cautions"][-1]["caps"][0]["max"] == "moderate"


def test_a_one_sided_point_gets_one_press_on_the_painful_side(dataset: Dataset) -> None:
    one_sided = tuple(
        p._replace(bilateral=False) if p.code in {"GB34", "GB30"} else p for p in dataset.points
    )
    changed = _with_points(dataset, one_sided)
    plan = plan_routine(changed, PlanRequest(("outer",), "right", minutes=60))
    assert [s.side for s in plan.steps if s.point in {"GB30", "GB34"}] == ["right", "right"]


@pytest.mark.parametrize(
    ("side", "sides"),
    [
        # GB30 local, GB34 distal, TE14 mirror, each with one press only.
        ("left", {"GB30": ["left"], "GB34": ["left"], "TE14": ["right"]}),
        ("right", {"GB30": ["right"], "GB34": ["right"], "TE14": ["left"]}),
        ("both", {"GB30": ["left"], "GB34": ["left"], "TE14": ["left"]}),
    ],
)
def test_a_one_sided_point_is_pressed_once_on_its_roles_side(
    dataset: Dataset, side: Literal["left", "right", "both"], sides: dict[str, list[str]]
) -> None:
    one_sided = tuple(p._replace(bilateral=False) if p.code in sides else p for p in dataset.points)
    plan = plan_routine(_with_points(dataset, one_sided), PlanRequest(("outer",), side, minutes=60))
    pressed = {code: [s.side for s in plan.steps if s.point == code] for code in sides}
    assert pressed == sides


def test_shorter_rests_shorten_the_plan_and_cap_the_switch(dataset: Dataset) -> None:
    request = PlanRequest(areas=("outer",), side="both", minutes=30, press_seconds=20)
    normal = plan_routine(dataset, request)
    brisk = plan_routine(dataset, replace(request, rest_seconds=2))
    assert [s.point for s in brisk.steps] == [s.point for s in normal.steps]
    assert (brisk.rest_seconds, brisk.switch_seconds) == (2, 2)
    assert brisk.total_seconds == total_seconds(brisk.steps, 2, 2) < normal.total_seconds


# --- the lighter routine of a flare-up (routine.yaml "flare": light, 50 %, at least 15 s) ---


@pytest.mark.parametrize(
    ("seconds", "shorter"),
    [
        pytest.param(60, 30, id="half"),
        pytest.param(101, 51, id="50.5-rounded-up"),
        pytest.param(45, 23, id="half-rounded-up"),
        pytest.param(31, 16, id="15.5-rounded-up"),
        pytest.param(30, 15, id="half-is-the-least"),
        pytest.param(29, 15, id="half-under-the-least"),
        pytest.param(20, 15, id="the-least"),
        pytest.param(15, 15, id="already-the-least"),
        pytest.param(10, 10, id="never-longer-than-usual"),
    ],
)
def test_a_flare_up_press_is_half_as_long_but_at_least_15_seconds(
    dataset: Dataset, seconds: int, shorter: int
) -> None:
    assert flare_seconds(dataset, seconds) == shorter


@pytest.mark.parametrize(
    ("request_", "caution_ids"),
    [
        pytest.param(PlanRequest(("outer",), "left"), (), id="outer-left"),
        pytest.param(PlanRequest(("front",), "both", minutes=3), (), id="front-both-3min"),
        pytest.param(
            PlanRequest(("outer", "buttock"), "right", press_seconds=25),
            ("anticoagulant",),
            id="anticoagulant-25s",
        ),
    ],
)
def test_a_flare_up_presses_the_usual_points_lightly_and_shorter(
    dataset: Dataset, request_: PlanRequest, caution_ids: tuple[str, ...]
) -> None:
    cautions = cautions_for(dataset, *caution_ids)
    usual = plan_routine(dataset, request_, cautions=cautions)
    flare = plan_routine(dataset, replace(request_, flare=True), cautions=cautions)

    assert layout(flare) == layout(usual)
    assert [s.seconds for s in flare.steps] == [
        flare_seconds(dataset, s.seconds) for s in usual.steps
    ]
    assert {s.pressure for s in flare.steps} == {"light"}
    assert (flare.flare, usual.flare) == (True, False)
    assert flare.total_seconds == total_seconds(flare.steps) < usual.total_seconds
    # the flare cap comes after the usual ones and names the points it made lighter
    *others, cap = flare.caps
    assert others == list(usual.caps)
    assert (cap.source, cap.max, cap.where) == ("flare", "light", None)
    assert set(cap.lowered) == {
        code for code in flare.points if dataset.point(code).technique.pressure != "light"
    }


# --- what the flows ask of the planner ------------------------------------------------------


@pytest.mark.parametrize(
    ("areas", "condition"),
    [
        (("outer",), None),
        (("outer", "front", "outer"), None),
        ((), "bone-spur"),
        (("buttock",), "piriformis-syndrome"),
    ],
)
def test_the_candidates_are_every_point_the_areas_and_the_condition_name(
    dataset: Dataset, areas: tuple[str, ...], condition: str | None
) -> None:
    codes = planned_candidates(dataset, areas, condition)
    request = PlanRequest(areas, "left", condition=condition, minutes=60)
    assert len(codes) == len(set(codes))
    assert set(codes) == candidate_codes(dataset, request)
    # before any caution or budget: the points a plan presses or leaves out
    plan = plan_routine(dataset, replace(request, minutes=1), cautions=("pregnant",))
    assert set(codes) == set(plan.points) | {e.point for e in plan.excluded}


def test_the_plan_record_is_plain_data(dataset: Dataset) -> None:
    plan = plan_routine(
        dataset, PlanRequest(("outer",), "left", minutes=3), cautions=("anticoagulant",)
    )
    record = plan_record(plan)
    assert record["steps"][0] == {  # type: ignore[index]
        "point": "GB29",
        "side": "left",
        "seconds": 60,
        "pressure": "light",
        "role": "local",
        "instead": False,
    }
    assert (record["total_seconds"], record["budget_seconds"]) == (130, 180)
    assert record["caps"] == (
        {"source": "anticoagulant", "max": "light", "where": None, "lowered": ("GB29", "GB31")},
    )
