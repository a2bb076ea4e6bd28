"""The check use case, driven with fakes: a scripted prompter, a recording screen, a fake
clock and a real history in the test's folder."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from fakes import FakeClock, FakePrompter, FakeScreen
from hipguide.dataset import Dataset
from hipguide.errors import StoreError, UsageError
from hipguide.flows.check import CheckRequest, run_check
from hipguide.flows.ports import NoHistory, NoPrompter, open_history
from hipguide.store import Store
from hipguide.triage import ordered_questions


def items(answers: dict[str, str]) -> tuple[str, ...]:
    return tuple(f"{key}={value}" for key, value in answers.items())


def check(dataset: Dataset, home: Path, request: CheckRequest, prompter: object, **kw: object):  # type: ignore[no-untyped-def]
    screen = kw.pop("screen", FakeScreen())
    store = kw.pop("store", None) or open_history(home)
    try:
        return run_check(
            request,
            dataset=dataset,
            prompter=prompter,  # type: ignore[arg-type]
            screen=screen,  # type: ignore[arg-type]
            clock=kw.pop("clock", FakeClock()),  # type: ignore[arg-type]
            store=store,
        )
    finally:
        store.close()


def test_answers_given_ahead_ask_nothing_and_are_recorded(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    clock = FakeClock()
    outcome = check(dataset, home, CheckRequest(items(all_no)), FakePrompter(), clock=clock)
    assert outcome.verdict.tier == "self-care"
    assert outcome.recorded
    with Store.open(home) as store:
        (recorded,) = store.checks()
    assert (recorded.at, recorded.tier) == (clock.now(), "self-care")
    assert recorded.answers == all_no


def test_a_person_with_no_red_flags_answers_one_prompt_per_tier_and_each_caution(
    dataset: Dataset, home: Path
) -> None:
    tiers = [t.id for t in sorted(dataset.triage.tiers, key=lambda t: -t.rank) if t.rank]
    cautions = [q.id for q in dataset.triage.questions if q.tier == "caution"]
    prompter = FakePrompter(
        answer_group=["no"] * len(tiers), answer_question=["no"] * len(cautions)
    )
    outcome = check(dataset, home, CheckRequest(), prompter)
    assert outcome.verdict.tier == "self-care"
    assert [tier for tier, _ in prompter.questions("answer_group")] == tiers
    assert prompter.questions("answer_question") == cautions
    for tier, ids in prompter.questions("answer_group"):
        in_tier = [q for q in ordered_questions(dataset.triage) if q.tier == tier]
        assert list(ids) == [q.id for q in in_tier if not q.after]


def test_a_yes_to_a_group_opens_it_and_an_emergency_ends_the_questions(
    dataset: Dataset, home: Path
) -> None:
    emergency = [
        q.id for q in ordered_questions(dataset.triage) if q.tier == "emergency" and not q.after
    ]
    screen = FakeScreen()
    prompter = FakePrompter(answer_group=["yes"], answer_question=["no", "yes"])
    outcome = check(dataset, home, CheckRequest(), prompter, screen=screen)
    assert prompter.questions("answer_question") == emergency[:2]
    assert outcome.verdict.tier == "emergency"
    assert [r.id for r in outcome.verdict.reasons] == [emergency[1]]
    assert screen.kinds() == ["EmergencyFound"]


def test_pregnant_is_asked_after_the_emergency_group_and_its_warning_before_any_other(
    dataset: Dataset, home: Path
) -> None:
    screen = FakeScreen()
    prompter = FakePrompter(answer_group=["no"], answer_question=["yes", "yes"])
    outcome = check(dataset, home, CheckRequest(), prompter, screen=screen)
    assert [method for method, _ in prompter.asked] == ["answer_group", *["answer_question"] * 2]
    assert prompter.asked[0][1][0] == "emergency"
    assert prompter.questions("answer_question") == ["pregnant", "pregnancy_warning"]
    assert outcome.verdict.tier == "emergency"
    assert [r.id for r in outcome.verdict.reasons] == ["pregnancy_warning"]
    assert screen.kinds() == ["EmergencyFound"]


def test_pregnant_answered_no_goes_on_to_the_urgent_group(dataset: Dataset, home: Path) -> None:
    prompter = FakePrompter(answer_group=["no", "no", "no"], answer_question=["no"] * 4)
    check(dataset, home, CheckRequest(), prompter)
    order = [(m, detail if m == "answer_question" else detail[0]) for m, detail in prompter.asked]
    assert order[:3] == [
        ("answer_group", "emergency"),
        ("answer_question", "pregnant"),
        ("answer_group", "urgent"),
    ]
    assert [detail for _, detail in order[-3:]] == [
        "anticoagulant",
        "older_or_fragile",
        "skin_problem",
    ]


def test_an_emergency_given_ahead_asks_nothing(dataset: Dataset, home: Path) -> None:
    outcome = check(dataset, home, CheckRequest(("injury=yes",)), FakePrompter())
    assert outcome.verdict.tier == "emergency"


@pytest.mark.parametrize(
    ("no_input", "fragment"),
    [(True, "Unanswered question(s) with --no-input: "), (False, "No terminal to ask")],
)
def test_no_one_to_ask_is_a_usage_error_listing_what_is_open(
    dataset: Dataset, home: Path, no_input: bool, fragment: str
) -> None:
    with pytest.raises(UsageError) as raised:
        check(dataset, home, CheckRequest(("fever=no",)), NoPrompter(no_input=no_input))
    message = str(raised.value)
    assert fragment in message
    assert "injury" in message and "fever," not in message
    assert "--answer ID=yes|no|unsure" in message
    assert ("In a script, add --no-input" in message) is not no_input
    assert "fail instead" not in message
    with Store.open(home) as store:
        assert store.checks() == []


def test_a_history_that_cannot_be_written_still_gives_the_verdict(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    problem = StoreError("The history file is damaged.")
    screen = FakeScreen()
    outcome = check(
        dataset,
        home,
        CheckRequest(items({**all_no, "fever": "yes"})),
        FakePrompter(),
        screen=screen,
        store=NoHistory(problem, home / "history.sqlite3"),
    )
    assert outcome.verdict.tier == "urgent"
    assert (outcome.recorded, outcome.problem) == (False, problem)
    assert screen.kinds() == ["NotRecorded"]


def test_a_stalled_history_answers_no_improvement_and_is_not_asked(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    clock = FakeClock()
    with Store.open(home) as store:
        for day in range(0, 36, 4):
            started = clock.now() - timedelta(days=40 - day)
            session = store.start_session(started, {}, 6)
            store.finish_session(session, started, ["GB30"], 6, True, "finished")
    given = {k: v for k, v in all_no.items() if k != "no_improvement"}
    outcome = check(dataset, home, CheckRequest(items(given)), FakePrompter(), clock=clock)
    assert outcome.verdict.tier == "soon"
    assert [(r.id, r.cause) for r in outcome.verdict.reasons] == [("no_improvement", "derived")]
    with Store.open(home) as store:
        assert store.checks()[0].derived == {"no_improvement": "sessions"}  # its measure


def test_a_check_answered_by_stalled_check_ins_records_that_measure(
    dataset: Dataset, home: Path, all_no: dict[str, str]
) -> None:
    clock = FakeClock()
    with Store.open(home) as store:
        store.record_checkin(clock.now() - timedelta(days=30), (6, 6, 6), 4)
        store.record_checkin(clock.now() - timedelta(days=1), (6, 6, 6), 4)
    given = {k: v for k, v in all_no.items() if k != "no_improvement"}
    outcome = check(dataset, home, CheckRequest(items(given)), FakePrompter(), clock=clock)
    assert outcome.verdict.tier == "soon"
    with Store.open(home) as store:
        assert store.checks()[0].derived == {"no_improvement": "checkins"}
