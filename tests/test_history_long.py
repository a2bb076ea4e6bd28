"""A long history's tables (``history --all``) are drawn a line at a time, exactly as
Rich draws a short one, and a listing keeps no session's plan."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from rich.console import Console
from typer.testing import CliRunner

from hipguide import config
from hipguide.cli import app
from hipguide.dataset import Dataset
from hipguide.store import CheckinRecord, CheckRecord, SessionRecord, Store
from hipguide.ui import historyview
from hipguide.ui.historyview import LongTable, checkins_table, checks_table, sessions_table

START = datetime(2026, 3, 2, 18, 0, tzinfo=timezone.utc)
CODES = ("GB30", "GB29", "GB31", "GB34", "TE14", "LI15", "ST36", "KI3", "88.12")
TIERS = ("self-care", "soon", "urgent", "emergency")


def sessions(count: int) -> list[SessionRecord]:
    """Sessions of every kind: completed, ended early, not finished, a flare-up, no
    points, and point lists long enough to wrap at 80 columns."""
    made = []
    for index in range(count):
        started = START + timedelta(hours=7 * index)
        kind = index % 5
        made.append(
            SessionRecord(
                id=index + 1,
                started_at=started,
                ended_at=None if kind == 3 else started + timedelta(seconds=37 * (index % 29)),
                points=CODES[: index % (len(CODES) + 1)],
                pain_before=None if kind == 4 else index % 11,
                pain_after=None if kind in (2, 3) else (index * 7) % 11,
                completed=kind in (0, 1),
                ended_by=("finished", "finished", "quit", None, "skipped")[kind],
                flare=index % 7 == 0,
            )
        )
    return made


def drawn(table: object, width: int, plain: bool) -> str:
    out = io.StringIO()
    console = Console(
        file=out, width=width, force_terminal=not plain, color_system=None, legacy_windows=False
    )
    console.print(table)
    return out.getvalue()


@pytest.mark.parametrize("plain", [False, True])
@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_a_long_table_is_drawn_as_rich_draws_it(
    monkeypatch: pytest.MonkeyPatch, dataset: Dataset, width: int, plain: bool
) -> None:
    listed = sessions(historyview.LONG_TABLE + 50)
    checks = [
        CheckRecord(i, START + timedelta(hours=i), TIERS[i % 4], {})
        for i in range(historyview.LONG_TABLE + 3)
    ]
    checkins = [
        CheckinRecord(i, START + timedelta(days=7 * i), (i % 11, (i * 3) % 11, 10), 1 + i % 7)
        for i in range(historyview.LONG_TABLE + 1)
    ]
    tables = [
        lambda: sessions_table(listed, plain),
        lambda: checks_table(checks, plain),
        lambda: checkins_table(checkins, dataset, plain),
    ]
    long = [make() for make in tables]
    assert all(isinstance(table, LongTable) for table in long)
    monkeypatch.setattr(historyview, "LONG_TABLE", 10**9)  # Rich's own table, for comparison
    rich = [make() for make in tables]
    assert not any(isinstance(table, LongTable) for table in rich)
    for ours, theirs in zip(long, rich, strict=True):
        assert drawn(ours, width, plain) == drawn(theirs, width, plain)


def test_a_short_table_is_richs_own() -> None:
    assert not isinstance(sessions_table(sessions(historyview.LONG_TABLE)), LongTable)
    assert isinstance(sessions_table(sessions(historyview.LONG_TABLE + 1)), LongTable)


def test_a_long_table_on_a_narrow_screen_fits_it() -> None:
    table = sessions_table(sessions(historyview.LONG_TABLE + 1), plain=True)
    assert isinstance(table, LongTable)
    for width in (45, 60):
        widths = table.widths(width)
        assert sum(widths) + 3 * (len(widths) - 1) + 2 <= width
        assert all(len(line) <= width for line in drawn(table, width, plain=True).splitlines())
    for width in (20, 30, 40):  # too narrow for every column: cut short, as Rich cuts it
        assert "Sessions" in drawn(table, width, plain=True)
    assert "GB30 GB29" in drawn(table, 80, plain=True)


def test_a_long_table_escapes_what_could_act_on_a_terminal() -> None:
    rows = [("2026-03-02 18:00", "bad\x1b[2J\u202e")] * (historyview.LONG_TABLE + 1)
    table = historyview._table(
        "Checks", (("Date", "left", True), ("Verdict", "left", False)), rows, True
    )
    out = drawn(table, 80, plain=True)
    assert "\x1b" not in out and "\u202e" not in out
    assert "bad\\x1b[2J\\u202e" in out


def test_history_all_lists_every_session_of_a_long_history(runner: CliRunner) -> None:
    count = historyview.LONG_TABLE + 30
    with Store.open(config.history_home()) as store:
        for index in range(count):
            started = START + timedelta(days=index)
            session_id = store.start_session(started, {"steps": [{"point": "GB30"}]}, 5)
            store.finish_session(
                session_id, started + timedelta(minutes=10), ["GB30"], 3, True, "finished"
            )
    done = runner.invoke(app, ["history", "--all"], env={"COLUMNS": "80"})
    assert done.exit_code == 0, done.output
    dates = [line for line in done.stdout.splitlines() if line.startswith("|2026-")]
    assert len(dates) == count
    assert dates[0].startswith("|2026-03-02") and "5 -> 3" in dates[0]
    short = runner.invoke(app, ["history"], env={"COLUMNS": "80"})
    assert len([line for line in short.stdout.splitlines() if line.startswith("|20")]) == 20


def test_a_listing_checks_each_plan_but_keeps_none() -> None:
    with Store.open(config.history_home()) as store:
        session_id = store.start_session(START, {"steps": [{"point": "GB30"}]}, 5)
        store.finish_session(
            session_id, START + timedelta(minutes=5), ["GB30"], 3, True, "finished"
        )
        assert store.sessions()[0].plan == {"steps": [{"point": "GB30"}]}
        listed = store.sessions(plans=False)
    assert listed[0].plan == {}
    assert (listed[0].points, listed[0].pain_before, listed[0].pain_after) == (("GB30",), 5, 3)
