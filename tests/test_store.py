"""The SQLite history: round trips, permissions, migrations, refusals and failures."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from hipguide import store as store_module
from hipguide.errors import ExitCode, StoreError
from hipguide.store import FILE_NAME, Store, history_path, write_error

T0 = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)

# The version-1 layout exactly as it shipped: a real old file looks like this, whatever
# MIGRATIONS turns into later.
V1_SCRIPT = """
CREATE TABLE checks (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, tier TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}', derived TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX checks_at ON checks (at);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT,
    plan TEXT NOT NULL DEFAULT '{}', points TEXT NOT NULL DEFAULT '[]',
    pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
    pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
    completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
    ended_by TEXT
);
CREATE INDEX sessions_started_at ON sessions (started_at);
INSERT INTO checks (at, tier, answers) VALUES
    ('2024-01-02T08:00:00+00:00', 'self-care', '{"fever": "no"}');
INSERT INTO sessions (started_at, ended_at, points, pain_before, pain_after, completed, ended_by)
    VALUES ('2024-01-02T08:05:00+00:00', '2024-01-02T08:15:00+00:00', '["GB30", "ST36"]',
            6, 4, 1, 'finished');
PRAGMA user_version = 1;
"""


@pytest.fixture
def opened(home: Path) -> Iterator[Store]:
    with Store.open(home) as store:
        yield store


@pytest.fixture
def umask_zero() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def build(path: Path, script: str) -> None:
    """Write an SQLite file by hand, the way an older or a foreign program left it
    (private, as every hipguide made its history)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as connection:
        connection.executescript(script)
    path.chmod(0o600)


def user_version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])


def test_round_trip_checks(opened: Store) -> None:
    later = opened.record_check(T0 + timedelta(hours=2), {"fever": "no"}, "self-care")
    earlier = opened.record_check(
        T0, {"fever": "unsure"}, "urgent", derived={"no_improvement": "history"}
    )

    checks = opened.checks()

    assert [c.id for c in checks] == [earlier, later]  # oldest first, not insertion order
    assert checks[0].at == T0
    assert checks[0].answers == {"fever": "unsure"}
    assert checks[0].derived == {"no_improvement": "history"}
    assert checks[0].to_dict()["at"] == "2024-03-01T09:30:00+00:00"
    assert {"at": "2024-03-01T09:30:00+00:00", "tier": "urgent"}.items() <= (
        checks[0].to_dict().items()
    )


@pytest.mark.parametrize(
    ("since", "expected_tier"),
    [
        (T0 - timedelta(days=1), "soon"),  # the newest of the two
        (T0 + timedelta(hours=1), "soon"),  # exactly at its time still counts
        (T0 + timedelta(hours=1, seconds=1), None),
    ],
)
def test_last_check(opened: Store, since: datetime, expected_tier: str | None) -> None:
    opened.record_check(T0, {}, "self-care")
    opened.record_check(T0 + timedelta(hours=1), {}, "soon")

    found = opened.last_check(since)

    assert (found.tier if found else None) == expected_tier


def test_round_trip_session(opened: Store) -> None:
    plan = {"steps": [{"point": "GB30", "side": "left"}], "total_seconds": 600}
    session_id = opened.start_session(T0, plan, pain_before=6)
    opened.finish_session(
        session_id,
        T0 + timedelta(minutes=9, seconds=30),
        ["GB30", "ST36"],
        pain_after=3,
        completed=True,
        ended_by="finished",
    )

    [session] = opened.sessions()

    assert session.plan == plan
    assert session.minutes == 9.5
    assert session.to_dict() == {
        "started_at": "2024-03-01T09:30:00+00:00",
        "ended_at": "2024-03-01T09:39:30+00:00",
        "points": ["GB30", "ST36"],
        "pain_before": 6,
        "pain_after": 3,
        "completed": True,
        "ended_by": "finished",
        "minutes": 9.5,
        "id": session_id,
    }


def test_history_survives_reopening(home: Path) -> None:
    with Store.open(home) as first:
        first.record_check(T0, {"injury": "no"}, "self-care")
        first.start_session(T0, {}, pain_before=None)

    with Store.open(home) as second:
        assert [c.answers for c in second.checks()] == [{"injury": "no"}]
        assert [s.pain_before for s in second.sessions()] == [None]


def test_started_session_without_finish_is_listed(home: Path) -> None:
    crashed = Store.open(home)
    crashed.start_session(T0, {"steps": []}, pain_before=7)
    # The process dies here: no finish_session, no close.

    with Store.open(home) as later:
        [session] = later.sessions()
    crashed.close()

    assert session.completed is False
    assert session.ended_at is None
    assert session.minutes is None
    assert session.pain_before == 7
    assert session.to_dict()["ended_at"] is None


