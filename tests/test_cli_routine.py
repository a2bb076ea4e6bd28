"""``hipguide routine`` through Typer's runner: the gate, the plan, a run on a fake clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from conftest import MakeAnswers
from fakes import FakeClock
from hipguide import config
from hipguide.cli import app
from hipguide.cli._runtime import Runtime
from hipguide.dataset import Dataset
from hipguide.store import Store

STEP_KEYS = {"point", "side", "seconds", "pressure", "role", "instead"}
OPPOSITE = {"left": "right", "right": "left"}
SUMMARY_KEYS = {"started_at", "ended_at", "points", "pain_before", "pain_after", "completed"}
GARBAGE = b"\x00\xffthis is no database\x13\x37" * 40


def history_file() -> Path:
    return config.history_home() / "history.sqlite3"


def sessions() -> list[dict[str, Any]]:
    with Store.open(config.history_home()) as store:
        return [s.to_dict() for s in store.sessions()]


def flat(text: str) -> str:
    """Output with Rich's line wrapping undone (a long path may be folded mid-way)."""
    return text.replace("\n", "")


def words(text: str) -> str:
    """Output with every run of white space made one space."""
    return " ".join(text.split())


@pytest.fixture
def fake_clock() -> FakeClock:
    """The clock every routine in these tests runs on: a run never waits."""
    return FakeClock(start=1000.0)


def routine(
    runner: CliRunner, *args: str, happy: bool = True, clock: FakeClock | None = None
) -> Result:
    """``hipguide routine ARGS``, on ``clock`` (a fresh fake one if not given)."""
    ports = Runtime(clock=clock or FakeClock(start=1000.0))
    return runner.invoke(app, ["routine", *args], catch_exceptions=not happy, obj=ports)


def plan_json(runner: CliRunner, answers: Path, *args: str) -> dict[str, Any]:
    result = routine(runner, "--plan", "--no-input", "--json", "--answers", str(answers), *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# --- the plan --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("areas", "side", "minutes"),
    [
        (["outer"], "left", 10),
        (["outer"], "right", 3),
        (["buttock"], "right", 5),
        (["front"], "left", 10),
        (["leg", "lower-back"], "left", 20),
        (["lower-back"], "right", 2),
    ],
)
def test_plan_json_shape_budget_and_sides(
    runner: CliRunner, answers_file: MakeAnswers, areas: list[str], side: str, minutes: int
) -> None:
    area_args = [arg for area in areas for arg in ("--area", area)]
    plan = plan_json(runner, answers_file(), *area_args, "--side", side, "--minutes", str(minutes))
    assert set(plan) >= {"steps", "total_seconds", "excluded", "tier", "cautions"}
    assert plan["tier"] == "self-care"
    assert plan["cautions"] == []
    assert plan["steps"], plan
    assert all(set(step) == STEP_KEYS for step in plan["steps"])
    assert all(set(item) == {"point", "reason"} for item in plan["excluded"])
    assert plan["total_seconds"] <= minutes * 60
    assert plan["total_seconds"] >= sum(step["seconds"] for step in plan["steps"])
    for step in plan["steps"]:
        assert step["side"] in ("left", "right")
        assert step["pressure"] in ("light", "moderate", "firm")
        if step["role"] == "local":
            assert step["side"] == side, step
        elif step["role"] == "mirror":
            assert step["side"] == OPPOSITE[side], step


