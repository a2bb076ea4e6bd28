"""``hipguide history`` through Typer's runner: tables, trend chart, notice, JSON, CSV, forget."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from hipguide import config
from hipguide.cli import app
from hipguide.store import Store

START = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)
GARBAGE = b"SQLite format 2\x00 but not really" * 64
CSV_HEADER = [
    "started_at",
    "ended_at",
    "minutes",
    "points",
    "pain_before",
    "pain_after",
    "completed",
    "ended_by",
]


def history_file() -> Path:
    return config.history_home() / "history.sqlite3"


def history(runner: CliRunner, *args: str, happy: bool = True) -> Result:
    return runner.invoke(app, ["history", *args], catch_exceptions=not happy)


def add_sessions(
    pains: Sequence[tuple[int | None, int | None]],
    every_days: float = 4,
    completed: bool = True,
) -> None:
    """Record one 10-minute session per (pain before, pain after), ``every_days`` apart."""
    with Store.open(config.history_home()) as store:
        for index, (before, after) in enumerate(pains):
            started = START + timedelta(days=index * every_days)
            session_id = store.start_session(started, {"steps": []}, before)
            store.finish_session(
                session_id,
                started + timedelta(minutes=10),
                ["GB30", "GB34"],
                after,
                completed,
                "finished" if completed else "quit",
            )


def add_check(tier: str, at: datetime = START) -> None:
    with Store.open(config.history_home()) as store:
        store.record_check(at, {"injury": "no"}, tier)


def chart_rows(text: str) -> dict[int, str]:
    """The trend chart's rows by pain level: what stands right of the ``|``."""
    rows: dict[int, str] = {}
    for line in text.splitlines():
        head, bar, marks = line.partition("|")
        if bar and head.strip().isdigit() and len(head) == 3:
            rows[int(head)] = marks.rstrip()
    return rows


def test_empty_history_says_how_to_start(runner: CliRunner) -> None:
    result = history(runner)
    assert result.exit_code == 0
    assert "No history yet" in result.stdout


def test_text_view_has_tables_and_a_trend_chart(runner: CliRunner) -> None:
    add_sessions([(7, 5), (6, 6), (5, None)])
    add_check("self-care")
    add_check("soon", START + timedelta(days=2))
    result = history(runner)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Sessions" in out
    assert "Red-flag checks" in out
    assert "GB30 GB34" in out
    assert "7 -> 5" in out and "5 -> -" in out
    assert out.count("completed") == 3
    assert "soon" in out and "self-care" in out
    rows = chart_rows(out)
    assert sorted(rows) == list(range(11))
    assert rows[7] == "o"
    assert rows[5] == "x o"  # session 1: after 5; session 3: before 5
    assert rows[6] == " *"  # session 2: before and after both 6
    assert all(rows[level] == "" for level in (0, 1, 2, 3, 4, 8, 9, 10))
    assert "Please note" not in out


def test_an_early_ending_is_shown(runner: CliRunner) -> None:
    add_sessions([(6, 5)], completed=False)
    out = history(runner).stdout
    assert "ended early (quit)" in out
    assert "completed" not in out.replace("Red-flag", "")


@pytest.mark.parametrize(
    ("befores", "every_days", "stalled"),
    [
        ([6] * 8, 4, True),  # 8 sessions over 28 days, no drop
        ([6, 6, 6, 6, 6, 5, 5, 5], 4, True),  # a drop of 1 point, 17 %
        ([6, 6, 6, 5, 5, 4, 4, 4], 4, False),  # a drop of 2 points
        ([6] * 8, 3, False),  # 21 days: too soon to judge
        ([6] * 7, 5, False),  # 7 sessions: too few
    ],
)
def test_progress_notice_when_pain_is_not_easing(
    runner: CliRunner, befores: list[int], every_days: float, stalled: bool
) -> None:
    add_sessions([(b, b - 1) for b in befores], every_days=every_days)
    result = history(runner)
    assert result.exit_code == 0
    said = " ".join(result.stdout.split())
    assert ("Please note" in said) is stalled
    assert ("ask a GP or physiotherapist to assess the hip" in said) is stalled
    data = json.loads(history(runner, "--json").stdout)
    assert data["progress"]["stalled"] is stalled


