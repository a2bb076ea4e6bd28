"""``hipguide routine`` and the course, through Typer's runner: a flare-up under
``--no-input``, its plan and its record, and the check-in offer (only where someone can
answer it, and never after JSON)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from conftest import MakeAnswers
from fakes import FakeClock, FakePrompter
from hipguide import config
from hipguide.cli import app
from hipguide.cli._runtime import Runtime
from hipguide.store import Store

T0 = datetime(2024, 3, 4, 18, 0, tzinfo=timezone.utc)
RUN = ["--area", "outer", "--side", "left", "--press-seconds", "20", "--find-seconds", "0"]
RUN += ["--rest-seconds", "0", "--lying", "--foot-reach", "--quiet"]


def usual_pain(pains: list[int]) -> None:
    with Store.open(config.history_home()) as store:
        for day, pain in enumerate(pains):
            store.start_session(T0 - timedelta(days=len(pains) - day), {}, pain)


def routine(runner: CliRunner, *args: str, prompter: Any = None) -> Result:
    ports = Runtime(clock=FakeClock(start=100.0, wall=T0), prompter=prompter)
    return runner.invoke(app, ["routine", *args], obj=ports)


def words(text: str) -> str:
    return " ".join(text.split())


def test_a_flare_under_no_input_takes_the_lighter_plan_and_says_so(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    usual_pain([3, 3, 4, 3, 3])
    args = [*RUN, "--no-input", "--answers", str(answers_file()), "--pain-before", "6"]

    result = routine(runner, *args, "--plan", "--json")
    plan = json.loads(result.stdout)
    said = words(result.stderr)

    assert result.exit_code == 0, result.output
    assert plan["flare"] is True
    assert {step["pressure"] for step in plan["steps"]} == {"light"}
    assert {step["seconds"] for step in plan["steps"]} == {15}  # half of 20, at least 15
    assert "this looks like a flare-up" in said
    assert "What helps meanwhile: relative rest" in said
    assert "run 'hipguide check' again" in said
    assert "No one to ask, so the lighter version is taken" in said


def test_no_flare_plan_keeps_the_usual_routine(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    usual_pain([3, 3, 3])
    args = [*RUN, "--no-input", "--answers", str(answers_file()), "--pain-before", "8"]
    result = routine(runner, *args, "--plan", "--json", "--no-flare-plan")
    plan = json.loads(result.stdout)
    assert plan["flare"] is False
    assert {step["seconds"] for step in plan["steps"]} == {20}
    assert "The usual routine, as you chose" in words(result.stderr)


def test_a_run_in_a_flare_is_recorded_as_one(runner: CliRunner, answers_file: MakeAnswers) -> None:
    usual_pain([2, 2, 2, 2])
    args = [*RUN, "--no-input", "--answers", str(answers_file()), "--pain-before", "5"]

    result = routine(runner, *args, "--pain-after", "4", "--json")
    summary = json.loads(result.stdout)

    assert result.exit_code == 0, result.output
    assert summary["flare"] is True
    history = json.loads(runner.invoke(app, ["history", "--json"]).stdout)
    assert history["sessions"][-1]["flare"] is True
    assert "Your lighter routine (a flare-up)" not in result.stdout  # JSON only on stdout


def test_the_plan_on_screen_is_named_the_lighter_routine(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    usual_pain([2, 2, 2])
    args = [*RUN, "--no-input", "--answers", str(answers_file()), "--pain-before", "7"]
    result = routine(runner, *args, "--plan")
    assert "Your lighter routine (a flare-up)" in words(result.stdout)


def checked_in(days_ago: float) -> None:
    with Store.open(config.history_home()) as store:
        store.record_checkin(T0 - timedelta(days=days_ago), (6, 6, 6), 4)


def test_after_the_summary_the_checkin_is_offered(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    checked_in(10)
    prompter = FakePrompter(offer_checkin=[True], checkin_peg=[(4, 4, 4)], checkin_pgic=[3])
    args = [*RUN, "--answers", str(answers_file()), "--pain-before", "5", "--pain-after", "3"]

    result = routine(runner, *args, prompter=prompter)
    out = words(result.stdout)

    assert result.exit_code == 0, result.output
    assert out.index("Session complete") < out.index("Check-in recorded: PEG 4, 4, 4")
    with Store.open(config.history_home()) as store:
        assert [c.peg for c in store.checkins()] == [(6, 6, 6), (4, 4, 4)]


@pytest.mark.parametrize("extra", [["--json"], ["--no-input"]])
def test_no_offer_with_json_or_no_input(
    runner: CliRunner, answers_file: MakeAnswers, extra: list[str]
) -> None:
    checked_in(10)
    prompter = None if "--no-input" in extra else FakePrompter()  # any question fails
    args = [*RUN, "--answers", str(answers_file()), "--pain-before", "5", "--pain-after", "3"]
    result = routine(runner, *args, *extra, prompter=prompter)
    assert result.exit_code == 0, result.output
    with Store.open(config.history_home()) as store:
        assert len(store.checkins()) == 1