def test_plan_for_both_sides_presses_local_points_on_each(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    plan = plan_json(runner, answers_file(), "--area", "outer", "--side", "both", "--minutes", "30")
    local = [(s["point"], s["side"]) for s in plan["steps"] if s["role"] == "local"]
    assert local
    assert {code for code, side in local if side == "left"} == {
        code for code, side in local if side == "right"
    }


def test_plan_press_seconds_overrides_every_press(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    plan = plan_json(
        runner, answers_file(), "--area", "buttock", "--side", "left", "--press-seconds", "7"
    )
    assert {step["seconds"] for step in plan["steps"]} == {7}


def test_plan_text_is_a_table_and_runs_nothing(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    result = routine(
        runner,
        "--plan",
        "--no-input",
        "--answers",
        str(answers_file()),
        "--area",
        "outer",
        "--side",
        "left",
    )
    assert result.exit_code == 0, result.output
    assert "GB30" in result.stdout
    assert "Session started" not in result.stdout
    assert sessions() == []


# --- the gate --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code", "tier"),
    [
        ({"injury": "yes"}, 5, "emergency"),
        ({"fever": "yes", "hot_swollen": "yes"}, 5, "emergency"),
        ({"fever": "yes"}, 4, "urgent"),
        ({"cannot_bear_weight": "unsure"}, 4, "urgent"),
        ({"night_pain": "yes", "weight_loss": "yes"}, 4, "urgent"),
    ],
)
@pytest.mark.parametrize("plan_only", [False, True])
def test_emergency_and_urgent_refuse_to_start(
    runner: CliRunner,
    answers_file: MakeAnswers,
    fake_clock: FakeClock,
    changes: dict[str, str],
    code: int,
    tier: str,
    plan_only: bool,
) -> None:
    args = ["--no-input", "--json", "--answers", str(answers_file(**changes))]
    args += ["--area", "outer", "--side", "left", "--press-seconds", "1"]
    result = routine(runner, *args, *(["--plan"] if plan_only else []), clock=fake_clock)
    assert result.exit_code == code, result.output
    verdict = json.loads(result.stdout)
    assert verdict["tier"] == tier
    assert verdict["started"] is False
    assert "steps" not in verdict
    assert fake_clock.sleeps == []  # no session engine ever ran
    assert sessions() == []


def test_refusal_on_screen_says_it_will_not_start(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    args = ["--no-input", "--answers", str(answers_file(injury="yes"))]
    result = routine(runner, *args, "--area", "outer", "--side", "left")
    assert result.exit_code == 5
    assert "will not start" in words(result.stdout)
    assert sessions() == []


@pytest.mark.parametrize("plan_only", [False, True])
def test_soon_without_accept_risk_is_exit_3(
    runner: CliRunner,
    answers_file: MakeAnswers,
    fake_clock: FakeClock,
    plan_only: bool,
) -> None:
    args = ["--no-input", "--json", "--answers", str(answers_file(night_pain="yes"))]
    args += ["--area", "outer", "--side", "left", "--press-seconds", "1"]
    result = routine(runner, *args, *(["--plan"] if plan_only else []), clock=fake_clock)
    assert result.exit_code == 3, result.output
    verdict = json.loads(result.stdout)
    assert verdict["tier"] == "soon"
    assert verdict["started"] is False
    assert "Not started" in result.stderr
    assert "--accept-risk with --no-input" in result.stderr  # the way to go ahead
    assert "can wait" not in result.stderr  # the verdict says gentle self-care is fine
    assert fake_clock.sleeps == []
    assert sessions() == []


def test_soon_with_accept_risk_plans(runner: CliRunner, answers_file: MakeAnswers) -> None:
    plan = plan_json(
        runner,
        answers_file(night_pain="yes"),
        "--accept-risk",
        "--area",
        "outer",
        "--side",
        "left",
    )
    assert plan["tier"] == "soon"
    assert plan["steps"]


def test_soon_with_accept_risk_runs(
    runner: CliRunner,
    answers_file: MakeAnswers,
    fake_clock: FakeClock,
) -> None:
    args = [
        "--no-input",
        "--json",
        "--accept-risk",
        "--answers",
        str(answers_file(persistent="yes")),
    ]
    args += ["--area", "outer", "--side", "left", "--press-seconds", "1"]
    result = routine(runner, *args, clock=fake_clock)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["completed"] is True
    assert len(sessions()) == 1


# --- reusing a recent check ------------------------------------------------------------------


def record_check(
    dataset: Dataset, hours_ago: float, *, only: tuple[str, ...] = (), **changes: str
) -> datetime:
    """Record a check made ``hours_ago``: all no but ``changes``, or just ``only``'s answers."""
    at = datetime.now(timezone.utc) - timedelta(hours=hours_ago)
    answers = {q.id: "no" for q in dataset.triage.questions}
    answers.update(changes)
    if only:
        answers = {key: answers[key] for key in only}
    with Store.open(config.history_home()) as store:
        store.record_check(at, answers, "self-care")
    return at


def test_a_check_under_24_hours_old_is_reused_and_named(
    runner: CliRunner, dataset: Dataset
) -> None:
    at = record_check(dataset, hours_ago=23)
    args = ["--plan", "--no-input", "--json", "--area", "outer", "--side", "left"]
    result = routine(runner, *args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tier"] == "self-care"
    said = words(result.stderr)
    assert "Using your check of" in said
    assert at.astimezone().strftime("%H:%M") in said


def test_a_reused_check_keeps_its_cautions(runner: CliRunner, dataset: Dataset) -> None:
    record_check(dataset, hours_ago=1, anticoagulant="yes")
    plan = plan_json_without_answers(runner, "--area", "buttock", "--side", "left")
    assert [c["id"] for c in plan["cautions"]] == ["anticoagulant"]
    assert {s["pressure"] for s in plan["steps"]} == {"light"}


def plan_json_without_answers(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = routine(runner, "--plan", "--no-input", "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_a_check_over_24_hours_old_is_not_reused(runner: CliRunner, dataset: Dataset) -> None:
    record_check(dataset, hours_ago=25)
    result = routine(
        runner, "--plan", "--no-input", "--area", "outer", "--side", "left", happy=False
    )
    assert result.exit_code == 2, result.output
    said = words(result.stderr)
    assert "Unanswered" in said
    for question in ("injury", "fever", "night_pain", "pregnant", "skin_problem"):
        assert question in said
    assert "Using your check" not in said


def test_a_recent_check_missing_a_question_is_not_reused(
    runner: CliRunner, dataset: Dataset
) -> None:
    everything_but_skin = tuple(q.id for q in dataset.triage.questions if q.id != "skin_problem")
    record_check(dataset, hours_ago=1, only=everything_but_skin)
    result = routine(runner, "--plan", "--no-input", "--area", "outer", "--side", "left")
    assert result.exit_code == 2, result.output
    said = words(result.output)
    assert "does not answer every question" in said
    assert "Unanswered question(s) with --no-input: injury," in said  # the whole check again
    assert "skin_problem" in said
    assert "Using your check" not in said


def test_a_recent_emergency_check_is_reused_and_refuses(
    runner: CliRunner, dataset: Dataset
) -> None:
    record_check(dataset, hours_ago=2, only=("injury",), injury="yes")
    result = routine(runner, "--plan", "--no-input", "--json", "--area", "outer", "--side", "left")
    assert result.exit_code == 5, result.output
    assert json.loads(result.stdout)["tier"] == "emergency"
    assert "Using your check of" in words(result.stderr)


def test_no_check_at_all_under_no_input_is_exit_2(runner: CliRunner) -> None:
    result = routine(runner, "--plan", "--no-input", "--area", "outer", "--side", "left")
    assert result.exit_code == 2
    assert "injury" in result.stderr


# --- cautions --------------------------------------------------------------------------------


def test_pregnancy_leaves_out_avoided_points_and_says_why(
    runner: CliRunner,
    dataset: Dataset,
    answers_file: MakeAnswers,
) -> None:
    args = ["--area", "buttock", "--area", "lower-back", "--area", "front", "--side", "left"]
    plan = plan_json(runner, answers_file(pregnant="yes"), *args, "--minutes", "60")
    assert [c["id"] for c in plan["cautions"]] == ["pregnant"]
    assert plan["steps"]
    assert all(dataset.point(s["point"]).pregnancy != "avoid" for s in plan["steps"])
    reasons = {item["point"]: item["reason"] for item in plan["excluded"]}
    avoided = {"BL54", "BL23", "BL60", "SP6"}
    assert avoided <= set(reasons)
    assert all("pregnan" in reasons[code] for code in avoided)


def test_anticoagulant_means_light_pressure_and_no_deep_point(
    runner: CliRunner,
    dataset: Dataset,
    answers_file: MakeAnswers,
) -> None:
    args = ["--area", "outer", "--area", "buttock", "--side", "right", "--minutes", "60"]
    plan = plan_json(runner, answers_file(anticoagulant="yes"), *args)
    assert plan["steps"]
    assert {s["pressure"] for s in plan["steps"]} == {"light"}
    assert all(dataset.point(s["point"]).depth != "deep" for s in plan["steps"])
    reasons = {item["point"]: item["reason"] for item in plan["excluded"]}
    assert {"GB30", "BL54"} <= set(reasons)
    assert "deep" in reasons["GB30"]


def test_skin_problem_under_no_input_needs_a_skip(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    args = ["--plan", "--no-input", "--answers", str(answers_file(skin_problem="yes"))]
    result = routine(runner, *args, "--area", "outer", "--side", "left")
    assert result.exit_code == 2, result.output
    assert "--skip-area" in result.stderr


def test_skin_problem_with_skip_area_leaves_that_region_out(
    runner: CliRunner,
    dataset: Dataset,
    answers_file: MakeAnswers,
) -> None:
    args = ["--area", "outer", "--side", "left", "--skip-area", "shoulder"]
    plan = plan_json(runner, answers_file(skin_problem="yes"), *args)
    assert plan["steps"]
    assert all(dataset.point(s["point"]).region != "shoulder" for s in plan["steps"])
    reasons = {item["point"]: item["reason"] for item in plan["excluded"]}
    assert {"TE14", "LI15"} <= set(reasons)
    assert "shoulder" in reasons["TE14"]


def test_skip_point_by_alias(runner: CliRunner, answers_file: MakeAnswers) -> None:
    args = ["--area", "outer", "--side", "left", "--skip-point", "SJ14"]
    plan = plan_json(runner, answers_file(skin_problem="yes"), *args)
    assert "TE14" not in {s["point"] for s in plan["steps"]}
    assert "TE14" in {item["point"] for item in plan["excluded"]}


# --- usage errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--side", "left"],
        ["--area", "outer"],
        [],
    ],
)
def test_no_input_needs_area_and_side(
    runner: CliRunner, answers_file: MakeAnswers, args: list[str]
) -> None:
    result = routine(runner, "--no-input", "--answers", str(answers_file()), *args)
    assert result.exit_code == 2
    assert "--area and --side" in words(result.stderr)


@pytest.mark.parametrize(
    ("option", "value", "suggestion"),
    [
        ("--condition", "osteoarthritus", "osteoarthritis"),
        ("--condition", "sciatic", "sciatica"),
        ("--skip-area", "sholder", "shoulder"),
        ("--skip-point", "GB300", "GB30"),
    ],
)
def test_unknown_names_are_exit_2_with_a_suggestion(
    runner: CliRunner, answers_file: MakeAnswers, option: str, value: str, suggestion: str
) -> None:
    args = ["--no-input", "--answers", str(answers_file()), "--area", "outer", "--side", "left"]
    result = routine(runner, *args, option, value)
    assert result.exit_code == 2, result.output
    said = words(result.stderr)
    assert f"'{value}'" in said
    assert f"Did you mean {suggestion}" in said


def test_bad_options_are_refused_before_the_check_is_recorded(
    home: Path, runner: CliRunner, answers_file: MakeAnswers
) -> None:
    args = ["--no-input", "--answers", str(answers_file()), "--area", "outer", "--side", "left"]
    result = routine(runner, *args, "--condition", "nope")
    assert result.exit_code == 2
    with Store.open(config.history_home()) as store:
        assert store.checks() == []


def test_a_budget_too_small_for_any_press_is_exit_2(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    args = ["--no-input", "--answers", str(answers_file()), "--area", "outer", "--side", "left"]
    result = routine(runner, *args, "--minutes", "1", "--press-seconds", "120")
    assert result.exit_code == 2, result.output
    assert "No press fits in 1 minute" in words(result.stderr)
    assert sessions() == []


@pytest.mark.parametrize(
    "args", [["--minutes", "0.5"], ["--press-seconds", "0"], ["--pain-before", "11"]]
)
def test_out_of_range_numbers_are_exit_2(
    runner: CliRunner, answers_file: MakeAnswers, args: list[str]
) -> None:
    base = ["--no-input", "--answers", str(answers_file()), "--area", "outer", "--side", "left"]
    result = routine(runner, *base, *args)
    assert result.exit_code == 2


# --- running ---------------------------------------------------------------------------------

RUN = ["--no-input", "--area", "outer", "--side", "left", "--press-seconds", "1"]
RUN += ["--find-seconds", "0"]  # no time to find each point: the run lasts its plan


def test_a_full_run_prints_the_stored_summary(
    runner: CliRunner, answers_file: MakeAnswers, fake_clock: FakeClock
) -> None:
    plan = plan_json(
        runner, answers_file(), "--area", "outer", "--side", "left", "--press-seconds", "1"
    )
    args = [
        *RUN,
        "--answers",
        str(answers_file()),
        "--pain-before",
        "6",
        "--pain-after",
        "3",
        "--json",
    ]
    result = routine(runner, *args, clock=fake_clock)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary) >= SUMMARY_KEYS
    assert summary["completed"] is True
    assert (summary["pain_before"], summary["pain_after"]) == (6, 3)
    assert summary["points"] == list(dict.fromkeys(s["point"] for s in plan["steps"]))
    started = datetime.fromisoformat(summary["started_at"])
    assert datetime.fromisoformat(summary["ended_at"]) >= started
    # The whole session ran on the fake clock, exactly as long as planned.
    assert fake_clock.time - 1000.0 == pytest.approx(plan["total_seconds"])

    history = runner.invoke(app, ["history", "--json"], catch_exceptions=False)
    assert history.exit_code == 0
    (stored,) = json.loads(history.stdout)["sessions"]
    assert {k: stored[k] for k in SUMMARY_KEYS} == {k: summary[k] for k in SUMMARY_KEYS}


def test_a_full_run_on_screen(
    runner: CliRunner, answers_file: MakeAnswers, fake_clock: FakeClock
) -> None:
    args = [*RUN, "--answers", str(answers_file()), "--pain-before", "6", "--pain-after", "3"]
    result = routine(runner, *args, "--rest-seconds", "2", clock=fake_clock)
    assert result.exit_code == 0, result.output
    out = words(result.stdout)
    assert "Press GB30" in out
    assert "Switch side: now the right side (GB34)" in out
    assert "Rest 2 s" in out
    assert "Session complete. Recorded in your history." in out
    assert "Pain: 6 -> 3 (lower)" in out
    assert "Next session" in out
    assert "\x07" not in result.stdout  # no bell off a terminal
    # the person's own result comes last, after the general advice: it stays on screen
    assert out.index("Next session") < out.index("When to stop") < out.index("Session complete")
    assert result.stdout.rstrip().splitlines()[-1] == "Pain: 6 -> 3 (lower)"


def test_a_run_without_pain_scores_stores_nulls(
    runner: CliRunner, answers_file: MakeAnswers, fake_clock: FakeClock
) -> None:
    result = routine(runner, *RUN, "--answers", str(answers_file()), "--json", clock=fake_clock)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["pain_before"] is None
    assert summary["pain_after"] is None
    (stored,) = sessions()
    assert stored["pain_before"] is None and stored["completed"] is True


class InterruptingClock(FakeClock):
    """Ctrl-C arrives during the third wait of the session."""

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if len(self.sleeps) == 3:
            raise KeyboardInterrupt


@pytest.mark.parametrize("as_json", [True, False])
def test_ctrl_c_exits_130_and_records_an_unfinished_session(
    runner: CliRunner, answers_file: MakeAnswers, as_json: bool
) -> None:
    args = [*RUN, "--answers", str(answers_file()), "--pain-before", "5", "--pain-after", "2"]
    clock = InterruptingClock(start=1000.0)
    result = routine(runner, *args, *(["--json"] if as_json else []), clock=clock)
    assert result.exit_code == 130, result.output
    assert "Traceback" not in result.output
    (stored,) = sessions()
    assert stored["completed"] is False
    assert stored["ended_by"] == "interrupt"
    assert stored["ended_at"] is not None
    assert stored["pain_before"] == 5
    if as_json:
        summary = json.loads(result.stdout)
        assert summary["completed"] is False
        assert {k: summary[k] for k in SUMMARY_KEYS} == {k: stored[k] for k in SUMMARY_KEYS}
    else:
        assert "Session ended early. Recorded in your history." in words(result.stdout)


def test_a_damaged_history_does_not_stop_the_session(
    home: Path, runner: CliRunner, answers_file: MakeAnswers, fake_clock: FakeClock
) -> None:
    home.mkdir(parents=True)
    history_file().write_bytes(GARBAGE)
    args = [*RUN, "--answers", str(answers_file()), "--pain-before", "4", "--pain-after", "2"]
    result = routine(runner, *args, clock=fake_clock)
    assert result.exit_code == 0, result.output
    assert "nothing will be recorded" in words(result.stderr)
    assert str(history_file()) in flat(result.stderr)
    out = words(result.stdout)
    assert "Session complete. Not recorded" in out
    assert "Recorded in your history" not in out
    assert "Pain: 4 -> 2 (lower)" in out
    assert history_file().read_bytes() == GARBAGE


def test_a_damaged_history_still_gives_a_json_summary(
    home: Path, runner: CliRunner, answers_file: MakeAnswers, fake_clock: FakeClock
) -> None:
    home.mkdir(parents=True)
    history_file().write_bytes(GARBAGE)
    result = routine(
        runner,
        *RUN,
        "--answers",
        str(answers_file()),
        "--json",
        "--pain-before",
        "4",
        clock=fake_clock,
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary) >= SUMMARY_KEYS
    assert summary["completed"] is True
    assert history_file().read_bytes() == GARBAGE


def test_a_summary_has_the_same_keys_recorded_or_not(
    home: Path, runner: CliRunner, answers_file: MakeAnswers, fake_clock: FakeClock
) -> None:
    args = [*RUN, "--answers", str(answers_file()), "--json", "--pain-before", "4"]
    recorded = json.loads(routine(runner, *args, clock=fake_clock).stdout)
    home.joinpath("history.sqlite3").write_bytes(GARBAGE)
    lost = json.loads(routine(runner, *args, clock=FakeClock(start=5.0)).stdout)
    assert set(recorded) == set(lost)
    assert isinstance(recorded["id"], int)
    assert lost["id"] is None
    assert lost["minutes"] == recorded["minutes"] > 0