def test_json_shape(runner: CliRunner) -> None:
    add_sessions([(7, 4), (None, None)])
    add_check("urgent", START + timedelta(hours=1))
    result = history(runner, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"sessions", "checks", "progress", "checkins"}
    first, second = data["sessions"]
    assert set(first) >= {
        "started_at",
        "ended_at",
        "points",
        "pain_before",
        "pain_after",
        "completed",
    }
    assert first["started_at"] == "2024-03-01T09:30:00+00:00"
    assert first["ended_at"] == "2024-03-01T09:40:00+00:00"
    assert first["points"] == ["GB30", "GB34"]
    assert (first["pain_before"], first["pain_after"]) == (7, 4)
    assert (second["pain_before"], second["pain_after"]) == (None, None)
    assert first["completed"] is True
    (check,) = data["checks"]
    assert check["tier"] == "urgent"
    assert check["at"] == "2024-03-01T10:30:00+00:00"
    assert data["progress"]["sessions"] == 1  # only sessions with a pain score count
    assert data["progress"]["stalled"] is False


def test_csv_header_and_rows(runner: CliRunner) -> None:
    add_sessions([(7, 4), (6, None)])
    result = history(runner, "--csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == CSV_HEADER
    assert float(rows[1][2]) == 10
    assert rows[1][:2] + rows[1][3:] == [
        "2024-03-01T09:30:00+00:00",
        "2024-03-01T09:40:00+00:00",
        "GB30 GB34",
        "7",
        "4",
        "true",
        "finished",
    ]
    assert rows[2][4:6] == ["6", ""]
    assert len(rows) == 3


def test_csv_of_an_empty_history_is_just_the_header(runner: CliRunner) -> None:
    result = history(runner, "--csv")
    assert result.stdout.splitlines() == [",".join(CSV_HEADER)]


def test_forget_yes_removes_the_file(runner: CliRunner) -> None:
    add_sessions([(5, 4)])
    assert history_file().exists()
    result = history(runner, "--forget", "--yes")
    assert result.exit_code == 0, result.output
    assert "History deleted" in result.stdout
    assert not history_file().exists()
    assert json.loads(history(runner, "--json").stdout)["sessions"] == []


def test_forget_with_json_says_so_in_json(runner: CliRunner) -> None:
    add_sessions([(5, 4)])
    result = history(runner, "--forget", "--yes", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"deleted": True, "path": str(history_file())}
    assert not history_file().exists()


def test_forget_without_a_terminal_needs_yes(runner: CliRunner) -> None:
    add_sessions([(5, 4)])
    result = history(runner, "--forget", happy=False)
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert len(json.loads(history(runner, "--json").stdout)["sessions"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--json", "--csv"], "--json and --csv"),
        (["--yes"], "--forget"),
        (["--forget", "--yes", "--csv"], "--csv does not go with --forget"),
    ],
)
def test_conflicting_options_are_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    result = history(runner, *args, happy=False)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args", [[], ["--json"], ["--csv"]])
def test_a_damaged_history_is_exit_2_and_left_alone(
    home: Path, runner: CliRunner, args: list[str]
) -> None:
    home.mkdir(parents=True)
    history_file().write_bytes(GARBAGE)
    result = history(runner, *args, happy=False)
    assert result.exit_code == 2, result.output
    assert str(history_file()) in result.stderr.replace("\n", "")
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert history_file().read_bytes() == GARBAGE


@pytest.mark.parametrize(("columns", "drawn"), [(40, 36), (80, 60), (120, 60)])
def test_the_trend_chart_fits_the_terminal(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int, drawn: int
) -> None:
    add_sessions([(5 + i % 3, 3 + i % 2) for i in range(70)], every_days=1)
    monkeypatch.setenv("COLUMNS", str(columns))
    lines = history(runner).stdout.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("10 |"))
    chart = lines[top : top + 12]
    # one line per level, then the axis: no row was wrapped onto a second line
    assert [line[:4] for line in chart] == [f"{level:>2} |" for level in range(10, -1, -1)] + [
        "   +"
    ]
    assert chart[-1] == "   +" + "-" * drawn
    assert all(len(line) <= columns for line in chart)
    # more sessions than columns: every one is in the trend, as means over spans of days
    assert "all 70 sessions" in " ".join(lines[top - 3 : top])


