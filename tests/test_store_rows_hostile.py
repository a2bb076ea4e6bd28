"""The history file as hostile input (DESIGN.md sections 4 and 6): rows written by
something other than hipguide, a lock held by another program, and forgetting a history
that cannot be opened.

A row that holds what hipguide never writes (an escape sequence, a bidi control, a tier
that is no verdict, an answer that is no answer) is a row hipguide cannot read: the
strict reads name it, ``history`` says so and exits 2, and ``check`` still gives its
verdict. Nothing from such a row ever reaches the terminal.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from fakes import FakePrompter
from hipguide import store as store_module
from hipguide.cli import app
from hipguide.dataset import Dataset
from hipguide.errors import StoreError
from hipguide.flows.history import forget_history
from hipguide.flows.ports import NoPrompter, open_history
from hipguide.session import EndedBy
from hipguide.store import Store, history_path
from hipguide.triage import ANSWERS

T0 = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)
#: What a terminal would obey: set the window title, clear the screen, reverse the text.
HOSTILE = "\x1b]0;PWN\x07\x1b[2Jemergency\u202e"
#: The bytes that must never reach the output.
RAW = ("\x1b", "\x07", "\u202e", "\u200b")
GARBAGE = b"SQLite format 2\x00 but not really" * 64


def raw(path: Path, sql: str, *parameters: object) -> None:
    """Run ``sql`` on the file directly, as any other program could."""
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute(sql, parameters)
    finally:
        connection.close()


def a_history(home: Path) -> Path:
    """Three checks and three finished sessions, as hipguide writes them."""
    with Store.open(home) as store:
        for n in range(3):
            store.record_check(T0 + timedelta(hours=n), {"fever": "no"}, "self-care")
            started = T0 + timedelta(days=n)
            session = store.start_session(started, {"steps": []}, 5)
            store.finish_session(
                session, started + timedelta(minutes=10), ["GB30"], 3, True, "finished"
            )
    return history_path(home)


def assert_clean(*texts: str) -> None:
    for text in texts:
        for character in RAW:
            assert character not in text, f"{character!r} reached the output: {text!r}"


def history(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["history", *args])


# --- rows hipguide never writes -----------------------------------------------------------

BAD_CHECKS = [
    ("tier", HOSTILE, "its tier '\\x1b]0;PWN\\x07\\x1b[2Jemergency\\u202e' is not a verdict tier"),
    ("tier", "emergency\u202e", "is not a verdict tier"),
    ("tier", "[bold]fine[/]", "its tier '[bold]fine[/]' is not a verdict tier"),
    ("tier", "Emergency", "is not a verdict tier"),
    ("answers", json.dumps({"injury": "\x1b[2Jyes"}), "are not all yes, no or unsure"),
    ("answers", json.dumps({"injury": "maybe"}), "are not all yes, no or unsure"),
    ("answers", json.dumps({"\x1b[31minjury": "yes"}), "the control character U+001B"),
    ("answers", json.dumps({"inj\u200bury": "no"}), "the format character U+200B"),
    ("answers", json.dumps({"": "no"}), "hold an empty id"),
    ("derived", json.dumps({"no_improvement": "\x1b]8;;http://x\x07"}), "U+001B"),
    ("derived", json.dumps({"no_\u202eimprovement": "progress"}), "U+202E"),
]


@pytest.mark.parametrize(("column", "value", "problem"), BAD_CHECKS)
def test_a_check_row_hipguide_never_writes_is_a_row_it_cannot_read(
    home: Path, column: str, value: str, problem: str
) -> None:
    path = a_history(home)
    raw(path, f"UPDATE checks SET {column} = ? WHERE id = 2", value)

    with Store.open(home) as store:
        with pytest.raises(StoreError) as strict:
            store.checks()
        with pytest.raises(StoreError) as recent:
            store.recent_checks(20)
        tolerant = store.checks(strict=False)
        latest = store.last_check(T0 - timedelta(days=1), T0 + timedelta(hours=1, minutes=30))

    for caught in (strict, recent):
        message = str(caught.value)
        assert "holds a check hipguide cannot read (row 2)" in message
        assert problem in message
        assert_clean(message)
    assert [c.id for c in tolerant] == [1, 3] and tolerant.skipped == 1
    assert latest is None  # the newest of the window: no older check stands in for it


BAD_SESSIONS = [
    ("points", json.dumps(["GB30\x1b[2J"]), "are not all codes"),
    ("points", json.dumps(["GB\u202e30"]), "are not all codes"),
    ("points", json.dumps(["环跳"]), "are not all codes"),
    ("points", json.dumps([""]), "are not all codes"),
    ("ended_by", "\x1b]0;PWN\x07quit", "is not a way a session ends"),
    ("ended_by", "stopped", "how it ended, 'stopped', is not a way a session ends"),
    ("plan", json.dumps({"steps": [{"point": "GB30\x1b[5m"}]}), "U+001B"),
    ("plan", json.dumps({"note\u2066": 1}), "the format character U+2066"),
]


@pytest.mark.parametrize(("column", "value", "problem"), BAD_SESSIONS)
def test_a_session_row_hipguide_never_writes_is_a_row_it_cannot_read(
    home: Path, column: str, value: str, problem: str
) -> None:
    path = a_history(home)
    raw(path, f"UPDATE sessions SET {column} = ? WHERE id = 2", value)

    with Store.open(home) as store:
        reads: list[Callable[[], object]] = [
            store.sessions,
            lambda: store.sessions(plans=False),
            lambda: store.recent_sessions(20),
            lambda: store.session(2),
        ]
        for read in reads:
            with pytest.raises(StoreError) as caught:
                read()
            message = str(caught.value)
            assert "holds a session hipguide cannot read (row 2)" in message
            assert problem in message
            assert_clean(message)
        tolerant = store.sessions(strict=False)
        window = store.progress_window()  # reads no text: the verdict's numbers stand

    assert [s.id for s in tolerant] == [1, 3] and tolerant.skipped == 1
    assert window.sessions == 3


def test_every_value_hipguide_writes_is_read_back(home: Path) -> None:
    with Store.open(home) as store:
        for n, tier in enumerate(sorted(store_module.FIXED_TIERS)):
            answers = {"fever": ANSWERS[n % 3], "pregnant": "unsure"}
            store.record_check(T0 + timedelta(hours=n), answers, tier, {"no_improvement": "x"})
        for n, ended_by in enumerate(sorted(store_module.ENDED_BY)):
            started = T0 + timedelta(days=n)
            session = store.start_session(started, {"steps": [{"point": "88.12"}]}, 4)
            store.finish_session(session, started, ["GB30", "88.12"], 2, False, ended_by)
        assert sorted(c.tier for c in store.checks()) == sorted(store_module.FIXED_TIERS)
        assert sorted(str(s.ended_by) for s in store.sessions()) == sorted(store_module.ENDED_BY)


def test_what_the_history_takes_is_what_hipguide_writes(dataset: Dataset) -> None:
    assert {tier.id for tier in dataset.triage.tiers} == store_module.FIXED_TIERS
    assert set(typing.get_args(EndedBy)) == store_module.ENDED_BY
    assert store_module.ANSWER_WORDS == ANSWERS


def test_a_tier_that_is_no_verdict_tier_is_a_bad_row_unsafe_or_not(home: Path) -> None:
    path = a_history(home)
    raw(path, "UPDATE checks SET tier = 'watchful' WHERE id = 1")
    raw(path, "UPDATE checks SET tier = ? WHERE id = 2", "watch\x1b[2J")
    with Store.open(home) as store:
        tolerant = store.checks(strict=False)
    assert tolerant.skipped == 2
    assert [(c.id, c.tier) for c in tolerant] == [(3, "self-care")]


# --- what a person sees -------------------------------------------------------------------


@pytest.mark.parametrize("args", [[], ["--csv"], ["--json"], ["--all"]])
def test_history_names_a_hostile_check_and_prints_none_of_it(
    home: Path, runner: CliRunner, args: list[str]
) -> None:
    path = a_history(home)
    raw(path, "INSERT INTO checks (at, tier) VALUES (?, ?)", "2024-03-02T10:00:00+00:00", HOSTILE)

    result = history(runner, *args)

    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "holds a check hipguide cannot read (row 4)" in result.stderr.replace("\n", " ")
    assert "\\x1b" in result.stderr  # named, as an escape
    assert_clean(result.stdout, result.stderr)


@pytest.mark.parametrize(
    ("column", "value"),
    [("points", json.dumps(["GB30", "\x1b[2JGB34"])), ("ended_by", "\x1b]0;PWN\x07quit")],
)
@pytest.mark.parametrize("args", [[], ["--csv"], ["--json"]])
def test_history_names_a_hostile_session_and_prints_none_of_it(
    home: Path, runner: CliRunner, args: list[str], column: str, value: str
) -> None:
    path = a_history(home)
    raw(path, f"UPDATE sessions SET {column} = ? WHERE id = 3", value)

    result = history(runner, *args)

    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "holds a session hipguide cannot read (row 3)" in result.stderr.replace("\n", " ")
    assert_clean(result.stdout, result.stderr)


@pytest.mark.parametrize("args", [[], ["--csv"], ["--json"], ["--all"]])
def test_history_names_a_session_that_ends_before_it_starts(
    home: Path, runner: CliRunner, args: list[str]
) -> None:
    path = a_history(home)
    raw(path, "UPDATE sessions SET ended_at = ? WHERE id = 3", "2000-01-01T00:00:00+00:00")

    result = history(runner, *args)

    assert result.exit_code == 2, result.output
    assert result.stdout == ""  # no negative length shown
    message = " ".join(result.stderr.split())
    assert "holds a session hipguide cannot read (row 3)" in message
    assert "its end '2000-01-01T00:00:00+00:00' is before its start" in message
    with Store.open(home) as store:
        assert [s.id for s in store.sessions(strict=False)] == [1, 2]
        assert [s.id for s in store.recent_sessions(20, strict=False)] == [1, 2]


def test_a_session_ended_with_the_clock_set_back_is_recorded_as_ending_at_its_start(
    home: Path, runner: CliRunner
) -> None:
    with Store.open(home) as store:
        session = store.start_session(T0, {"steps": []}, 5)
        store.finish_session(session, T0 - timedelta(minutes=7), ["GB30"], 3, True, "finished")
        (recorded,) = store.sessions()
    assert recorded.ended_at == recorded.started_at == T0
    assert recorded.minutes == 0
    assert history(runner).exit_code == 0


def test_history_shows_a_code_that_looks_like_markup_as_it_is(
    home: Path, runner: CliRunner
) -> None:
    path = a_history(home)
    raw(path, "UPDATE sessions SET points = ? WHERE id = 3", json.dumps(["[link=x]GB30[/link]"]))

    result = history(runner)

    assert result.exit_code == 0, result.output
    assert "[link=x]GB30[/link]" in result.stdout  # printable ASCII, shown, never obeyed


def test_check_still_gives_its_verdict_beside_a_hostile_row(home: Path, runner: CliRunner) -> None:
    path = a_history(home)
    now = datetime.now(timezone.utc) - timedelta(hours=1)
    raw(path, "INSERT INTO checks (at, tier) VALUES (?, ?)", now.isoformat(), HOSTILE)

    result = runner.invoke(app, ["check", "--no-input", "--answer", "injury=yes"])

    assert result.exit_code == 5, result.output
    assert "EMERGENCY" in result.stdout
    assert_clean(result.stdout, result.stderr)
    with Store.open(home) as store:
        assert store.checks(strict=False)[-1].tier == "emergency"  # and it was recorded
    assert history(runner).exit_code == 2  # while history names the row


@pytest.mark.parametrize("damage", ["answers = '{'", "tier = 'emergency\u202e'"])
def test_a_routine_never_reuses_an_older_check_past_an_unreadable_newest_one(
    home: Path, runner: CliRunner, all_no: dict[str, str], damage: str
) -> None:
    now = datetime.now(timezone.utc)
    with Store.open(home) as store:
        store.record_check(now - timedelta(hours=3), all_no, "self-care")
        newest = store.record_check(
            now - timedelta(hours=1), {**all_no, "night_pain": "yes"}, "soon"
        )
    raw(history_path(home), f"UPDATE checks SET {damage} WHERE id = ?", newest)

    plan = ["routine", "--plan", "--no-input", "--area", "outer", "--side", "left"]
    result = runner.invoke(app, [*plan, "--lying", "--foot-reach"])

    assert result.exit_code == 2, result.output
    assert "Unanswered question(s) with --no-input" in result.stderr  # as with no check
    assert "Using your check" not in result.output


# --- a lock held by another program ---------------------------------------------------------


@contextmanager
def held(path: Path, how: str = "EXCLUSIVE") -> Iterator[sqlite3.Connection]:
    """A second, real connection holding a lock on the history until the block ends
    (or until the connection is rolled back by the caller)."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        connection.execute(f"BEGIN {how}")
        yield connection
        if connection.in_transaction:
            connection.rollback()
    finally:
        connection.close()