def test_times_are_stored_as_utc_text(opened: Store) -> None:
    paris = timezone(timedelta(hours=2))
    opened.record_check(datetime(2024, 6, 1, 10, 0, tzinfo=paris), {}, "self-care")

    with closing(sqlite3.connect(opened.path)) as raw:
        [(text,)] = raw.execute("SELECT at FROM checks").fetchall()

    assert text == "2024-06-01T08:00:00+00:00"
    assert opened.checks()[0].at == datetime(2024, 6, 1, 8, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277])
def test_new_files_are_private_whatever_the_umask(home: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        with Store.open(home / "nested") as store:
            store.record_check(T0, {}, "self-care")
    finally:
        os.umask(previous)

    assert stat.S_IMODE((home / "nested").stat().st_mode) == 0o700
    assert stat.S_IMODE(history_path(home / "nested").stat().st_mode) == 0o600


def test_an_existing_readable_home_is_used_but_never_changed(
    tmp_path: Path, umask_zero: None
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)

    Store.open(shared).close()

    assert stat.S_IMODE(shared.stat().st_mode) == 0o755  # not hipguide's to change
    assert stat.S_IMODE(history_path(shared).stat().st_mode) == 0o600


def test_an_empty_unversioned_file_is_migrated(home: Path) -> None:
    home.mkdir()
    history_path(home).touch(mode=0o600)  # version 0: no tables, user_version 0

    with Store.open(home) as store:
        assert store.checks() == []

    assert user_version(history_path(home)) == len(store_module.MIGRATIONS)


def test_a_v1_file_opens_with_its_data(home: Path) -> None:
    build(history_path(home), V1_SCRIPT)

    with Store.open(home) as store:
        [check] = store.checks()
        [session] = store.sessions()

    assert check.answers == {"fever": "no"}
    assert (session.points, session.pain_before, session.pain_after) == (("GB30", "ST36"), 6, 4)


def test_a_v1_file_is_upgraded_by_a_later_migration(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(history_path(home), V1_SCRIPT)
    version_2 = """
    ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT '';
    CREATE TRIGGER sessions_note AFTER INSERT ON sessions BEGIN
        UPDATE sessions SET note = 'new' WHERE id = NEW.id;
    END;
    """
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, version_2))

    with Store.open(home) as store:
        store.start_session(T0, {}, pain_before=2)
        assert len(store.sessions()) == 2

    assert user_version(history_path(home)) == len(store_module.MIGRATIONS)  # the added one
    with closing(sqlite3.connect(history_path(home))) as raw:
        notes = [row[0] for row in raw.execute("SELECT note FROM sessions ORDER BY id")]
    assert notes == ["", "new"]


def test_a_failed_migration_leaves_the_file_at_its_version(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(history_path(home), V1_SCRIPT)
    broken = "ALTER TABLE sessions ADD COLUMN note TEXT;\nALTER TABLE nowhere ADD COLUMN x;\n"
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, broken))

    with pytest.raises(StoreError):
        Store.open(home)

    assert user_version(history_path(home)) == 1
    with closing(sqlite3.connect(history_path(home))) as raw:
        columns = [row[1] for row in raw.execute("PRAGMA table_info(sessions)")]
    assert "note" not in columns


def test_a_newer_file_is_refused_and_left_unchanged(home: Path) -> None:
    build(history_path(home), V1_SCRIPT + "PRAGMA user_version = 99;")
    before = history_path(home).read_bytes()

    with pytest.raises(StoreError) as caught:
        Store.open(home)

    message = str(caught.value)
    assert str(history_path(home)) in message
    assert "newer hipguide" in message
    assert "version 99" in message
    assert "move the file aside" in message
    assert caught.value.exit_code == ExitCode.USAGE
    assert history_path(home).read_bytes() == before


def _valid_history(path: Path) -> bytes:
    with Store.open(path.parent) as store:
        for day in range(40):
            store.record_check(T0 + timedelta(days=day), {"note": "x" * 200}, "self-care")
    return path.read_bytes()


def _damaged_page(path: Path) -> bytes:
    data = bytearray(_valid_history(path))
    page = 4096
    data[page : page * 2] = b"\xa5" * page  # the second page: the checks table's b-tree
    return bytes(data)


