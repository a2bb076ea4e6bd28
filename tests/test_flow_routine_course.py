"""The routine's part in the course, with fakes: the pain before asked before the plan, a
flare-up offering the lighter routine (and recorded), and the weekly check-in offered
after a run a week or more after the last one."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from fakes import FakeClock, FakePrompter, FakeScreen
from hipguide.dataset import Dataset
from hipguide.errors import Interrupted
from hipguide.flows.check import CheckRequest
from hipguide.flows.ports import FlareFound, LighterChosen, NoPrompter, open_history
from hipguide.flows.routine import RoutineOutcome, RoutineRequest, offer_checkin, run_routine
from hipguide.planner import PlanRequest, plan_routine
from hipguide.records import replace
from hipguide.store import Store

T0 = datetime(2024, 3, 4, 18, 0, tzinfo=timezone.utc)


@pytest.fixture
def request_(all_no: dict[str, str]) -> RoutineRequest:
    """A routine that runs at once: every answer no, short presses, no rests."""
    return RoutineRequest(
        areas=("outer",),
        side="left",
        check=CheckRequest(tuple(f"{k}={v}" for k, v in all_no.items())),
        lying=True,
        foot_reach=True,
        minutes=5,
        rest_seconds=0,
        find_seconds=0,
        pain_after=3,
    )


def past_sessions(home: Path, pains: list[int]) -> None:
    with Store.open(home) as store:
        for day, pain in enumerate(pains):
            store.start_session(T0 - timedelta(days=len(pains) - day), {}, pain)


def run(
    dataset: Dataset, home: Path, request: RoutineRequest, prompter: Any, screen: Any = None
) -> RoutineOutcome:
    store = open_history(home)
    try:
        return run_routine(
            request,
            dataset=dataset,
            prompter=prompter,
            screen=screen or FakeScreen(),
            clock=FakeClock(start=10.0, wall=T0),
            store=store,
        )
    finally:
        store.close()


def test_pain_before_is_asked_before_the_plan_is_shown(
    dataset: Dataset, home: Path, request_: RoutineRequest
) -> None:
    screen = FakeScreen()
    order: list[str] = []

    class Recording(FakePrompter):
        def pain(self, moment: str) -> int | None:
            order.append(f"pain {moment} after {screen.kinds()}")
            return super().pain(moment)

    run(dataset, home, replace(request_, pain_after=None), Recording(pain=[5, 3]), screen)
    assert order[0] == "pain before after []"  # nothing shown yet: no plan before it
    assert "PlanReady" in order[1]


def test_a_flare_offers_the_lighter_routine_and_is_recorded(
    dataset: Dataset, home: Path, request_: RoutineRequest
) -> None:
    past_sessions(home, [4, 3, 5, 4, 4])
    prompter = FakePrompter(pain=[6], take_lighter=[True])
    screen = FakeScreen()

    outcome = run(dataset, home, request_, prompter, screen)

    assert prompter.questions("take_lighter") == [(6, 4.0)]
    assert outcome.flare and outcome.plan is not None and outcome.plan.flare
    assert {step.pressure for step in outcome.plan.steps} == {"light"}
    [found] = [n for n in screen.notices if isinstance(n, FlareFound)]
    assert (found.check.pain, found.check.usual) == (6, 4.0)
    assert [n for n in screen.notices if isinstance(n, LighterChosen)] == [LighterChosen(True)]
    assert screen.kinds().index("FlareFound") < screen.kinds().index("PlanReady")
    with Store.open(home) as store:
        latest = store.sessions()[-1]
    assert (latest.flare, latest.pain_before) == (True, 6)
    assert latest.plan["flare"] is True
    assert outcome.summary is not None and outcome.summary.flare


def test_the_usual_routine_may_be_kept_in_a_flare(
    dataset: Dataset, home: Path, request_: RoutineRequest
) -> None:
    past_sessions(home, [4, 4, 4])
    outcome = run(dataset, home, request_, FakePrompter(pain=[7], take_lighter=[False]))
    usual = run(dataset, home, replace(request_, pain_before=4), FakePrompter())

    assert outcome.flare and outcome.plan is not None and not outcome.plan.flare
    assert usual.plan is not None and outcome.plan.steps == usual.plan.steps
    with Store.open(home) as store:
        flags = [s.flare for s in store.sessions()]
    assert flags[-2:] == [True, False]


def test_with_no_one_to_ask_the_lighter_routine_is_taken_and_said(
    dataset: Dataset, home: Path, request_: RoutineRequest
) -> None:
    past_sessions(home, [2, 2, 2, 2, 2])
    screen = FakeScreen()
    outcome = run(
        dataset, home, replace(request_, pain_before=4), NoPrompter(no_input=True), screen
    )
    assert outcome.plan is not None and outcome.plan.flare
    assert LighterChosen(True, by_default=True) in screen.notices


@pytest.mark.parametrize("choice", [True, False])
def test_the_option_decides_without_a_question(
    dataset: Dataset, home: Path, request_: RoutineRequest, choice: bool
) -> None:
    past_sessions(home, [2, 2, 2])
    request = replace(request_, pain_before=9, flare_plan=choice)
    outcome = run(dataset, home, request, NoPrompter(no_input=True))
    assert outcome.flare and outcome.plan is not None and outcome.plan.flare is choice


@pytest.mark.parametrize(
    ("pains", "now"),
    [([4, 4], 9), ([4, 4, 4, 4, 4], 5), ([], 10)],
    ids=["two-scores", "one-above", "no-history"],
)
def test_no_flare_no_question(
    dataset: Dataset, home: Path, request_: RoutineRequest, pains: list[int], now: int
) -> None:
    past_sessions(home, pains)
    screen = FakeScreen()
    outcome = run(dataset, home, replace(request_, pain_before=now), FakePrompter(), screen)
    assert not outcome.flare and outcome.plan is not None and not outcome.plan.flare
    assert "FlareFound" not in screen.kinds()


def test_a_plan_only_run_asks_no_pain_but_uses_the_one_given(
    dataset: Dataset, home: Path, request_: RoutineRequest
) -> None:
    past_sessions(home, [3, 3, 3])
    planned = run(dataset, home, replace(request_, plan_only=True), FakePrompter())
    flared = run(
        dataset,
        home,
        replace(request_, plan_only=True, pain_before=8),
        NoPrompter(no_input=True),
    )
    assert planned.plan is not None and not planned.plan.flare
    assert flared.status == "planned" and flared.plan is not None and flared.plan.flare


def test_the_lighter_plan_has_the_same_points_each_lighter_and_shorter(
    dataset: Dataset,
) -> None:
    request = PlanRequest(areas=("outer", "buttock"), side="both", minutes=10)
    usual = plan_routine(dataset, request)
    lighter = plan_routine(dataset, replace(request, flare=True))
    rule = dataset.rules.flare

    assert [(s.point, s.side, s.role) for s in lighter.steps] == [
        (s.point, s.side, s.role) for s in usual.steps
    ]
    for before, after in zip(usual.steps, lighter.steps, strict=True):
        assert after.pressure == "light"
        half = math.ceil(before.seconds * rule.seconds_percent / 100)
        assert after.seconds == min(before.seconds, max(rule.min_seconds, half))
    assert lighter.total_seconds < usual.total_seconds
    assert [cap.source for cap in lighter.caps][-1] == "flare"


@pytest.mark.parametrize(("seconds", "lighter"), [(60, 30), (45, 23), (20, 15), (10, 10)])
def test_a_lighter_press_is_half_as_long_but_not_under_15_seconds(
    dataset: Dataset, seconds: int, lighter: int
) -> None:
    request = PlanRequest(areas=("outer",), side="left", press_seconds=seconds, flare=True)
    plan = plan_routine(dataset, request)
    assert {step.seconds for step in plan.steps} == {lighter}


def test_the_flare_cap_is_named_in_the_plan_json(dataset: Dataset) -> None:
    from hipguide.ui import json

    plan = plan_routine(dataset, PlanRequest(areas=("outer",), side="left", flare=True))
    document = json.plan(plan, dataset, None)
    assert document["flare"] is True
    [cap] = [c for c in document["cautions"] if c["id"] == "flare"]
    assert cap["effect"] == "flare"
    assert "half as long" in cap["text"]


# --- the check-in after the run -------------------------------------------------------------


def with_checkin(home: Path, days_ago: float) -> None:
    with Store.open(home) as store:
        store.record_checkin(T0 - timedelta(days=days_ago), (6, 6, 6), 4)


def follow_up(dataset: Dataset, home: Path, outcome: RoutineOutcome, prompter: Any) -> Any:
    store = open_history(home)
    try:
        return offer_checkin(
            outcome,
            dataset=dataset,
            prompter=prompter,
            screen=FakeScreen(),
            clock=FakeClock(start=10.0, wall=T0 + timedelta(minutes=10)),
            store=store,
        )
    finally:
        store.close()


def test_a_week_after_the_last_checkin_one_is_offered_and_kept(
    dataset: Dataset, home: Path, request_: RoutineRequest
) -> None:
    with_checkin(home, 7)
    outcome = run(dataset, home, replace(request_, pain_before=5), FakePrompter())
    prompter = FakePrompter(offer_checkin=[True], checkin_peg=[(4, 4, 5)], checkin_pgic=[3])

    done = follow_up(dataset, home, outcome, prompter)

    assert done is not None and (done.peg, done.pgic) == ((4, 4, 5), 3)
    assert prompter.questions("offer_checkin") == [T0 - timedelta(days=7)]
    with Store.open(home) as store:
        assert [c.peg for c in store.checkins()] == [(6, 6, 6), (4, 4, 5)]


def test_a_declined_offer_records_nothing(
    dataset: Dataset, home: Path, request_: RoutineRequest
) -> None:
    with_checkin(home, 9)
    outcome = run(dataset, home, replace(request_, pain_before=5), FakePrompter())
    assert follow_up(dataset, home, outcome, FakePrompter(offer_checkin=[False])) is None
    with Store.open(home) as store:
        assert len(store.checkins()) == 1


@pytest.mark.parametrize("days_ago", [6.9, None])
def test_no_offer_within_a_week_or_before_any_checkin(
    dataset: Dataset, home: Path, request_: RoutineRequest, days_ago: float | None
) -> None:
    if days_ago is not None:
        with_checkin(home, days_ago)
    outcome = run(dataset, home, replace(request_, pain_before=5), FakePrompter())
    assert follow_up(dataset, home, outcome, FakePrompter()) is None  # any question fails


def test_no_offer_under_no_input_or_after_a_plan(
    dataset: Dataset, home: Path, request_: RoutineRequest
) -> None:
    with_checkin(home, 30)
    ran = run(dataset, home, replace(request_, pain_before=5), FakePrompter())
    planned = run(dataset, home, replace(request_, plan_only=True), FakePrompter())
    assert follow_up(dataset, home, ran, NoPrompter(no_input=True)) is None
    assert follow_up(dataset, home, planned, FakePrompter()) is None


def test_ctrl_c_in_the_checkin_stops_it_unrecorded(
    dataset: Dataset, home: Path, request_: RoutineRequest
) -> None:
    with_checkin(home, 8)
    outcome = run(dataset, home, replace(request_, pain_before=5), FakePrompter())
    prompter = FakePrompter(offer_checkin=[True], checkin_peg=[Interrupted("Stopped.")])
    with pytest.raises(Interrupted):
        follow_up(dataset, home, outcome, prompter)
    with Store.open(home) as store:
        assert len(store.checkins()) == 1 and len(store.sessions()) == 1
