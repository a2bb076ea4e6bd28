"""The gate before a routine, and the history it reads: a bad row, a check from the future
or a history that cannot be read never costs the verdict (DESIGN.md section 4)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from fakes import FakeClock, FakePrompter, FakeScreen
from hipguide.dataset import Dataset
from hipguide.errors import StoreError, UsageError
from hipguide.flows.check import CheckRequest, derived_answers, run_check
from hipguide.flows.gate import pass_gate
from hipguide.flows.ports import GuardedHistory, NoHistory, NoPrompter, NotRecorded, open_history
from hipguide.flows.routine import RoutineRequest, run_routine
from hipguide.records import replace
from hipguide.store import Store

#: A fake clock set years before the real one, so a record "from the future" relative to
#: it is in the past for the real clock (which the history must not be asked about).
LONG_AGO = datetime(2020, 6, 1, 12, 0, tzinfo=timezone.utc)


def items(answers: dict[str, str]) -> tuple[str, ...]:
    return tuple(f"{key}={value}" for key, value in answers.items())


def record(home: Path, at: datetime, answers: dict[str, str], tier: str = "self-care") -> int:
    with Store.open(home) as store:
        return store.record_check(at, answers, tier)


def raw(home: Path, sql: str, *parameters: object) -> None:
    connection = sqlite3.connect(home / "history.sqlite3")
    with connection:
        connection.execute(sql, parameters)
    connection.close()


def gate(dataset: Dataset, home: Path, prompter: Any, clock: FakeClock, **kw: Any) -> Any:
    store = kw.pop("store", None) or open_history(home)
    try:
        return pass_gate(
            kw.pop("request", CheckRequest()),
            accept_risk=False,
            dataset=dataset,
            prompter=prompter,
            screen=kw.pop("screen", FakeScreen()),
            clock=clock,
            store=store,
        )
    finally:
        store.close()


class UnreadableHistory:
    """A history whose every read fails, as a damaged file found late would; every write
    is kept in ``writes`` (none should come once a read has failed)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem = StoreError(f"The history file {path} is damaged (malformed).")
        self.writes: list[str] = []

    def last_check(self, since: datetime, until: datetime | None = None) -> Any:
        raise self.problem

    def progress_window(self) -> Any:
        raise self.problem

    def checkin_ends(self) -> Any:
        raise self.problem

    def recent_pains(self, limit: int = 5) -> Any:
        raise self.problem

    def setting(self, key: str) -> Any:
        raise self.problem

    def remember(self, *args: Any, **kwargs: Any) -> None:
        self.writes.append("remember")

    def checks(self) -> list[Any]:
        raise self.problem

    def sessions(self) -> list[Any]:
        raise AssertionError("check and routine never read every session")

    def record_check(self, *args: Any, **kwargs: Any) -> int:
        self.writes.append("record_check")
        return 1

    def start_session(self, *args: Any, **kwargs: Any) -> int:
        self.writes.append("start_session")
        return 1

    def finish_session(self, *args: Any, **kwargs: Any) -> None:
        self.writes.append("finish_session")

    def forget(self) -> None:
        raise AssertionError("not asked")

    def close(self) -> None:
        return None


# --- the clock --------------------------------------------------------------------------------


