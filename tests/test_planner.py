"""The routine planner, run against the shipped dataset.

The exact plans below were worked out by hand from data/areas.yaml,
data/conditions.yaml and data/points.yaml; when the data changes, they must be
worked out again (that is the point of writing them out).
"""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import groupby, pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipguide.config import shipped_data_dir
from hipguide.dataset import Dataset, load_dataset
from hipguide.planner import (
    REST_SECONDS,
    SWITCH_SECONDS,
    Exclusion,
    Plan,
    PlanRequest,
    plan_routine,
    total_seconds,
)
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
        # 270 s: GB30 60, GB34 +135 = 195, TE14 +55 = 250; LI15 would make 305.
        "outer-right-4.5min",
        PlanRequest(areas=("outer",), side="right", minutes=4.5),
        (),
        [
            ("GB30", "right", "local"),
            ("GB34", "left", "distal"),
            ("GB34", "right", "distal"),
            ("TE14", "left", "mirror"),
        ],
        250,
        [
            ("LI15", "left out to fit the 4.5-minute budget"),
            ("GB29", "left out to fit the 4.5-minute budget"),
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
            ("GB30", "right", "local"),
            ("GB29", "right", "local"),
            ("SP12", "right", "local"),
            ("GB34", "left", "distal"),
            ("GB34", "right", "distal"),
            ("ST36", "left", "distal"),
            ("ST36", "right", "distal"),
            ("KI3", "left", "distal"),
            ("KI3", "right", "distal"),
            ("TE14", "left", "mirror"),
            ("LI15", "left", "mirror"),
        ],
        655,
        [
            ("LR3", "left out to fit the 12-minute budget"),
            ("SP6", "left out to fit the 12-minute budget"),
            ("GB31", "left out to fit the 12-minute budget"),
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
    }
    assert all(
        set(s) == {"point", "side", "seconds", "pressure", "role"} for s in document["steps"]
    )
    assert all(set(e) == {"point", "reason"} for e in document["excluded"])
    assert all(set(c) == {"id", "text", "effect"} for c in document["cautions"])


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


def test_a_tight_budget_keeps_one_point_of_each_role_first(dataset: Dataset) -> None:
    request = PlanRequest(areas=("outer",), side="right", minutes=10, press_seconds=30)
    roomy = plan_routine(dataset, request)
    # Local 1 side, distal 2 sides + switch, mirror 1 side, and two rests.
    three_roles = 30 + (30 + SWITCH_SECONDS + 30) + 30 + 2 * REST_SECONDS
    tight = plan_routine(dataset, replace(request, minutes=three_roles / 60))
    assert tight.total_seconds == three_roles
    assert [s.role for s in tight.steps] == ["local", "distal", "distal", "mirror"]
    assert len(roomy.points) > len(tight.points)


def test_a_point_named_local_anywhere_stays_local(dataset: Dataset) -> None:
    # TE14 is a mirror point of the outer hip but a local one for upper back pain.
    request = PlanRequest(areas=("outer",), side="left", condition="upper-back-pain", minutes=60)
    roles = {step.point: step.role for step in plan_routine(dataset, request).steps}
    assert roles["TE14"] == "local"


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
    assert [c["effect"] for c in document["cautions"]] == ["no_pregnancy_avoid", "light_no_deep"]


def test_a_one_sided_point_gets_one_press_on_the_painful_side(dataset: Dataset) -> None:
    one_sided = tuple(
        p._replace(bilateral=False) if p.code in {"GB34", "GB30"} else p for p in dataset.points
    )
    changed = Dataset(
        dataset.directory,
        sources=dataset.sources,
        regions=dataset.regions,
        channels=dataset.channels,
        points=one_sided,
        conditions=dataset.conditions,
        areas=dataset.areas,
        triage=dataset.triage,
        rules=dataset.rules,
    )
    plan = plan_routine(changed, PlanRequest(("outer",), "right", minutes=60))
    assert [s.side for s in plan.steps if s.point in {"GB30", "GB34"}] == ["right", "right"]


def test_shorter_rests_shorten_the_plan_and_cap_the_switch(dataset: Dataset) -> None:
    request = PlanRequest(areas=("outer",), side="both", minutes=30, press_seconds=20)
    normal = plan_routine(dataset, request)
    brisk = plan_routine(dataset, replace(request, rest_seconds=2))
    assert [s.point for s in brisk.steps] == [s.point for s in normal.steps]
    assert (brisk.rest_seconds, brisk.switch_seconds) == (2, 2)
    assert brisk.total_seconds == total_seconds(brisk.steps, 2, 2) < normal.total_seconds
