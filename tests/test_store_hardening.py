"""The history's defences: whose files it uses, links it never follows, modes it sets,
rows it cannot read, and a long history read without loading it whole (DESIGN.md
section 4).

Tests run as one user, so "another user's file" is simulated: either ``os.geteuid``
claims to be someone else, or the stat calls report another owner for one file.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipguide import store as store_module
from hipguide.errors import ExitCode, StoreError
from hipguide.store import FILE_NAME, ProgressWindow, SessionRecord, Store, history_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX owners, modes and links")

T0 = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)
JOURNAL = f"{FILE_NAME}-journal"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "hipguide-home"


@pytest.fixture
def umask_zero() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def snapshot(root: Path) -> dict[str, tuple[int, bytes | str | None]]:
    """Every entry under ``root`` (links not followed): its mode and bytes, link target,
    or ``None`` for a folder."""
    entries: dict[str, tuple[int, bytes | str | None]] = {}
    for folder, names, files in os.walk(root, followlinks=False):
        for name in [*names, *files]:
            path = Path(folder, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                content: bytes | str | None = os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                content = path.read_bytes()
            else:
                content = None
            entries[str(path.relative_to(root))] = (info.st_mode, content)
    info = os.lstat(root)
    entries["."] = (info.st_mode, None)
    return entries


def a_history(home: Path, checks: int = 2) -> Path:
    """A real, private history with a few checks in it."""
    with Store.open(home) as store:
        for n in range(checks):
            store.record_check(T0 + timedelta(hours=n), {"fever": "no"}, "self-care")
    return history_path(home)


def pretend_foreign(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """Make every stat call report another owner for these files (found by inode)."""
    inodes = {os.lstat(path).st_ino for path in paths}
    for name in ("lstat", "fstat", "stat"):
        real = getattr(os, name)

        def fake(*args: Any, _real: Any = real, **kwargs: Any) -> os.stat_result:
            info = _real(*args, **kwargs)
            if info.st_ino not in inodes:
                return info
            values = list(info)
            values[stat.ST_UID] = info.st_uid + 1
            return os.stat_result(values)

        monkeypatch.setattr(os, name, fake)


def raw(path: Path, sql: str, *parameters: object) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(sql, parameters)


# --- whose files ------------------------------------------------------------------------------


def test_a_folder_of_another_user_is_not_used(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.mkdir(mode=0o700)
    before = snapshot(tmp_path)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1000)

    with pytest.raises(StoreError) as caught:
        Store.open(home)

    message = str(caught.value)
    assert f"The history folder {home} belongs to another user" in message
    assert "left it as it is" in message
    assert caught.value.exit_code == ExitCode.USAGE
    assert snapshot(tmp_path) == before


def test_a_history_file_of_another_user_is_not_used(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = a_history(home)
    before = snapshot(home)
    pretend_foreign(monkeypatch, path)

    with pytest.raises(StoreError, match=f"The history file {path} belongs to another user"):
        Store.open(home)

    monkeypatch.undo()
    assert snapshot(home) == before


def test_a_journal_of_another_user_is_not_used(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = a_history(home)
    journal = home / JOURNAL
    journal.write_bytes(b"")
    journal.chmod(0o600)
    pretend_foreign(monkeypatch, journal)

    with pytest.raises(StoreError, match=r"journal file .* belongs to another user"):
        Store.open(home)

    monkeypatch.undo()
    assert journal.read_bytes() == b""
    assert mode(path) == 0o600


def test_forget_removes_nothing_of_another_user(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = a_history(home)
    store = Store.open(home)
    before = snapshot(home)
    pretend_foreign(monkeypatch, path)

    with pytest.raises(StoreError, match="belongs to another user"):
        store.forget()

    monkeypatch.undo()
    assert snapshot(home) == before


# --- links ------------------------------------------------------------------------------------


def test_a_home_that_is_a_link_is_refused_and_untouched(tmp_path: Path) -> None:
    real = tmp_path / "real"
    a_history(real)
    real.chmod(0o755)
    link = tmp_path / "link"
    link.symlink_to(real)
    before = snapshot(tmp_path)

    with pytest.raises(StoreError) as caught:
        Store.open(link)

    assert f"The history folder {link} is a symbolic link" in str(caught.value)
    assert "left it untouched" in str(caught.value)
    assert snapshot(tmp_path) == before


def test_a_parent_that_is_a_link_is_fine(tmp_path: Path) -> None:
    (tmp_path / "disk").mkdir()
    (tmp_path / "mounted").symlink_to(tmp_path / "disk")
    with Store.open(tmp_path / "mounted" / "home") as store:
        store.record_check(T0, {}, "self-care")
    assert (tmp_path / "disk" / "home" / FILE_NAME).is_file()


@pytest.mark.parametrize(
    "victim_content", [b"", b"my own notes\n"], ids=["empty-victim", "victim-with-data"]
)
def test_a_history_file_that_is_a_link_is_refused_and_its_target_untouched(
    home: Path, tmp_path: Path, victim_content: bytes
) -> None:
    home.mkdir(mode=0o700)
    victim = tmp_path / "victim"
    victim.write_bytes(victim_content)
    victim.chmod(0o644)
    (home / FILE_NAME).symlink_to(victim)
    before = snapshot(tmp_path)

    with pytest.raises(StoreError) as caught:
        Store.open(home)

    assert f"The history file {home / FILE_NAME} is a symbolic link" in str(caught.value)
    assert snapshot(tmp_path) == before  # not made 0600, not turned into a database
    assert victim.read_bytes() == victim_content
    assert mode(victim) == 0o644


def test_a_dangling_link_is_refused_and_nothing_is_created_through_it(
    home: Path, tmp_path: Path
) -> None:
    home.mkdir(mode=0o700)
    target = tmp_path / "elsewhere.sqlite3"
    (home / FILE_NAME).symlink_to(target)

    with pytest.raises(StoreError, match="is a symbolic link"):
        Store.open(home)

    assert not target.exists()


def test_a_journal_that_is_a_link_is_refused_and_untouched(home: Path, tmp_path: Path) -> None:
    a_history(home)
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    (home / JOURNAL).symlink_to(victim)
    before = snapshot(tmp_path)

    with pytest.raises(StoreError) as caught:
        Store.open(home)

    assert "journal file" in str(caught.value)
    assert "symbolic link" in str(caught.value)
    assert snapshot(tmp_path) == before


def test_a_journal_that_is_a_folder_is_refused(home: Path) -> None:
    a_history(home)
    (home / JOURNAL).mkdir()
    with pytest.raises(StoreError, match="not a regular file"):
        Store.open(home)


@pytest.mark.parametrize("name", [FILE_NAME, JOURNAL])
def test_forget_never_removes_or_follows_a_link(home: Path, tmp_path: Path, name: str) -> None:
    a_history(home)
    store = Store.open(home)
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    if name == FILE_NAME:  # swapped for a link while open
        (home / FILE_NAME).unlink()
    (home / name).symlink_to(victim)
    before = snapshot(tmp_path)

    with pytest.raises(StoreError, match="deleted nothing"):
        store.forget()

    assert snapshot(tmp_path) == before


def test_forget_removes_the_files_it_owns(home: Path) -> None:
    a_history(home)
    store = Store.open(home)
    (home / JOURNAL).write_bytes(b"left over")
    (home / "notes.txt").write_text("mine")

    store.forget()

    assert sorted(p.name for p in home.iterdir()) == ["notes.txt"]


# --- modes ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("umask_zero")
def test_every_folder_created_is_private_under_umask_zero(tmp_path: Path) -> None:
    home = tmp_path / "a" / "b" / "c"
    existing = mode(tmp_path)
    with Store.open(home) as store:
        store.record_check(T0, {}, "self-care")

    for folder in (tmp_path / "a", tmp_path / "a" / "b", home):
        assert mode(folder) == 0o700, folder
    assert mode(history_path(home)) == 0o600
    assert mode(tmp_path) == existing  # not hipguide's: left as it was


def test_folders_created_under_a_harsh_umask_can_still_be_used(tmp_path: Path) -> None:
    previous = os.umask(0o777)
    try:
        with Store.open(tmp_path / "a" / "home") as store:
            store.record_check(T0, {}, "self-care")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "a") == 0o700
    assert mode(tmp_path / "a" / "home") == 0o700
    assert mode(tmp_path / "a" / "home" / FILE_NAME) == 0o600


@pytest.mark.parametrize("loose", [0o775, 0o757, 0o777, 0o1777])
def test_a_folder_others_can_write_in_is_not_used_nor_changed(home: Path, loose: int) -> None:
    home.mkdir()
    home.chmod(loose)
    before = snapshot(home)

    with pytest.raises(StoreError) as caught:
        Store.open(home)

    message = str(caught.value)
    assert f"Other users can write in the history folder {home}" in message
    assert f"chmod 700 {home}" in message
    assert snapshot(home) == before
    assert list(home.iterdir()) == []


@pytest.mark.usefixtures("umask_zero")
@pytest.mark.parametrize("loose", [0o644, 0o604, 0o640, 0o666])
def test_a_history_file_others_can_read_is_not_used_nor_changed(home: Path, loose: int) -> None:
    path = a_history(home)
    path.chmod(loose)
    before = snapshot(home)

    with pytest.raises(StoreError) as caught:
        Store.open(home)

    message = str(caught.value)
    assert f"Other users can read or change the history file {path}" in message
    assert f"mode {loose:04o}" in message
    assert f"chmod 600 {path}" in message
    assert snapshot(home) == before

    path.chmod(0o600)  # what the message says to do
    with Store.open(home) as store:
        assert len(store.checks()) == 2


def test_the_chmod_hint_quotes_an_awkward_path(tmp_path: Path) -> None:
    home = tmp_path / "my history; rm -rf ~"
    path = a_history(home)
    path.chmod(0o644)
    with pytest.raises(StoreError) as caught:
        Store.open(home)
    assert f"chmod 600 '{path}'" in str(caught.value)


def test_a_private_file_that_the_user_made_read_only_is_refused_without_a_change(
    home: Path,
) -> None:
    path = a_history(home)
    path.chmod(0o400)
    before = snapshot(home)
    if os.geteuid() == 0:
        pytest.skip("root can write a read-only file")
    with pytest.raises(StoreError, match="cannot be"):
        Store.open(home)
    assert snapshot(home) == before


def test_a_refusal_never_claims_untouched_after_a_change(home: Path, tmp_path: Path) -> None:
    """The red-team case: a loose, damaged file used to be made 0600 and then called
    untouched. Now it is refused before anything happens to it."""
    home.mkdir(mode=0o700)
    path = history_path(home)
    path.write_bytes(b"not a database" * 100)
    path.chmod(0o644)
    before = snapshot(home)

    with pytest.raises(StoreError) as caught:
        Store.open(home)

    assert "as it is" in str(caught.value)
    assert snapshot(home) == before


# --- rows hipguide cannot read ----------------------------------------------------------------

BAD_CHECKS = [
    ("at", "'yesterday'", "its time 'yesterday' is not a date and time"),
    ("at", "'2024-03-01T99:99:99+00:00'", "is not a date and time"),
    ("at", "x'00ff'", "is not a date and time"),
    ("answers", "'{not json'", "its answers '{not json' is not a JSON map"),
    ("answers", "'[1, 2]'", "is not a JSON map"),
    ("answers", "'{\"fever\": 1}'", "are not all text"),
    ("derived", "'" + "[" * 5000 + "'", "is not a JSON map"),
    ("tier", "x'00'", "its tier b'\\x00' is not text"),
]


@pytest.mark.parametrize(("column", "value", "problem"), BAD_CHECKS)
def test_a_bad_check_row_is_named_by_strict_reads_and_skipped_by_tolerant_ones(
    home: Path, column: str, value: str, problem: str
) -> None:
    path = a_history(home, checks=3)
    raw(path, f"UPDATE checks SET {column} = {value} WHERE id = 2")

    with Store.open(home) as store:
        with pytest.raises(StoreError) as caught:
            store.checks()
        tolerant = store.checks(strict=False)
        latest = store.last_check(T0 - timedelta(days=1), T0 + timedelta(days=1))

    message = str(caught.value)
    assert f"The history file {path} holds a check hipguide cannot read (row 2)" in message
    assert problem in message
    assert "\n" not in message
    assert caught.value.exit_code == ExitCode.USAGE
    assert [c.id for c in tolerant] == [1, 3]
    assert tolerant.skipped == 1
    if value == "'2024-03-01T99:99:99+00:00'":  # sorts as the newest of the window
        assert latest is None  # it may have been the newest check: none stands in
    else:
        assert latest is not None and latest.id == 3


def test_last_check_gives_none_when_the_newest_row_is_bad(home: Path) -> None:
    """The newest check might have been the serious one: an older one never stands in."""
    path = a_history(home, checks=2)
    raw(path, "UPDATE checks SET answers = '{' WHERE id = 2")
    with Store.open(home) as store:
        found = store.last_check(T0 - timedelta(days=1), T0 + timedelta(days=1))
        before = store.last_check(T0 - timedelta(days=1), T0 + timedelta(minutes=30))
    assert found is None
    assert before is not None and before.id == 1  # a window the bad row is not in


def test_last_check_passes_over_a_bad_older_row(home: Path) -> None:
    path = a_history(home, checks=2)
    raw(path, "UPDATE checks SET answers = '{' WHERE id = 1")
    with Store.open(home) as store:
        found = store.last_check(T0 - timedelta(days=1), T0 + timedelta(days=1))
    assert found is not None and found.id == 2


def _a_session_history(home: Path, count: int = 6) -> Path:
    with Store.open(home) as store:
        for n in range(count):
            session = store.start_session(T0 + timedelta(days=n), {"n": n}, pain_before=n)
            store.finish_session(
                session, T0 + timedelta(days=n, minutes=10), ["GB30"], 1, True, "finished"
            )
    return history_path(home)


BAD_SESSIONS = [
    ("started_at", "'soon'", "its start 'soon' is not a date and time"),
    ("ended_at", "'2024-02-30T10:00:00+00:00'", "its end"),
    ("points", "'[\"GB30\"'", "its points"),
    ("points", "'[1]'", "are not all codes"),
    ("plan", "'null'", "its plan 'null' is not a JSON map"),
    ("pain_before", "5.5", "its pain before 5.5 is not a score from 0 to 10"),
    (
        "ended_at",
        "'2024-03-01T09:00:00+00:00'",
        "its end '2024-03-01T09:00:00+00:00' is before its start '2024-03-03T09:30:00+00:00'",
    ),
    ("ended_at", "'2024-03-03T09:29:59+00:00'", "is before its start"),  # by a second
    ("ended_at", "'2024-03-03T10:00:00+02:00'", "is before its start"),  # 08:00 UTC
    ("completed", "1", None),  # a good value, as a control
    ("ended_at", "started_at", None),  # a session of no time at all
    ("ended_at", "'2024-03-03T11:00:00+01:00'", None),  # 10:00 UTC: after its start
]


@pytest.mark.parametrize(("column", "value", "problem"), BAD_SESSIONS)
def test_a_bad_session_row_is_named_by_strict_reads_and_skipped_by_tolerant_ones(
    home: Path, column: str, value: str, problem: str | None
) -> None:
    path = _a_session_history(home)
    raw(path, f"UPDATE sessions SET {column} = {value} WHERE id = 3")

    with Store.open(home) as store:
        if problem is None:
            assert len(store.sessions()) == 6
            return
        with pytest.raises(StoreError) as caught:
            store.sessions()
        tolerant = store.sessions(strict=False)
        recent = store.recent_sessions(5, strict=False)
        with pytest.raises(StoreError):
            store.recent_sessions(5)

    assert "holds a session hipguide cannot read (row 3)" in str(caught.value)
    assert problem in str(caught.value)
    assert [s.id for s in tolerant] == [1, 2, 4, 5, 6]
    assert tolerant.skipped == 1
    assert [s.id for s in recent] == [1, 2, 4, 5, 6]


@pytest.mark.parametrize("where", [1, 6], ids=["first", "last"])
def test_the_progress_window_passes_over_a_bad_row_at_either_end(home: Path, where: int) -> None:
    path = _a_session_history(home)
    raw(path, "UPDATE sessions SET started_at = ? WHERE id = ?", "0" if where == 1 else "z", where)

    with Store.open(home) as store:
        window = store.progress_window()
        with pytest.raises(StoreError, match=f"row {where}"):
            list(store.pain_timeline())
        timeline = list(store.pain_timeline(strict=False))

    good = [n for n in range(6) if n + 1 != where]
    assert window.sessions == 5
    assert window.skipped == 1
    assert window.first_pains == tuple(good[:3])
    assert window.last_pains == tuple(good[-3:])
    assert [before for _, before, _ in timeline] == good


def test_a_row_that_sqlite_stores_oddly_is_still_only_skipped(home: Path) -> None:
    path = _a_session_history(home, count=2)
    raw(path, "UPDATE sessions SET started_at = x'deadbeef', pain_before = 4 WHERE id = 1")
    with Store.open(home) as store:
        window = store.progress_window()
        assert [s.id for s in store.sessions(strict=False)] == [2]
    assert (window.sessions, window.skipped, window.first_pains) == (1, 1, (1,))


def test_the_timeline_reads_times_not_written_by_hipguide_as_utc(home: Path) -> None:
    path = a_history(home, checks=0)
    for text in ("2024-03-01T10:30:00+02:00", "2024-03-01T08:30:00"):
        raw(path, "INSERT INTO sessions (started_at, pain_before) VALUES (?, 3)", text)
    with Store.open(home) as store:
        timeline = list(store.pain_timeline())
    assert timeline == [(datetime(2024, 3, 1, 8, 30, tzinfo=timezone.utc), 3, None)] * 2


# --- the clock --------------------------------------------------------------------------------


def test_a_check_from_the_future_is_never_returned(home: Path) -> None:
    now = datetime.now(timezone.utc)
    with Store.open(home) as store:
        store.record_check(now + timedelta(days=30), {}, "self-care")  # the clock was ahead
        assert store.last_check(now - timedelta(hours=24)) is None
        assert store.last_check(now - timedelta(hours=24), now) is None
        store.record_check(now - timedelta(hours=2), {}, "soon")
        found = store.last_check(now - timedelta(hours=24))
    assert found is not None and found.tier == "soon"


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        (T0 + timedelta(hours=1), "soon"),  # exactly at its time still counts
        (T0 + timedelta(minutes=59, seconds=59), "self-care"),
        (T0 - timedelta(seconds=1), None),
    ],
)
def test_last_check_honours_until(home: Path, until: datetime, expected: str | None) -> None:
    with Store.open(home) as store:
        store.record_check(T0, {}, "self-care")
        store.record_check(T0 + timedelta(hours=1), {}, "soon")
        found = store.last_check(T0 - timedelta(days=1), until)
    assert (found.tier if found else None) == expected


def test_a_check_stored_with_another_offset_is_judged_by_its_real_time(home: Path) -> None:
    path = a_history(home, checks=0)
    # 10:30 at +02:00 is 08:30 UTC: inside the window by text, outside it in time.
    raw(path, "INSERT INTO checks (at, tier) VALUES ('2024-03-01T10:30:00+02:00', 'soon')")
    with Store.open(home) as store:
        assert store.last_check(T0, T0 + timedelta(hours=2)) is None


# --- scale ------------------------------------------------------------------------------------


def expected_window(sessions: list[SessionRecord]) -> ProgressWindow:
    """The window as the progress rule computes it from every session."""
    scored = sorted(
        ((s.started_at, s.pain_before) for s in sessions if s.pain_before is not None),
        key=lambda pair: pair[0],
    )
    return ProgressWindow(
        sessions=len(scored),
        first_at=scored[0][0] if scored else None,
        last_at=scored[-1][0] if scored else None,
        first_pains=tuple(pain for _, pain in scored[:3]),
        last_pains=tuple(pain for _, pain in scored[-3:]),
    )


SESSION = st.tuples(
    st.integers(min_value=0, max_value=200),  # minutes after T0: few values, so ties happen
    st.none() | st.integers(min_value=0, max_value=10),
    st.none() | st.integers(min_value=0, max_value=10),
    st.booleans(),  # finished
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    sessions=st.lists(SESSION, max_size=30),
    checks=st.lists(st.integers(min_value=0, max_value=200), max_size=10),
    window=st.tuples(st.integers(0, 200), st.integers(0, 200)),
    recent=st.integers(min_value=0, max_value=35),
)
def test_the_indexed_reads_agree_with_a_full_read(
    tmp_path: Path,
    sessions: list[tuple[int, int | None, int | None, bool]],
    checks: list[int],
    window: tuple[int, int],
    recent: int,
) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder, Store.open(Path(folder)) as store:
        for minute, before, after, finished in sessions:
            started = T0 + timedelta(minutes=minute)
            session_id = store.start_session(started, {}, before)
            if finished:
                store.finish_session(session_id, started, [], after, True, "finished")
        for minute in checks:
            store.record_check(T0 + timedelta(minutes=minute), {}, "self-care")
        everything = store.sessions()
        all_checks = store.checks()

        assert store.progress_window() == expected_window(everything)
        assert store.session_count() == len(everything)
        assert store.recent_sessions(recent) == everything[max(len(everything) - recent, 0) :]
        assert list(store.pain_timeline()) == [
            (s.started_at, s.pain_before, s.pain_after) for s in everything
        ]
        since, until = (T0 + timedelta(minutes=m) for m in sorted(window))
        inside = [c for c in all_checks if since <= c.at <= until]
        newest = max(inside, key=lambda c: (c.at, c.id)) if inside else None
        assert store.last_check(since, until) == newest
        if everything:
            assert store.session(everything[-1].id) == everything[-1]


def test_a_hundred_thousand_sessions(home: Path) -> None:
    path = a_history(home, checks=0)
    count = 100_000
    plan = '{"steps": [{"point": "GB30", "side": "left", "seconds": 90}]}'
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.executemany(
            "INSERT INTO sessions (started_at, ended_at, plan, points, pain_before, "
            "pain_after, completed, ended_by) VALUES (?, ?, ?, '[\"GB30\"]', ?, ?, 1, 'finished')",
            (
                (
                    store_module.format_time(T0 + timedelta(hours=n)),
                    store_module.format_time(T0 + timedelta(hours=n, minutes=10)),
                    plan,
                    None if n % 10 == 9 else n % 11,
                    n % 7,
                )
                for n in range(count)
            ),
        )

    with Store.open(home) as store:
        window = store.progress_window()
        total = store.session_count()
        recent = store.recent_sessions()
        timeline_length = sum(1 for _ in store.pain_timeline())

    last = count - 1
    scored_last = [n for n in range(last, last - 20, -1) if n % 10 != 9][:3][::-1]
    assert window == ProgressWindow(
        sessions=count - count // 10,
        first_at=T0,
        last_at=T0 + timedelta(hours=scored_last[-1]),
        first_pains=(0, 1, 2),
        last_pains=tuple(n % 11 for n in scored_last),
    )
    assert total == timeline_length == count
    assert [s.started_at for s in recent] == [
        T0 + timedelta(hours=n) for n in range(count - 20, count)
    ]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT count(*) FROM sessions WHERE pain_before IS NOT NULL",
        "SELECT id, started_at, pain_before FROM sessions WHERE pain_before IS NOT NULL "
        "ORDER BY started_at DESC, id DESC",
        "SELECT id, started_at, pain_before, pain_after FROM sessions ORDER BY started_at, id",
    ],
)
def test_the_progress_reads_use_the_index_alone(home: Path, query: str) -> None:
    path = a_history(home, checks=0)
    with closing(sqlite3.connect(path)) as connection:
        plan = " ".join(row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {query}"))
    assert "COVERING INDEX sessions_timeline" in plan
    assert "TEMP B-TREE" not in plan  # no sort of the whole table


def test_a_v1_file_gets_the_timeline_index(home: Path) -> None:
    home.mkdir(mode=0o700)
    path = history_path(home)
    with closing(sqlite3.connect(path)) as connection:
        for statement in store_module._statements(store_module.MIGRATIONS[0]):
            connection.execute(statement)
        connection.execute("PRAGMA user_version = 1")
        connection.commit()
    path.chmod(0o600)

    Store.open(home).close()

    with closing(sqlite3.connect(path)) as connection:
        indexes = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
    assert {i for i in indexes if not i.startswith("sqlite_")} == {
        "checks_at",
        "sessions_timeline",
        "sessions_unscored",
        "checkins_at",
    }


def test_a_large_file_is_checked_whole_only_when_asked(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = a_history(home, checks=60)
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xa5" * 4096  # the checks table's first page
    path.write_bytes(bytes(data))
    monkeypatch.setattr(store_module, "QUICK_CHECK_BYTES", 0)

    with pytest.raises(StoreError, match="damaged"):
        Store.open(home, full_check=True)
    with Store.open(home) as store, pytest.raises(StoreError, match=r"damaged|not"):
        store.checks()
    assert path.read_bytes() == bytes(data)