def test_a_check_from_the_future_is_never_reused_but_a_recent_one_is(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    clock = FakeClock(wall=LONG_AGO)
    record(home, LONG_AGO - timedelta(hours=2), all_no)
    record(home, LONG_AGO + timedelta(hours=1), {**all_no, "fever": "yes"}, "urgent")
    outcome = gate(dataset, home, FakePrompter(check_changed=[False]), clock)
    assert outcome.reused is not None
    assert outcome.reused.at == LONG_AGO - timedelta(hours=2)
    assert outcome.verdict.tier == "self-care"


@pytest.mark.parametrize("ahead", [timedelta(minutes=1), timedelta(days=3), timedelta(days=30)])
def test_a_check_recorded_with_the_clock_ahead_is_not_reused(
    dataset: Dataset, home: Path, all_no: dict[str, str], ahead: timedelta
) -> None:
    clock = FakeClock(wall=LONG_AGO)
    record(home, LONG_AGO + ahead, all_no)
    with pytest.raises(UsageError, match="Unanswered"):
        gate(dataset, home, NoPrompter(no_input=True), clock)


def test_the_gate_asks_the_history_for_checks_up_to_now_only(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    clock = FakeClock(wall=LONG_AGO)
    asked: list[tuple[datetime, datetime | None]] = []
    store = open_history(home)

    class Spy(GuardedHistory):
        def last_check(self, since: datetime, until: datetime | None = None) -> Any:
            asked.append((since, until))
            return super().last_check(since, until)

    with pytest.raises(UsageError):
        gate(dataset, home, NoPrompter(no_input=True), clock, store=Spy(store))
    assert asked == [(LONG_AGO - timedelta(hours=24), LONG_AGO)]


# --- what a recorded check may hold -----------------------------------------------------------


def test_a_recorded_check_with_an_unknown_verdict_is_not_reused(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    clock = FakeClock(wall=LONG_AGO)
    record(home, LONG_AGO - timedelta(hours=1), all_no, "[bold]fine[/]")
    with pytest.raises(UsageError, match="Unanswered"):
        gate(dataset, home, NoPrompter(no_input=True), clock)


def test_a_recorded_check_holding_a_word_that_is_no_answer_is_not_reused(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    clock = FakeClock(wall=LONG_AGO)
    record(home, LONG_AGO - timedelta(hours=1), {**all_no, "injury": "banana"})
    screen = FakeScreen()
    prompter = FakePrompter(answer_group=["yes"], answer_question=["yes"])
    outcome = gate(dataset, home, prompter, clock, screen=screen)
    assert not {"CheckIncomplete", "CheckReused"} & set(screen.kinds())  # a row not read
    assert prompter.questions("answer_question") == ["injury"]  # asked afresh, not "no"
    assert outcome.verdict.tier == "emergency"


# --- a bad row never costs a verdict ----------------------------------------------------------


def _sessions(home: Path, clock: FakeClock, pains: list[int]) -> None:
    with Store.open(home) as store:
        for day, pain in enumerate(pains):
            started = clock.now() - timedelta(days=40 - 5 * day)
            session = store.start_session(started, {}, pain)
            store.finish_session(session, started, ["GB30"], pain, True, "finished")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("started_at", "'not a date'"),
        ("started_at", "x'deadbeef'"),
        ("plan", "'{'"),
        ("points", "'[1, 2'"),
        ("ended_by", "5"),
    ],
)
def test_a_bad_session_row_never_costs_the_emergency_verdict(
    dataset: Dataset, home: Path, all_no: dict[str, str], column: str, value: str
) -> None:
    clock = FakeClock()
    _sessions(home, clock, [6] * 8)
    raw(home, f"UPDATE sessions SET {column} = {value} WHERE id = 8")
    store = open_history(home)
    try:
        outcome = run_check(
            CheckRequest(items({**all_no, "injury": "yes"})),
            dataset=dataset,
            prompter=FakePrompter(),
            screen=FakeScreen(),
            clock=clock,
            store=store,
        )
    finally:
        store.close()
    assert outcome.verdict.tier == "emergency"
    assert outcome.recorded


#: Ways the newest check's row can be unreadable: damaged JSON, what hipguide never writes.
BAD_CHECK_ROWS = [
    ("answers", "{"),
    ("answers", '{"injury": "maybe"}'),
    ("derived", "[1, 2"),
    ("tier", "\x1b[2Jsoon"),
]


@pytest.mark.parametrize(("column", "value"), BAD_CHECK_ROWS)
def test_an_unreadable_newest_check_is_never_passed_over_for_an_older_one(
    dataset: Dataset, home: Path, all_no: dict[str, str], column: str, value: str
) -> None:
    """The newest check might have been the more serious one: with no answers given,
    an older self-care check never stands in for it, so the check is asked again."""
    clock = FakeClock(wall=LONG_AGO)
    record(home, LONG_AGO - timedelta(hours=2), all_no)
    bad = record(home, LONG_AGO - timedelta(hours=1), {**all_no, "night_pain": "yes"}, "soon")
    raw(home, f"UPDATE checks SET {column} = ? WHERE id = ?", value, bad)
    with pytest.raises(UsageError, match="Unanswered"):
        gate(dataset, home, NoPrompter(no_input=True), clock)
    screen = FakeScreen()
    prompter = FakePrompter(answer_group=["yes"], answer_question=["yes"])
    outcome = gate(dataset, home, prompter, clock, screen=screen)
    assert outcome.reused is None
    assert not {"CheckIncomplete", "CheckReused"} & set(screen.kinds())
    assert prompter.questions("answer_question") == ["injury"]  # asked afresh
    assert outcome.verdict.tier == "emergency"


def test_an_unreadable_older_check_does_not_stop_the_newest_being_reused(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    clock = FakeClock(wall=LONG_AGO)
    bad = record(home, LONG_AGO - timedelta(hours=2), all_no)
    newest = record(home, LONG_AGO - timedelta(hours=1), all_no)
    raw(home, "UPDATE checks SET answers = '{' WHERE id = ?", bad)
    outcome = gate(dataset, home, FakePrompter(check_changed=[False]), clock)
    assert outcome.reused is not None and outcome.reused.id == newest


def test_the_check_reads_only_the_progress_window(dataset: Dataset, home: Path) -> None:
    history = UnreadableHistory(home / "history.sqlite3")
    assert derived_answers(GuardedHistory(history)) == {}  # never calls sessions()


def test_a_history_that_cannot_be_read_still_gives_the_verdict_and_records_nothing(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    history = UnreadableHistory(home / "history.sqlite3")
    screen = FakeScreen()
    outcome = run_check(
        CheckRequest(items({**all_no, "chest_symptoms": "yes"})),
        dataset=dataset,
        prompter=FakePrompter(),
        screen=screen,
        clock=FakeClock(),
        store=history,
    )
    assert outcome.verdict.tier == "emergency"
    assert (outcome.recorded, outcome.problem) == (False, history.problem)
    assert [type(n) for n in screen.notices] == [NotRecorded]
    assert history.writes == []


def test_a_routine_on_a_history_that_cannot_be_read_runs_and_records_nothing(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    history = UnreadableHistory(home / "history.sqlite3")
    screen = FakeScreen()
    request = RoutineRequest(
        areas=("outer",),
        side="left",
        minutes=2,
        check=CheckRequest(items(all_no)),
        lying=True,
        foot_reach=True,
    )
    outcome = run_routine(
        request,
        dataset=dataset,
        prompter=FakePrompter(pain=[5, 3]),
        screen=screen,
        clock=FakeClock(),
        store=GuardedHistory(history),  # as the command line opens it
    )
    assert outcome.status == "ran"
    assert outcome.summary is not None and outcome.summary.id is None
    assert history.writes == []
    assert {type(n) for n in screen.notices} >= {NotRecorded}
    notices = [n for n in screen.notices if isinstance(n, NotRecorded)]
    assert {n.problem for n in notices} == {history.problem}


def test_a_routine_plan_without_answers_on_an_unreadable_history_asks_again(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    history = UnreadableHistory(home / "history.sqlite3")
    request = RoutineRequest(areas=("outer",), side="left", plan_only=True)
    with pytest.raises(UsageError, match="Unanswered"):
        run_routine(
            request,
            dataset=dataset,
            prompter=NoPrompter(no_input=True),
            screen=FakeScreen(),
            clock=FakeClock(),
            store=GuardedHistory(history),
        )
    request = replace(request, check=CheckRequest(items(all_no)))
    outcome = run_routine(
        request,
        dataset=dataset,
        prompter=NoPrompter(no_input=True),
        screen=FakeScreen(),
        clock=FakeClock(),
        store=GuardedHistory(history),
    )
    assert outcome.status == "planned"


def test_no_history_reads_as_empty(home: Path) -> None:
    empty = NoHistory(StoreError("cannot"), home / "history.sqlite3")
    assert empty.last_check(LONG_AGO, LONG_AGO) is None
    assert empty.progress_window().sessions == 0
