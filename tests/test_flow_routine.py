"""The routine use case, driven with fakes: options, the gate, the run and what is kept."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from fakes import FakeClock, FakePrompter, FakeScreen
from hipguide.dataset import Dataset
from hipguide.errors import StoreError, UsageError
from hipguide.flows.check import CheckRequest
from hipguide.flows.ports import NoPrompter, open_history
from hipguide.flows.routine import FIND_SECONDS, RoutineOutcome, RoutineRequest, run_routine
from hipguide.planner import total_seconds
from hipguide.records import replace
from hipguide.store import Store


def answered(all_no: dict[str, str], **changes: str) -> CheckRequest:
    return CheckRequest(tuple(f"{k}={v}" for k, v in {**all_no, **changes}.items()))


def run(
    dataset: Dataset,
    home: Path,
    request: RoutineRequest,
    prompter: Any = None,
    *,
    clock: FakeClock | None = None,
    screen: FakeScreen | None = None,
    store: Any = None,
) -> RoutineOutcome:
    store = store or open_history(home)
    try:
        return run_routine(
            request,
            dataset=dataset,
            prompter=prompter or FakePrompter(),
            screen=screen or FakeScreen(),
            clock=clock or FakeClock(start=100.0),
            store=store,
        )
    finally:
        store.close()


@pytest.fixture
def base(all_no: dict[str, str]) -> RoutineRequest:
    """A plannable request with every question answered no."""
    return RoutineRequest(
        areas=("outer",),
        side="left",
        check=answered(all_no),
        plan_only=True,
        lying=True,
        foot_reach=True,
    )


# --- options are checked before anything is asked ---------------------------------------


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"areas": ("hip",)}, "Unknown area 'hip' for --area"),
        ({"areas": ("outr",)}, "Did you mean outer"),
        ({"condition": "gout"}, "Unknown condition 'gout'"),
        ({"skip_areas": ("elbow",)}, "Unknown region 'elbow'"),
        ({"skip_points": ("XX99",)}, "Unknown point 'XX99'"),
        ({"side": "middle"}, "Unknown side 'middle'"),
        ({"minutes": -1}, "not -1"),
        ({"minutes": 0.5}, "from 1 to 60"),
        ({"press_seconds": 0}, "not 0"),
    ],
)
def test_bad_options_are_usage_errors_before_any_question(
    dataset: Dataset, home: Path, base: RoutineRequest, changes: dict[str, Any], named: str
) -> None:
    with pytest.raises(UsageError) as raised:
        run(dataset, home, replace(base, **changes), FakePrompter())
    assert named in str(raised.value)
    with Store.open(home) as store:
        assert store.checks() == []  # no check ran


def test_a_skipped_point_may_be_named_in_any_spelling(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    outcome = run(dataset, home, replace(base, skip_points=("gb-30",), minutes=30))
    assert outcome.plan is not None
    assert "GB30" not in outcome.plan.points
    assert "GB30" in [e.point for e in outcome.plan.excluded]


def test_where_and_which_side_are_asked_when_not_given(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    prompter = FakePrompter(choose_areas=[["buttock"]], choose_side=["right"])
    outcome = run(dataset, home, replace(base, areas=(), side=None), prompter)
    assert [name for name, _ in prompter.asked] == ["choose_areas", "choose_side"]
    assert outcome.plan is not None
    assert {s.side for s in outcome.plan.steps if s.role == "local"} == {"right"}


@pytest.mark.parametrize("cause", ["sciatica", "bursitis"])
def test_why_it_hurts_is_asked_with_where_and_shapes_the_plan(
    dataset: Dataset, home: Path, base: RoutineRequest, cause: str
) -> None:
    from hipguide.planner import PlanRequest, plan_routine

    prompter = FakePrompter(
        choose_areas=[["buttock"]], choose_side=["right"], choose_condition=[cause]
    )
    outcome = run(dataset, home, replace(base, areas=(), side=None), prompter)
    assert [name for name, _ in prompter.asked] == [
        "choose_areas",
        "choose_side",
        "choose_condition",
    ]
    asked = dict(prompter.asked)["choose_condition"]
    assert asked == tuple(c.id for c in dataset.conditions)
    assert outcome.plan is not None
    request = PlanRequest(
        areas=("buttock",),
        side="right",
        condition=cause,
        minutes=base.minutes,
        can_lie=True,
        can_reach_feet=True,
    )
    with_cause = plan_routine(dataset, request, tier="self-care", cautions=())
    without = plan_routine(dataset, replace(request, condition=None), tier="self-care", cautions=())
    assert outcome.plan.points == with_cause.points
    assert with_cause.points != without.points  # the cause changed which points are pressed


def test_not_knowing_why_plans_from_the_area_alone(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    asked = FakePrompter(choose_areas=[["buttock"]], choose_side=["right"], choose_condition=[None])
    known = FakePrompter(choose_areas=[["buttock"]], choose_side=["right"])
    first = run(dataset, home, replace(base, areas=(), side=None), asked)
    second = run(dataset, home, replace(base, areas=(), side=None), known)
    assert first.plan is not None and second.plan is not None
    assert first.plan.points == second.plan.points


@pytest.mark.parametrize(
    "given", [{"condition": "sciatica", "areas": (), "side": None}, {"areas": ("buttock",)}]
)
def test_why_is_not_asked_when_given_or_when_where_was_given(
    dataset: Dataset, home: Path, base: RoutineRequest, given: dict[str, object]
) -> None:
    prompter = FakePrompter(
        choose_areas=[["buttock"]], choose_side=["right"], choose_condition=["bursitis"]
    )
    run(dataset, home, replace(base, **given), prompter)  # type: ignore[arg-type]
    assert "choose_condition" not in [name for name, _ in prompter.asked]


@pytest.mark.parametrize(
    ("no_input", "named"),
    [(True, "--area and --side are required with --no-input"), (False, "No terminal")],
)
def test_no_input_needs_area_and_side_before_any_check(
    dataset: Dataset, home: Path, base: RoutineRequest, no_input: bool, named: str
) -> None:
    with pytest.raises(UsageError, match=named):
        run(dataset, home, replace(base, side=None), NoPrompter(no_input=no_input))
    with Store.open(home) as store:
        assert store.checks() == []  # no one could answer where: no check was made


# --- the gate comes before any question about the routine --------------------------------

#: The questions that plan the routine.
PLANNING = ["choose_areas", "choose_side", "choose_condition", "can_lie", "can_reach_feet"]


def _planning(**replies: list[Any]) -> dict[str, list[Any]]:
    """Replies to every planning question (more than enough)."""
    return {
        "choose_areas": [["buttock"]],
        "choose_side": ["right"],
        "choose_condition": [None],
        "can_lie": [True],
        "can_reach_feet": [True],
        **replies,
    }


def _unplanned(base: RoutineRequest, check: CheckRequest) -> RoutineRequest:
    """``base`` with nothing given about the routine: every planning question is asked."""
    return replace(base, areas=(), side=None, lying=None, foot_reach=None, check=check)


def test_an_emergency_in_the_check_refuses_before_any_planning_question(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    # "does any of these apply?" yes, then the first emergency sign (injury) yes
    prompter = FakePrompter(**_planning(answer_group=["yes"], answer_question=["yes"]))
    outcome = run(dataset, home, _unplanned(base, CheckRequest()), prompter)
    assert (outcome.status, outcome.exit_code) == ("refused", 5)
    assert [name for name, _ in prompter.asked] == ["answer_group", "answer_question"]
    assert prompter.questions("answer_question") == ["injury"]  # and nothing about the routine
    with Store.open(home) as store:
        assert [c.tier for c in store.checks()] == ["emergency"]


@pytest.mark.parametrize(
    ("changes", "replies", "status"),
    [
        ({"injury": "yes"}, {}, "refused"),
        ({"hot_swollen": "yes"}, {}, "refused"),
        ({"night_pain": "yes"}, {"accept_soon": [False]}, "declined"),
    ],
)
def test_a_given_check_that_stops_the_routine_asks_nothing_about_it(
    dataset: Dataset,
    home: Path,
    base: RoutineRequest,
    all_no: dict[str, str],
    changes: dict[str, str],
    replies: dict[str, list[Any]],
    status: str,
) -> None:
    prompter = FakePrompter(**_planning(**replies))
    outcome = run(dataset, home, _unplanned(base, answered(all_no, **changes)), prompter)
    assert outcome.status == status
    assert [name for name, _ in prompter.asked] == list(replies)


def test_a_reused_check_is_confirmed_before_where_and_which_side(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    clock = FakeClock()
    _record_check(home, dataset, clock.now() - timedelta(hours=2))
    prompter = FakePrompter(**_planning(check_changed=[False]))
    outcome = run(dataset, home, _unplanned(base, CheckRequest()), prompter, clock=clock)
    assert outcome.status == "planned" and outcome.gate.reused is not None
    assert [name for name, _ in prompter.asked] == ["check_changed", *PLANNING]


def test_a_reused_emergency_check_refuses_before_where(
    dataset: Dataset, home: Path, base: RoutineRequest, all_no: dict[str, str]
) -> None:
    clock = FakeClock()
    with Store.open(home) as store:
        store.record_check(
            clock.now() - timedelta(hours=2), {**all_no, "injury": "yes"}, "emergency"
        )
    prompter = FakePrompter(**_planning(check_changed=[False]))
    outcome = run(dataset, home, _unplanned(base, CheckRequest()), prompter, clock=clock)
    assert (outcome.status, outcome.exit_code) == ("refused", 5)
    assert [name for name, _ in prompter.asked] == ["check_changed"]


def test_a_new_check_is_asked_in_full_before_where_and_which_side(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    # every tier's group answered no; pregnant and the three other cautions one by one
    replies = _planning(answer_group=["no"] * 3, answer_question=["no"] * 4)
    prompter = FakePrompter(**replies)
    outcome = run(dataset, home, _unplanned(base, CheckRequest()), prompter)
    assert outcome.status == "planned"
    asked = [name for name, _ in prompter.asked]
    first_planning = asked.index("choose_areas")
    assert set(asked[:first_planning]) == {"answer_group", "answer_question"}
    assert asked[first_planning:] == PLANNING


# --- the gate -----------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "tier"), [("injury", "emergency"), ("fever", "urgent")])
def test_emergency_and_urgent_refuse_with_the_verdict(
    dataset: Dataset,
    home: Path,
    base: RoutineRequest,
    all_no: dict[str, str],
    answer: str,
    tier: str,
) -> None:
    request = replace(base, plan_only=False, check=answered(all_no, **{answer: "yes"}))
    outcome = run(dataset, home, request, FakePrompter())
    assert (outcome.status, outcome.gate.verdict.tier) == ("refused", tier)
    assert outcome.exit_code == dataset.tier(tier).exit_code
    assert outcome.plan is None
    with Store.open(home) as store:
        assert store.sessions() == []
        assert [c.tier for c in store.checks()] == [tier]


@pytest.mark.parametrize(
    ("accept", "status", "code"), [(False, "declined", 3), (True, "planned", 0)]
)
def test_soon_needs_the_person_to_agree(
    dataset: Dataset,
    home: Path,
    base: RoutineRequest,
    all_no: dict[str, str],
    accept: bool,
    status: str,
    code: int,
) -> None:
    screen = FakeScreen()
    request = replace(base, check=answered(all_no, night_pain="yes"))
    outcome = run(dataset, home, request, FakePrompter(accept_soon=[accept]), screen=screen)
    assert (outcome.status, outcome.exit_code) == (status, code)
    assert screen.kinds()[0] == "VerdictShown"  # the verdict is seen before the question


def test_accept_risk_answers_the_soon_question(
    dataset: Dataset, home: Path, base: RoutineRequest, all_no: dict[str, str]
) -> None:
    request = replace(base, check=answered(all_no, night_pain="yes"), accept_risk=True)
    outcome = run(dataset, home, request, NoPrompter(no_input=True))
    assert outcome.status == "planned"
    assert outcome.plan is not None and outcome.plan.tier == "soon"


def _record_check(home: Path, dataset: Dataset, at: Any, **changes: str) -> None:
    answers = {q.id: "no" for q in dataset.triage.questions} | changes
    with Store.open(home) as store:
        store.record_check(at, answers, "self-care")


@pytest.mark.parametrize(
    ("hours", "reused"), [(1, True), (23.9, True), (24.1, False), (-1, False), (-24 * 30, False)]
)
def test_only_a_check_from_the_last_24_hours_is_reused(
    dataset: Dataset, home: Path, base: RoutineRequest, hours: float, reused: bool
) -> None:
    clock = FakeClock()
    _record_check(home, dataset, clock.now() - timedelta(hours=hours))
    request = replace(base, check=CheckRequest())
    prompter = FakePrompter(check_changed=[False])
    if reused:
        outcome = run(dataset, home, request, prompter, clock=clock)
        assert outcome.gate.reused is not None
    else:
        with pytest.raises(UsageError, match="Unanswered"):
            run(dataset, home, request, NoPrompter(no_input=True), clock=clock)


def test_a_changed_answer_runs_the_check_again(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    clock = FakeClock()
    _record_check(home, dataset, clock.now() - timedelta(hours=2))
    prompter = FakePrompter(check_changed=[True], answer_group=["yes"], answer_question=["yes"])
    outcome = run(dataset, home, replace(base, check=CheckRequest()), prompter, clock=clock)
    assert outcome.gate.reused is None
    assert outcome.status == "refused"


def test_a_skin_problem_asks_where_and_skips_it(
    dataset: Dataset, home: Path, base: RoutineRequest, all_no: dict[str, str]
) -> None:
    request = replace(base, check=answered(all_no, skin_problem="yes"), minutes=30)
    prompter = FakePrompter(choose_skin_regions=[["shoulder"]])
    outcome = run(dataset, home, request, prompter)
    assert outcome.plan is not None
    assert all(dataset.point(code).region != "shoulder" for code in outcome.plan.points)
    with pytest.raises(UsageError, match="--skip-area REGION"):
        run(dataset, home, request, NoPrompter(no_input=True))


# --- the run ------------------------------------------------------------------------------


def test_a_run_lasts_its_plan_and_is_recorded_with_pain_scores(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    clock = FakeClock(start=100.0)
    screen = FakeScreen()
    prompter = FakePrompter(pain=[6, 3])
    outcome = run(
        dataset, home, replace(base, plan_only=False), prompter, clock=clock, screen=screen
    )
    assert outcome.status == "ran" and outcome.exit_code == 0
    plan, summary = outcome.plan, outcome.summary
    assert plan is not None and summary is not None
    # no key can come from these keys, so each find step waits its longest: 5 s
    finding = FIND_SECONDS * len(plan.steps)
    assert clock.time - 100.0 == pytest.approx(
        total_seconds(plan.steps, plan.rest_seconds) + finding
    )
    assert summary.completed and summary.ended_by == "finished"
    assert summary.points == plan.points
    assert (summary.pain_before, summary.pain_after) == (6, 3)
    assert summary.ended_at - summary.started_at == timedelta(seconds=clock.time - 100.0)
    assert screen.kinds() == ["PlanReady"]
    assert screen.events[0].kind == "start" and screen.events[-1].kind == "ended"
    with Store.open(home) as store:
        (stored,) = store.sessions()
    assert stored.id == summary.id
    assert (stored.pain_before, stored.pain_after, stored.completed) == (6, 3, True)


def test_given_pain_scores_are_not_asked(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    request = replace(base, plan_only=False, pain_before=5, pain_after=4)
    outcome = run(dataset, home, request, FakePrompter())
    assert outcome.summary is not None
    assert (outcome.summary.pain_before, outcome.summary.pain_after) == (5, 4)


def test_ctrl_c_ends_the_run_recorded_as_interrupted(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    clock = FakeClock(start=0.0)
    prompter = FakePrompter(pain=[5])
    prompter.key_script = [(30.0, KeyboardInterrupt())]
    outcome = run(dataset, home, replace(base, plan_only=False), prompter, clock=clock)
    assert outcome.interrupted and outcome.exit_code == 130
    assert outcome.summary is not None and outcome.summary.ended_by == "interrupt"
    assert prompter.questions("pain") == ["before"]  # no "after" question once interrupted
    with Store.open(home) as store:
        (stored,) = store.sessions()
    assert (stored.completed, stored.ended_by, stored.pain_after) == (False, "interrupt", None)


def test_the_plan_waits_for_the_person_and_no_starts_nothing(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    from hipguide.errors import Interrupted

    screen = FakeScreen()
    prompter = FakePrompter(pain=[5], ready_to_start=[False])
    with pytest.raises(Interrupted, match="Not started"):
        run(dataset, home, replace(base, plan_only=False), prompter, screen=screen)
    assert [name for name, _ in prompter.asked] == ["pain", "ready_to_start"]
    assert "PlanReady" in screen.kinds()  # asked once the plan was shown
    with Store.open(home) as store:
        assert store.sessions() == []  # nothing started, nothing recorded


def test_yes_to_starting_runs_the_session(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    prompter = FakePrompter(pain=[5, 4], ready_to_start=[True])
    outcome = run(dataset, home, replace(base, plan_only=False), prompter, clock=FakeClock())
    assert outcome.status == "ran" and outcome.summary is not None
    assert [name for name, _ in prompter.asked][:2] == ["pain", "ready_to_start"]


def test_quit_ends_early_and_is_recorded(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    prompter = FakePrompter(pain=[5, 4])
    prompter.key_script = [(10.0, "quit")]
    outcome = run(dataset, home, replace(base, plan_only=False), prompter, clock=FakeClock())
    assert outcome.summary is not None
    assert (outcome.summary.completed, outcome.summary.ended_by) == (False, "quit")
    assert outcome.exit_code == 0


class FailingFinish:
    """A history that takes the start of a session but not its end."""

    def __init__(self, home: Path) -> None:
        self.inner = Store.open(home)
        self.path = self.inner.path

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def finish_session(self, *args: Any, **kwargs: Any) -> None:
        raise StoreError("Nothing was recorded: the disk is full.")


def test_a_failed_write_keeps_the_summary_and_says_why(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    screen = FakeScreen()
    outcome = run(
        dataset,
        home,
        replace(base, plan_only=False, pain_before=3, pain_after=2),
        store=FailingFinish(home),
        screen=screen,
    )
    assert outcome.summary is not None
    assert outcome.summary.id is None
    assert outcome.summary.completed
    assert screen.kinds()[-1] == "NotRecorded"


# --- finding each point, and what the person can do ----------------------------------------


def test_with_live_keys_each_press_waits_until_the_person_is_ready(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    clock = FakeClock(start=0.0)
    prompter = FakePrompter(pain=[None, None])
    prompter.keys_live = True
    plan = run(dataset, home, base, prompter).plan
    assert plan is not None
    # the first press waits 40 s for Enter; every later one is confirmed at once
    prompter.key_script = [(40.0 + i, "confirm") for i in range(0, 5000)]
    outcome = run(dataset, home, replace(base, plan_only=False), prompter, clock=clock)
    assert outcome.summary is not None and outcome.summary.completed
    assert clock.time > 40 + total_seconds(plan.steps, plan.rest_seconds)


@pytest.mark.parametrize("seconds", [0.0, 2.0])
def test_find_seconds_replaces_the_wait(
    dataset: Dataset, home: Path, base: RoutineRequest, seconds: float
) -> None:
    clock = FakeClock(start=0.0)
    prompter = FakePrompter(pain=[None, None])
    prompter.keys_live = True  # a terminal, but the person asked for a timed start
    request = replace(base, plan_only=False, find_seconds=seconds)
    outcome = run(dataset, home, request, prompter, clock=clock)
    plan = outcome.plan
    assert plan is not None
    expected = total_seconds(plan.steps, plan.rest_seconds) + seconds * len(plan.steps)
    assert clock.time == pytest.approx(expected)


@pytest.mark.parametrize("seconds", [-1.0, 601.0, float("nan")])
def test_a_bad_find_time_is_a_usage_error(
    dataset: Dataset, home: Path, base: RoutineRequest, seconds: float
) -> None:
    with pytest.raises(UsageError, match="--find-seconds"):
        run(dataset, home, replace(base, find_seconds=seconds))


def test_lying_and_foot_reach_are_asked_once_then_remembered(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    request = replace(base, areas=("buttock", "leg"), lying=None, foot_reach=None)
    first = FakePrompter(can_lie=[False], can_reach_feet=[False])
    outcome = run(dataset, home, request, first)
    assert [name for name, _ in first.asked] == ["can_lie", "can_reach_feet"]
    assert outcome.plan is not None
    assert {s.point for s in outcome.plan.steps if s.instead} == {"GB30", "BL54"} & set(
        outcome.plan.points
    )
    assert not {"KI3", "BL60"} & set(outcome.plan.points)
    # the next routine asks nothing and plans the same way
    again = run(dataset, home, request, FakePrompter())
    assert again.plan is not None and again.plan.steps == outcome.plan.steps
    # an option changes the remembered answer
    run(dataset, home, replace(request, foot_reach=True), FakePrompter())
    third = run(dataset, home, request, FakePrompter())
    assert third.plan is not None and "KI3" in third.plan.points


def test_reach_is_asked_only_when_a_point_depends_on_it(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    # the shoulder-only parts of a routine never need lying down or the feet
    request = replace(base, areas=("front",), lying=None, foot_reach=None)
    prompter = FakePrompter(can_reach_feet=[True])
    run(dataset, home, request, prompter)
    assert [name for name, _ in prompter.asked] == ["can_reach_feet"]


def test_without_anyone_to_ask_the_person_is_taken_to_manage_and_nothing_is_remembered(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    request = replace(base, areas=("buttock", "leg"), lying=None, foot_reach=None)
    outcome = run(dataset, home, request, NoPrompter(no_input=True))
    assert outcome.plan is not None
    assert not any(step.instead for step in outcome.plan.steps)
    assert "KI3" in outcome.plan.points
    with Store.open(home) as store:
        assert (store.setting("lying"), store.setting("foot_reach")) == (None, None)


def test_sigterm_ends_the_session_like_q_and_it_is_recorded(
    dataset: Dataset, home: Path, base: RoutineRequest
) -> None:
    import os
    import signal

    clock = FakeClock(start=0.0)
    prompter = FakePrompter(pain=[4])

    class Terminated(FakeScreen):
        def handle(self, event: Any) -> None:
            super().handle(event)
            if event.kind == "segment" and event.step == 1:
                os.kill(os.getpid(), signal.SIGTERM)

    outcome = run(
        dataset, home, replace(base, plan_only=False), prompter, clock=clock, screen=Terminated()
    )
    assert outcome.summary is not None
    assert (outcome.summary.completed, outcome.summary.ended_by) == (False, "signal")
    assert outcome.exit_code == 0
    assert prompter.questions("pain") == ["before"]  # no question after a signal
    with Store.open(home) as store:
        (stored,) = store.sessions()
    assert (stored.completed, stored.ended_by) == (False, "signal")
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is put back
