"""The card and report use cases, driven with fakes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fakes import FakeClock, FakePrompter, FakeScreen
from hipguide.dataset import Dataset
from hipguide.errors import StoreError, UsageError
from hipguide.flows.card import MAX_POINTS, CardOutcome, CardRequest, plan_card
from hipguide.flows.check import CheckRequest
from hipguide.flows.ports import NoHistory, NoPrompter, open_history
from hipguide.flows.report import ReportRequest, read_report
from hipguide.flows.routine import RoutineRequest
from hipguide.records import replace
from hipguide.store import Store

WALL = datetime(2025, 3, 4, 9, 30, tzinfo=timezone.utc)


def answered(all_no: dict[str, str], **changes: str) -> CheckRequest:
    return CheckRequest(tuple(f"{k}={v}" for k, v in {**all_no, **changes}.items()))


def make(
    dataset: Dataset, home: Path, request: RoutineRequest, prompter: object = None
) -> CardOutcome:
    store = open_history(home)
    try:
        # These tests are not about position and reach: the person can do both.
        request = replace(
            request,
            lying=True if request.lying is None else request.lying,
            foot_reach=True if request.foot_reach is None else request.foot_reach,
        )
        return plan_card(
            CardRequest(request),
            dataset=dataset,
            prompter=prompter or FakePrompter(),  # type: ignore[arg-type]
            screen=FakeScreen(),
            clock=FakeClock(wall=WALL),
            store=store,
        )
    finally:
        store.close()


def test_a_card_rests_on_a_new_check_recorded_now(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    outcome = make(dataset, home, RoutineRequest(("outer",), "left", check=answered(all_no)))
    assert outcome.status == "made" and outcome.exit_code == 0
    assert outcome.plan is not None and outcome.plan.steps
    assert outcome.checked_at == outcome.made_at == WALL
    assert outcome.planned is not None and outcome.planned.areas == ("outer",)
    with Store.open(home) as store:
        assert [c.at for c in store.checks()] == [WALL]


def test_where_and_which_side_are_asked_as_for_the_routine(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    prompter = FakePrompter(choose_areas=[["buttock"]], choose_side=["right"])
    outcome = make(dataset, home, RoutineRequest(check=answered(all_no)), prompter)
    assert outcome.planned is not None
    assert (outcome.planned.areas, outcome.planned.side) == (("buttock",), "right")


def test_a_reused_check_gives_its_own_date(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    with Store.open(home) as store:
        store.record_check(WALL - timedelta(hours=5), all_no, "self-care")
    outcome = make(dataset, home, RoutineRequest(("outer",), "left"), NoPrompter(no_input=True))
    assert outcome.gate.reused is not None
    assert outcome.checked_at == WALL - timedelta(hours=5)


@pytest.mark.parametrize(
    ("answer", "status", "code"),
    [("injury", "refused", 5), ("hot_swollen", "refused", 4), ("night_pain", "declined", 3)],
)
def test_the_gate_stops_a_card_as_it_stops_a_routine(
    dataset: Dataset, home: Path, all_no: dict[str, str], answer: str, status: str, code: int
) -> None:
    request = RoutineRequest(("outer",), "left", check=answered(all_no, **{answer: "yes"}))
    outcome = make(dataset, home, request, NoPrompter(no_input=True))
    assert (outcome.status, outcome.exit_code, outcome.plan) == (status, code, None)


def test_an_emergency_stops_a_card_before_where_and_which_side(
    dataset: Dataset, home: Path
) -> None:
    # "does any of these apply?" yes, then the first emergency sign (injury) yes; no
    # reply for where or which side: asking either would fail the test
    prompter = FakePrompter(answer_group=["yes"], answer_question=["yes"])
    outcome = make(dataset, home, RoutineRequest(), prompter)
    assert (outcome.status, outcome.exit_code) == ("refused", 5)
    assert [name for name, _ in prompter.asked] == ["answer_group", "answer_question"]


def test_a_reused_check_is_confirmed_before_where_and_which_side(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    with Store.open(home) as store:
        store.record_check(WALL - timedelta(hours=5), all_no, "self-care")
    prompter = FakePrompter(check_changed=[False], choose_areas=[["outer"]], choose_side=["left"])
    outcome = make(dataset, home, RoutineRequest(), prompter)
    assert outcome.status == "made"
    assert [name for name, _ in prompter.asked] == ["check_changed", "choose_areas", "choose_side"]


def test_no_input_needs_where_before_any_check(dataset: Dataset, home: Path) -> None:
    with pytest.raises(UsageError, match="--area and --side are required"):
        make(dataset, home, RoutineRequest(side="left"), NoPrompter(no_input=True))
    with Store.open(home) as store:
        assert store.checks() == []


def test_more_points_than_a_page_holds_is_a_usage_error(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    request = RoutineRequest(
        ("outer", "front", "buttock"), "both", minutes=60, check=answered(all_no)
    )
    with pytest.raises(UsageError, match=f"room for {MAX_POINTS} points"):
        make(dataset, home, request)


def test_a_report_of_a_history_that_cannot_be_used_says_why(dataset: Dataset, home: Path) -> None:
    problem = StoreError("The history file is damaged.")
    with pytest.raises(StoreError, match="damaged"):
        read_report(
            ReportRequest(), dataset=dataset, clock=FakeClock(), store=NoHistory(problem, home)
        )


def test_a_report_passes_over_rows_it_cannot_read_and_counts_them(
    dataset: Dataset, home: Path
) -> None:
    import sqlite3

    with Store.open(home) as store:
        for day in range(3):
            sid = store.start_session(WALL + timedelta(days=day), {}, 5)
            store.finish_session(
                sid, WALL + timedelta(days=day, minutes=8), ["GB30"], 3, True, "quit"
            )
        store.record_check(WALL, {"fever": "no"}, "self-care")
    connection = sqlite3.connect(home / "history.sqlite3")
    with connection:
        connection.execute("UPDATE sessions SET points = 'not json' WHERE id = 2")
        connection.execute("INSERT INTO checks (at, tier) VALUES ('yesterday', 'soon')")
    connection.close()
    store = open_history(home)
    try:
        outcome = read_report(ReportRequest(), dataset=dataset, clock=FakeClock(), store=store)
    finally:
        store.close()
    assert outcome.skipped == 2
    assert len(outcome.recent) == 2 and len(outcome.checks) == 1
    assert outcome.totals.count == 3 and len(outcome.timeline) == 3


def test_a_report_reads_only_the_latest_sessions_one_by_one(dataset: Dataset, home: Path) -> None:
    with Store.open(home) as store:
        for i in range(30):
            sid = store.start_session(WALL + timedelta(days=i), {}, 6)
            store.finish_session(
                sid, WALL + timedelta(days=i, minutes=5), [], 4, i % 2 == 0, "quit"
            )
    store = open_history(home)
    try:
        outcome = read_report(
            ReportRequest(recent=5), dataset=dataset, clock=FakeClock(), store=store
        )
    finally:
        store.close()
    assert [s.started_at for s in outcome.recent] == [
        WALL + timedelta(days=i) for i in range(25, 30)
    ]
    assert (outcome.totals.count, outcome.totals.completed, outcome.totals.ended_early) == (
        30,
        15,
        15,
    )
    assert outcome.totals.minutes == 150
