"""``hipguide checkin`` and what ``history`` and ``check`` make of check-ins and flare-ups,
through Typer's runner on a fake clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner, Result

from conftest import MakeAnswers
from fakes import FakeClock
from hipguide import config
from hipguide.cli import app
from hipguide.cli._runtime import Runtime
from hipguide.store import Store

T0 = datetime(2024, 3, 4, 18, 0, tzinfo=timezone.utc)


def invoke(runner: CliRunner, *args: str, clock: FakeClock | None = None) -> Result:
    ports = Runtime(clock=clock or FakeClock(wall=T0))
    return runner.invoke(app, list(args), obj=ports)


def words(text: str) -> str:
    return " ".join(text.split())


def test_checkin_json(runner: CliRunner) -> None:
    result = invoke(runner, "checkin", "--no-input", "--peg", "6,5,7", "--pgic", "4", "--json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["at"] == "2024-03-04T18:00:00+00:00"
    assert (data["peg"], data["pgic"], data["peg_mean"]) == ([6, 5, 7], 4, 6.0)
    assert data["recorded"] is True and isinstance(data["id"], int)
    assert data["progress"]["status"] == "too_few"
    assert data["progress"]["min_span_days"] == 28
    assert data["progress"]["min_drop_share"] == 0.3


def test_checkin_text_names_the_measures(runner: CliRunner) -> None:
    result = invoke(runner, "checkin", "--no-input", "--peg", "6,5,7", "--pgic", "3")
    said = words(result.stdout)
    assert result.exit_code == 0
    assert "Check-in recorded: PEG 6, 5, 7 (mean 6), impression of change 3 (a little" in said
    assert "Krebs et al." in said and "Hurst and Bolton" in said and "IMMPACT" in said
    assert "first check-in" in said


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--peg", "6,5"], "three numbers"),
        (["--peg", "6,5,12", "--pgic", "3"], "from 0 to 10"),
        (["--peg", "a,b,c", "--pgic", "3"], "from 0 to 10"),
        (["--peg", "6,5,7", "--pgic", "9"], "from 1 to 7"),
        (["--peg", "6,5,7", "--pgic", "x"], "from 1 to 7"),
        (["--pgic", "3"], "--peg"),
        (["--peg", "1,1,1"], "--pgic"),
    ],
)
def test_bad_or_missing_values_are_exit_2(runner: CliRunner, args: list[str], named: str) -> None:
    result = invoke(runner, "checkin", "--no-input", *args)
    assert result.exit_code == 2
    assert named in words(result.stderr)
    assert result.stdout == ""


def test_a_second_checkin_four_weeks_on_advises_an_assessment(runner: CliRunner) -> None:
    clock = FakeClock(wall=T0)
    invoke(runner, "checkin", "--no-input", "--peg", "6,6,6", "--pgic", "4", clock=clock)
    clock.advance(28 * 86400)
    result = invoke(runner, "checkin", "--no-input", "--peg", "5,5,5", "--pgic", "4", clock=clock)

    said = words(result.stdout)
    assert "Please note" in said
    assert "less than 30 % lower" in said
    assert "no change" in said
    assert "GP or physiotherapist" in said


def test_history_shows_checkins_and_their_trend(runner: CliRunner) -> None:
    clock = FakeClock(wall=T0)
    with Store.open(config.history_home()) as store:
        for day, pain in enumerate([3, 3, 3, 3, 3]):
            store.start_session(T0 + timedelta(days=day), {}, pain)
        store.start_session(T0 + timedelta(days=6), {}, 7, flare=True)
    for week, peg in enumerate(["6,6,6", "5,5,5", "3,4,3"]):
        clock.wall = T0 + timedelta(weeks=week)
        invoke(runner, "checkin", "--no-input", "--peg", peg, "--pgic", "3", clock=clock)

    result = invoke(runner, "history")
    said = words(result.stdout)
    assert result.exit_code == 0, result.output
    assert "PEG by check-in" in said
    assert "Check-ins" in said and "3, 4, 3" in said
    assert "7! ->" in said and "a flare-up" in said
    assert "Whether pressing helps is judged once two check-ins are 28 days" in said
    lines = result.stdout.splitlines()
    assert any("Pain (o before, x after)" in line and "PEG" in line for line in lines)

    data = json.loads(invoke(runner, "history", "--json").stdout)
    assert [c["peg"] for c in data["checkins"]] == [[6, 6, 6], [5, 5, 5], [3, 4, 3]]
    assert set(data["checkins"][0]) == {"at", "peg", "pgic"}
    assert data["checkins"][1]["at"] == "2024-03-11T18:00:00+00:00"
    assert [s["flare"] for s in data["sessions"]] == [False] * 5 + [True]
    assert data["checkin_progress"]["status"] == "too_short"


def test_history_csv_is_sessions_only(runner: CliRunner) -> None:
    invoke(runner, "checkin", "--no-input", "--peg", "6,6,6", "--pgic", "4")
    with Store.open(config.history_home()) as store:
        store.start_session(T0, {}, 7, flare=True)
    rows = invoke(runner, "history", "--csv").stdout.splitlines()
    assert len(rows) == 2
    assert "flare" not in rows[0] and "peg" not in rows[0]


def test_check_counts_checkins_that_show_no_change(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    clock = FakeClock(wall=T0)
    invoke(runner, "checkin", "--no-input", "--peg", "6,6,6", "--pgic", "4", clock=clock)
    clock.advance(35 * 86400)
    invoke(runner, "checkin", "--no-input", "--peg", "6,5,6", "--pgic", "5", clock=clock)

    answers = answers_file(no_improvement="no")
    result = invoke(runner, "check", "--no-input", "--answers", str(answers), "--json", clock=clock)
    data = json.loads(result.stdout)
    assert result.exit_code == 3
    assert data["tier"] == "soon"
    assert [r["id"] for r in data["reasons"]] == ["no_improvement"]
    assert "less than 30 % lower" in data["derived"]["no_improvement"]