def test_a_trend_with_room_for_each_session_draws_each_one(runner: CliRunner) -> None:
    add_sessions([(5 + i % 3, 3 + i % 2) for i in range(30)], every_days=1)
    rows = chart_rows(history(runner).stdout)
    before = "".join("o" if rows[5 + i % 3][i : i + 1] in ("o", "*") else "." for i in range(30))
    assert before == "o" * 30
    # the newest session (29) had 7 before and 4 after: the last column
    assert rows[7].endswith("o") and rows[4].endswith("x")
    assert len(rows[0]) <= 30


def test_a_long_trend_is_the_mean_of_each_span_of_time(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 40 sessions a day apart on a chart of 20 columns: each column the mean of two
    monkeypatch.setenv("COLUMNS", "24")
    add_sessions([(8, 6)] * 20 + [(2, 2)] * 20, every_days=1)
    rows = chart_rows(history(runner).stdout)
    assert rows[8].rstrip().startswith("o") and rows[6].startswith("x")
    assert rows[2].endswith("*")  # before and after both 2 at the end
    assert sum(row.count("o") + row.count("*") for row in rows.values()) == 20


def test_only_the_latest_20_sessions_are_listed_unless_all(runner: CliRunner) -> None:
    add_sessions([(5, 3)] * 24 + [(9, 1)], every_days=1)
    shown = history(runner).stdout
    assert len([line for line in shown.splitlines() if "GB30" in line]) == 20
    assert "(9)" not in shown and "The latest 20 of 25 sessions" in shown
    assert "--all" in shown
    everything = history(runner, "--all").stdout
    assert len([line for line in everything.splitlines() if "GB30" in line]) == 25
    assert "The latest" not in everything
    # a machine's copy is always whole
    assert len(json.loads(history(runner, "--json").stdout)["sessions"]) == 25
    assert len(list(csv.reader(io.StringIO(history(runner, "--csv").stdout)))) == 26


def test_the_latest_sessions_listed_are_the_newest(runner: CliRunner) -> None:
    add_sessions([(5, 3)] * 24 + [(9, 1)], every_days=1)
    rows = [line for line in history(runner).stdout.splitlines() if "GB30" in line]
    assert "9 -> 1" in rows[-1]
    first_shown = (START + timedelta(days=5)).astimezone().strftime("%Y-%m-%d")
    assert rows[0].lstrip("|").startswith(first_shown)


def test_only_the_latest_20_checks_are_listed_unless_all(runner: CliRunner) -> None:
    for index in range(22):
        add_check("soon" if index == 0 else "self-care", START + timedelta(hours=index))
    shown = history(runner).stdout
    assert "The latest 20 of 22 checks" in shown
    assert "soon" not in shown.split("Red-flag checks", 1)[1].split("The latest")[0]
    assert "soon" in history(runner, "--all").stdout


def test_a_long_trend_beside_the_peg_trend_says_it_is_of_means(runner: CliRunner) -> None:
    add_sessions([(6, 4)] * 70, every_days=1)
    with Store.open(config.history_home()) as store:
        store.record_checkin(START, (6, 5, 5), 4)
        store.record_checkin(START + timedelta(days=30), (4, 4, 4), 3)
    shown = history(runner).stdout
    title = next(line for line in shown.splitlines() if "PEG by check-in" in line)
    assert title.startswith("Pain, means per 1.") and "days (o before, x after)" in title