def release_after(connection: sqlite3.Connection, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, connection.commit)
    timer.start()
    return timer


def test_the_wait_before_a_verdict_is_short_but_not_nothing(home: Path) -> None:
    with Store.open(home) as store:
        (waits,) = store._open_connection().execute("PRAGMA busy_timeout").fetchone()
    assert 500 <= waits <= 2000  # milliseconds: enough for hipguide's own brief writes


def test_a_locked_history_costs_the_emergency_verdict_only_the_short_wait(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = a_history(home)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(store_module, "PATIENT_BUSY_TIMEOUT_SECONDS", 30.0)

    with held(path):
        started = time.monotonic()
        result = runner.invoke(app, ["check", "--no-input", "--answer", "injury=yes"])
        waited = time.monotonic() - started

    assert result.exit_code == 5, result.output
    assert "EMERGENCY" in result.stdout
    assert "nothing will be recorded" in result.stderr.lower()
    assert "locked" in result.stderr
    assert waited < 5  # the short wait, never the patient one
    with Store.open(home) as store:
        assert len(store.checks()) == 3  # and nothing was recorded after saying so


def test_a_brief_write_by_another_hipguide_is_waited_for(home: Path) -> None:
    path = a_history(home)
    with Store.open(home) as store, held(path, "IMMEDIATE") as other:
        other.execute("INSERT INTO checks (at, tier) VALUES ('2024-03-05T10:00:00+00:00', 'soon')")
        timer = release_after(other, 0.3)
        store.record_check(T0 + timedelta(days=9), {"fever": "no"}, "self-care")
        timer.join()
        tiers = [c.tier for c in store.checks()]
    assert tiers.count("soon") == 1 and len(tiers) == 5  # neither write was lost


def test_the_end_of_a_session_waits_longer_than_a_check(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = a_history(home)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.05)
    monkeypatch.setattr(store_module, "PATIENT_BUSY_TIMEOUT_SECONDS", 5.0)
    with Store.open(home) as store:
        session = store.start_session(T0 + timedelta(days=9), {}, 6)
        with held(path, "IMMEDIATE") as other:
            with pytest.raises(StoreError, match="locked"):
                store.record_check(T0 + timedelta(days=9), {"fever": "no"}, "self-care")
            timer = release_after(other, 0.3)
            store.finish_session(session, T0 + timedelta(days=9, minutes=5), [], 4, True, "quit")
            timer.join()
        finished = store.session(session)
        (waits,) = store._open_connection().execute("PRAGMA busy_timeout").fetchone()
    assert finished is not None and finished.completed and finished.pain_after == 4
    assert waits == 50  # the patient wait was for that write only


# --- forgetting ----------------------------------------------------------------------------


def test_forget_without_a_terminal_refuses_and_creates_nothing(
    home: Path, runner: CliRunner
) -> None:
    result = history(runner, "--forget")
    assert result.exit_code == 2, result.output
    assert "--yes" in result.stderr
    assert not home.exists()


def test_forget_json_says_nothing_was_deleted_when_there_was_nothing(
    home: Path, runner: CliRunner
) -> None:
    result = history(runner, "--forget", "--yes", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"deleted": False, "path": str(history_path(home))}
    assert not home.exists()


@pytest.mark.parametrize("args", [["--forget", "--yes"], ["--forget", "--yes", "--json"]])
def test_forget_deletes_a_damaged_history_too(
    home: Path, runner: CliRunner, args: list[str]
) -> None:
    home.mkdir(mode=0o700)
    path = history_path(home)
    path.write_bytes(GARBAGE)
    path.chmod(0o600)
    Path(f"{path}-journal").write_bytes(b"half a journal")

    result = history(runner, *args)

    assert result.exit_code == 0, result.output
    if "--json" in args:
        assert json.loads(result.stdout) == {"deleted": True, "path": str(path)}
    else:
        assert "History deleted" in result.stdout
    assert sorted(os.listdir(home)) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX links and owners")
@pytest.mark.parametrize("trouble", ["link", "side_link", "another_user"])
def test_forget_of_a_damaged_history_still_removes_only_the_users_own_regular_files(
    home: Path,
    tmp_path: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    trouble: str,
) -> None:
    home.mkdir(mode=0o700)
    path = history_path(home)
    victim = tmp_path / "victim"
    victim.write_bytes(GARBAGE)
    if trouble == "link":
        path.symlink_to(victim)
    else:
        path.write_bytes(GARBAGE)
        path.chmod(0o600)
    if trouble == "side_link":
        Path(f"{path}-journal").symlink_to(victim)
    if trouble == "another_user":
        monkeypatch.setattr(store_module, "_user_id", lambda: os.geteuid() + 1)
    before = sorted(os.listdir(home))

    result = history(runner, "--forget", "--yes")

    assert result.exit_code == 2, result.output
    assert sorted(os.listdir(home)) == before
    assert victim.read_bytes() == GARBAGE


def test_forgetting_where_there_is_no_history_deletes_nothing(home: Path) -> None:
    outcome = forget_history(
        history_path(home), FakePrompter(confirm_forget=[True]), confirmed=False
    )
    assert (outcome.deleted, outcome.found) == (False, False)
    assert not home.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX links")
def test_a_history_that_cannot_be_forgotten_is_refused_before_asking(
    home: Path, tmp_path: Path
) -> None:
    home.mkdir(mode=0o700)
    (tmp_path / "elsewhere").write_bytes(GARBAGE)
    history_path(home).symlink_to(tmp_path / "elsewhere")
    prompter = FakePrompter()  # any question fails the test
    with pytest.raises(StoreError, match="not a regular file"):
        forget_history(history_path(home), prompter, confirmed=False)
    assert prompter.asked == [] and history_path(home).is_symlink()


def test_forgetting_an_open_history_closes_it_first(home: Path) -> None:
    a_history(home)
    outcome = forget_history(open_history(home), NoPrompter(no_input=True), confirmed=True)
    assert outcome.deleted and not history_path(home).exists()
