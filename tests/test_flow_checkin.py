"""The check-in use case with fakes: options checked, questions asked, the check-in kept,
and the check-ins deciding ``no_improvement`` once two are 28 days apart."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from fakes import FakeClock, FakePrompter, FakeScreen
from hipguide.dataset import Dataset
from hipguide.errors import StoreError, UsageError
from hipguide.flows.check import derived_answers
from hipguide.flows.checkin import CheckinRequest, parse_peg, parse_pgic, run_checkin
from hipguide.flows.ports import NoHistory, NoPrompter, open_history
from hipguide.store import Store

T0 = datetime(2024, 3, 4, 18, 0, tzinfo=timezone.utc)


def checkin(
    dataset: Dataset,
    home: Path,
    request: CheckinRequest,
    prompter: Any = None,
    *,
    clock: FakeClock | None = None,
    screen: FakeScreen | None = None,
    store: Any = None,
) -> Any:
    store = store or open_history(home)
    try:
        return run_checkin(
            request,
            dataset=dataset,
            prompter=prompter or FakePrompter(),
            screen=screen or FakeScreen(),
            clock=clock or FakeClock(wall=T0),
            store=store,
        )
    finally:
        store.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("6,5,7", (6, 5, 7)), (" 0, 10 ,3 ", (0, 10, 3)), ("10,10,10", (10, 10, 10))],
)
def test_peg_values(text: str, expected: tuple[int, int, int]) -> None:
    assert parse_peg(text) == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("6,5", "three numbers"),
        ("6,5,7,1", "three numbers"),
        ("6,5,11", "from 0 to 10, not '11'"),
        ("6,-1,5", "from 0 to 10, not '-1'"),
        ("6,five,5", "from 0 to 10, not 'five'"),
        ("6.5,5,5", "from 0 to 10, not '6.5'"),
        ("", "three numbers"),
        ("٣,1,1", "from 0 to 10"),  # a digit, but not one hipguide reads
        ("9" * 5000 + ",1,1", "from 0 to 10"),  # too long to read as a number
    ],
)
def test_bad_peg_is_a_usage_error_naming_the_range(text: str, named: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_peg(text)
    assert named in str(raised.value)
    assert raised.value.exit_code == 2
    assert "--peg" in str(raised.value)


@pytest.mark.parametrize("text", ["0", "8", "much better", "3.5", "", "-4", "9" * 5000])
def test_bad_pgic_is_a_usage_error_naming_the_range(text: str) -> None:
    with pytest.raises(UsageError, match=r"--pgic is a whole number from 1 to 7"):
        parse_pgic(text)


@pytest.mark.parametrize("text", ["1", "4", " 7 "])
def test_pgic_values(text: str) -> None:
    assert parse_pgic(text) == int(text)


def test_given_scores_are_recorded_without_a_question(dataset: Dataset, home: Path) -> None:
    outcome = checkin(dataset, home, CheckinRequest("6,5,7", "3"), FakePrompter())

    assert (outcome.peg, outcome.pgic, outcome.at) == ((6, 5, 7), 3, T0)
    assert outcome.id is not None
    assert outcome.progress.status == "too_few"
    with Store.open(home) as store:
        [kept] = store.checkins()
    assert (kept.peg, kept.pgic, kept.at) == ((6, 5, 7), 3, T0)


def test_open_scores_are_asked(dataset: Dataset, home: Path) -> None:
    prompter = FakePrompter(checkin_peg=[(4, 3, 2)], checkin_pgic=[2])

    outcome = checkin(dataset, home, CheckinRequest(pgic=None), prompter)

    assert (outcome.peg, outcome.pgic) == ((4, 3, 2), 2)
    assert prompter.questions("checkin_peg") == [("pain", "enjoyment", "activity")]
    assert prompter.questions("checkin_pgic") == [7]


def test_only_what_is_missing_is_asked(dataset: Dataset, home: Path) -> None:
    prompter = FakePrompter(checkin_pgic=[5])
    outcome = checkin(dataset, home, CheckinRequest(peg="1,2,3"), prompter)
    assert (outcome.peg, outcome.pgic) == ((1, 2, 3), 5)
    assert [name for name, _ in prompter.asked] == ["checkin_pgic"]


def test_bad_options_fail_before_any_question(dataset: Dataset, home: Path) -> None:
    with pytest.raises(UsageError):
        checkin(dataset, home, CheckinRequest("1,2,3", "9"), FakePrompter())
    with Store.open(home) as store:
        assert store.checkins() == []


@pytest.mark.parametrize(
    ("request_", "flag"),
    [(CheckinRequest(), "--peg"), (CheckinRequest(peg="1,2,3"), "--pgic")],
)
def test_no_input_names_the_flag_that_answers(
    dataset: Dataset, home: Path, request_: CheckinRequest, flag: str
) -> None:
    with pytest.raises(UsageError) as raised:
        checkin(dataset, home, request_, NoPrompter(no_input=True))
    assert flag in str(raised.value)
    assert "--no-input" in str(raised.value)
    with pytest.raises(UsageError, match="No terminal"):
        checkin(dataset, home, request_, NoPrompter(no_input=False))


def test_a_history_that_cannot_record_still_gives_the_result(
    dataset: Dataset, tmp_path: Path
) -> None:
    problem = StoreError("Nothing was recorded: the disk is full.")
    screen = FakeScreen()
    outcome = checkin(
        dataset,
        tmp_path,
        CheckinRequest("5,5,5", "4"),
        store=NoHistory(problem, tmp_path / "history.sqlite3"),
        screen=screen,
    )
    assert outcome.id is None and outcome.problem is problem
    assert screen.kinds() == ["NotRecorded"]


def course(
    dataset: Dataset, home: Path, first: str, latest: str, pgic: str, days: float
) -> tuple[Any, Any]:
    """Two check-ins ``days`` apart on one fake clock."""
    clock = FakeClock(wall=T0)
    one = checkin(dataset, home, CheckinRequest(first, "4"), clock=clock)
    clock.advance(days * 86400)
    two = checkin(dataset, home, CheckinRequest(latest, pgic), clock=clock)
    return one, two


@pytest.mark.parametrize(
    ("latest", "pgic", "days", "status", "derived"),
    [
        ("4,4,4", "2", 28, "helping", False),
        ("5,5,5", "2", 28, "stalled", True),
        ("4,4,4", "4", 28, "stalled", True),
        ("6,6,6", "6", 27, "too_short", False),
        ("6,6,6", "6", 56, "stalled", True),
        ("2,2,2", "1", 84, "helping", False),
    ],
)
def test_the_checkins_decide_no_improvement(
    dataset: Dataset,
    home: Path,
    latest: str,
    pgic: str,
    days: float,
    status: str,
    derived: bool,
) -> None:
    _, two = course(dataset, home, "6,6,6", latest, pgic, days)

    assert two.progress.status == status
    with Store.open(home) as store:
        answers = derived_answers(store)
    assert ("no_improvement" in answers) is derived


def sessions(home: Path, pains: list[int], days: float) -> None:
    """Sessions with these pains before, spread over ``days``."""
    with Store.open(home) as store:
        step = timedelta(days=days) / (len(pains) - 1)
        for n, pain in enumerate(pains):
            store.start_session(T0 + step * n, {}, pain)


def test_without_checkins_the_session_rule_stays(dataset: Dataset, home: Path) -> None:
    sessions(home, [6] * 8, 30)
    with Store.open(home) as store:
        assert "no_improvement" in derived_answers(store)


def test_checkins_that_apply_overrule_the_sessions(dataset: Dataset, home: Path) -> None:
    sessions(home, [6] * 8, 30)  # the session rule alone would say stalled
    course(dataset, home, "6,6,6", "3,3,3", "2", 28)
    with Store.open(home) as store:
        assert derived_answers(store) == {}


def test_checkins_too_close_leave_the_session_rule(dataset: Dataset, home: Path) -> None:
    sessions(home, [6] * 8, 30)
    course(dataset, home, "6,6,6", "3,3,3", "2", 20)
    with Store.open(home) as store:
        assert "no_improvement" in derived_answers(store)


def test_stalled_checkins_set_no_improvement_over_good_sessions(
    dataset: Dataset, home: Path
) -> None:
    sessions(home, [8, 8, 8, 5, 5, 2, 2, 2], 30)
    course(dataset, home, "6,6,6", "6,5,6", "4", 30)
    with Store.open(home) as store:
        why = derived_answers(store)["no_improvement"]
    assert why.status == "stalled" and why.why == ("peg", "pgic")