def _foreign_database(path: Path) -> bytes:
    build(path, "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT);")
    return path.read_bytes()


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda path: os.urandom(8192), "not an SQLite database"),
        (lambda path: b"my notes about the hip\n" * 50, "not an SQLite database"),
        (lambda path: _valid_history(path)[:6000], "damaged"),
        (_damaged_page, "damaged"),
        (_foreign_database, "not a hipguide history"),
    ],
    ids=["random-bytes", "text", "truncated", "damaged-page", "foreign-database"],
)
def test_an_untrusted_file_is_refused_and_left_unchanged(home: Path, make, what: str) -> None:  # type: ignore[no-untyped-def]
    path = history_path(home)
    home.mkdir()
    content = make(path)
    path.write_bytes(content)
    path.chmod(0o600)

    with pytest.raises(StoreError) as caught:
        Store.open(home)

    message = str(caught.value)
    assert str(path) in message
    assert what in message
    assert "move it aside" in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in home.iterdir()) == [FILE_NAME]


def test_forget_removes_the_file_for_real(home: Path) -> None:
    store = Store.open(home)
    store.record_check(T0, {"pregnant": "yes"}, "self-care")
    journal = Path(f"{store.path}-journal")
    journal.write_bytes(b"left over")  # as a crash in the middle of a write leaves it

    store.forget()

    assert not store.path.exists()
    assert not journal.exists()
    assert home.is_dir()
    with pytest.raises(StoreError, match="closed"):
        store.checks()
    with Store.open(home) as fresh:
        assert fresh.checks() == []


def test_two_writers_at_once_both_land(home: Path) -> None:
    Store.open(home).close()
    start = threading.Barrier(2)

    def write(writer: int) -> None:
        with Store.open(home) as store:
            start.wait()
            for n in range(25):
                store.record_check(T0 + timedelta(minutes=n), {f"writer{writer}": "yes"}, "soon")
                session = store.start_session(T0, {"writer": writer}, pain_before=writer)
                store.finish_session(session, T0, ["GB30"], 1, True, "finished")

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(write, writer) for writer in (1, 2)]:
            future.result()

    with Store.open(home) as store:
        writers = sorted(next(iter(c.answers)) for c in store.checks())
        sessions = store.sessions()
    assert writers == ["writer1"] * 25 + ["writer2"] * 25
    assert len(sessions) == 50
    assert all(s.completed for s in sessions)


def test_two_first_opens_at_once_both_succeed(home: Path) -> None:
    start = threading.Barrier(4)

    def open_and_write(n: int) -> None:
        start.wait()
        with Store.open(home) as store:
            store.record_check(T0, {f"q{n}": "no"}, "self-care")

    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(open_and_write, n) for n in range(4)]:
            future.result()

    with Store.open(home) as store:
        assert len(store.checks()) == 4


def test_a_full_disk_records_nothing_and_keeps_earlier_rows(opened: Store) -> None:
    opened.record_check(T0, {"fever": "no"}, "self-care")
    opened.start_session(T0, {}, pain_before=5)
    connection = opened._connection
    assert connection is not None
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow

    with pytest.raises(StoreError) as caught:
        opened.record_check(T0, {"note": "x" * 100_000}, "soon")

    assert "Nothing was recorded" in str(caught.value)
    assert "is full" in str(caught.value)
    assert [c.tier for c in opened.checks()] == ["self-care"]
    assert [s.pain_before for s in opened.sessions()] == [5]


def test_an_unwritable_home_says_nothing_was_recorded(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")

    with pytest.raises(StoreError, match="Nothing was recorded") as caught:
        Store.open(blocker / "home")

    assert str(blocker / "home") in str(caught.value)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (sqlite3.OperationalError("database or disk is full"), "is full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "cannot be written"),
        (PermissionError(13, "Permission denied"), "cannot be written"),
        (sqlite3.OperationalError("database is locked"), "locked by another hipguide"),
        (sqlite3.DatabaseError("database disk image is malformed"), "is damaged"),
        (sqlite3.OperationalError("no such table: checks"), "no such table"),
    ],
)
def test_write_errors_say_nothing_was_recorded_and_why(
    tmp_path: Path, error: BaseException, expected: str
) -> None:
    message = str(write_error(tmp_path / FILE_NAME, error))

    assert message.startswith("Nothing was recorded")
    assert expected in message
    assert str(tmp_path / FILE_NAME) in message


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.record_check(datetime(2024, 1, 1, 9), {}, "self-care"),
        lambda s: s.start_session(datetime(2024, 1, 1, 9), {}, None),
        lambda s: s.start_session(T0, {}, 11),
        lambda s: s.start_session(T0, {}, -1),
        lambda s: s.start_session(T0, {}, True),
    ],
    ids=["naive-check", "naive-session", "pain-11", "pain-negative", "pain-bool"],
)
def test_bad_arguments_are_refused_before_writing(opened: Store, call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        call(opened)

    assert opened.checks() == []
    assert opened.sessions() == []


def test_finishing_an_unknown_session_is_an_error(opened: Store) -> None:
    with pytest.raises(StoreError, match="session 42"):
        opened.finish_session(42, T0, [], None, False, "quit")
