"""The history's course tables: check-ins and flare-ups, the migration that brings them
to every older file, and the bounded reads the routine and the check make."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from hipguide import store as store_module
from hipguide.errors import StoreError
from hipguide.flows.ports import NoHistory
from hipguide.store import Store, history_path

T0 = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)
#: The version that added the check-ins and the flare-up flag.
COURSE_VERSION = 4


def old_file(home: Path, version: int) -> Path:
    """A history as hipguide left it at ``version``: only the first ``version``
    migrations run, with a check, a session and (from version 3) a setting in it."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = history_path(home)
    with closing(sqlite3.connect(path)) as connection:
        for script in store_module.MIGRATIONS[:version]:
            for statement in store_module._statements(script):
                connection.execute(statement)
        if version >= 1:
            connection.execute(
                "INSERT INTO checks (at, tier, answers) VALUES (?, 'self-care', '{}')",
                (T0.isoformat(),),
            )
            connection.execute(
                "INSERT INTO sessions (started_at, ended_at, points, pain_before, pain_after, "
                "completed, ended_by) VALUES (?, ?, '[\"GB30\"]', 6, 4, 1, 'finished')",
                (T0.isoformat(), (T0 + timedelta(minutes=10)).isoformat()),
            )
        if version >= 3:
            connection.execute(
                "INSERT INTO settings (key, value, at) VALUES ('lying', 'no', ?)",
                (T0.isoformat(),),
            )
        connection.execute(f"PRAGMA user_version = {version}")
        connection.commit()
    path.chmod(0o600)
    return path


def test_the_course_is_the_fourth_version() -> None:
    assert len(store_module.MIGRATIONS) >= COURSE_VERSION
    assert "CREATE TABLE checkins" in store_module.MIGRATIONS[COURSE_VERSION - 1]


@pytest.mark.parametrize("version", range(len(store_module.MIGRATIONS)))
def test_every_older_file_upgrades_with_its_data(home: Path, version: int) -> None:
    path = old_file(home, version)

    with Store.open(home) as store:
        sessions = store.sessions()
        assert store.checkins() == []
        store.record_checkin(T0 + timedelta(days=1), (5, 4, 3), 4)
        store.start_session(T0 + timedelta(days=1), {}, 7, flare=True)
        assert [c.peg for c in store.checkins()] == [(5, 4, 3)]
        assert [s.flare for s in store.sessions()] == [False] * len(sessions) + [True]
        if version >= 1:
            [old] = sessions
            assert (old.points, old.pain_before, old.pain_after) == (("GB30",), 6, 4)
            assert [c.tier for c in store.checks()] == ["self-care"]
        if version >= 3:
            assert store.setting("lying") == "no"

    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(store_module.MIGRATIONS)


def test_a_checkin_round_trips_oldest_first(home: Path) -> None:
    with Store.open(home) as store:
        later = store.record_checkin(T0 + timedelta(days=7), (3, 2, 2), 2)
        first = store.record_checkin(T0, (6, 5, 7), 4)
        checkins = store.checkins()

    assert [c.id for c in checkins] == [first, later]
    assert checkins[0].to_dict() == {"at": "2024-03-01T09:30:00+00:00", "peg": [6, 5, 7], "pgic": 4}


@pytest.mark.parametrize(
    ("peg", "pgic"),
    [((11, 0, 0), 4), ((0, -1, 0), 4), ((1, 2), 4), ((1, 2, 3, 4), 4), ((1, 2, 3), 0),
     ((1, 2, 3), 8), ((True, 2, 3), 4)],
)  # fmt: skip
def test_a_checkin_out_of_range_is_refused_before_writing(
    home: Path, peg: tuple[int, ...], pgic: int
) -> None:
    with Store.open(home) as store:
        with pytest.raises(ValueError):
            store.record_checkin(T0, peg, pgic)
        assert store.checkins() == []


def test_the_ends_of_the_checkins(home: Path) -> None:
    with Store.open(home) as store:
        assert store.checkin_ends() == (None, None)
        only = store.record_checkin(T0, (5, 5, 5), 4)
        first, latest = store.checkin_ends()
        assert (first and first.id, latest) == (only, None)
        for week in (1, 2, 3):
            store.record_checkin(T0 + timedelta(weeks=week), (5 - week, 5, 5), 3)
        first, latest = store.checkin_ends()

    assert first is not None and latest is not None
    assert (first.id, first.peg) == (only, (5, 5, 5))
    assert latest.peg == (2, 5, 5)


def hostile(path: Path, sql: str, *parameters: object) -> None:
    """Change the file the way a damaged disk or another program might, checks off."""
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute(sql, parameters)


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE checkins SET at = 'last week' WHERE id = ?",
        "UPDATE checkins SET peg_pain = 99 WHERE id = ?",
        "UPDATE checkins SET pgic = 'much better' WHERE id = ?",
    ],
)
def test_the_ends_pass_over_a_row_they_cannot_read(
    home: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large file is not checked whole on opening (a broken CHECK would show there).
    monkeypatch.setattr(store_module, "QUICK_CHECK_BYTES", 0)
    with Store.open(home) as store:
        ids = [store.record_checkin(T0 + timedelta(weeks=n), (6 - n, 5, 5), 3) for n in range(4)]
    path = history_path(home)
    hostile(path, damage, ids[0])
    hostile(path, damage, ids[-1])

    with Store.open(home) as store:
        first, latest = store.checkin_ends()
        assert first is not None and latest is not None
        assert (first.id, latest.id) == (ids[1], ids[2])
        with pytest.raises(StoreError, match="check-in"):
            store.checkins()
        assert [c.id for c in store.checkins(strict=False)] == ids[1:3]


def test_recent_pains_are_the_latest_scores_newest_first(home: Path) -> None:
    with Store.open(home) as store:
        assert store.recent_pains() == []
        for day, pain in enumerate([1, 2, None, 3, 4, 5, 6, 7]):
            store.start_session(T0 + timedelta(days=day), {}, pain)
        assert store.recent_pains() == [7, 6, 5, 4, 3]
        assert store.recent_pains(2) == [7, 6]


def test_recent_pains_pass_over_a_bad_row(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "QUICK_CHECK_BYTES", 0)
    with Store.open(home) as store:
        ids = [store.start_session(T0 + timedelta(days=d), {}, d) for d in range(6)]
    hostile(history_path(home), "UPDATE sessions SET pain_before = 42 WHERE id = ?", ids[-1])
    hostile(history_path(home), "UPDATE sessions SET started_at = 'soon' WHERE id = ?", ids[-2])

    with Store.open(home) as store:
        assert store.recent_pains() == [3, 2, 1, 0]


def test_a_bad_flare_flag_is_a_bad_row(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "QUICK_CHECK_BYTES", 0)
    with Store.open(home) as store:
        session_id = store.start_session(T0, {}, 5, flare=True)
    hostile(history_path(home), "UPDATE sessions SET flare = 7 WHERE id = ?", session_id)

    with Store.open(home) as store:
        with pytest.raises(StoreError, match="flare"):
            store.sessions()
        assert store.sessions(strict=False).skipped == 1


def test_the_checkin_reads_use_the_index(home: Path) -> None:
    Store.open(home).close()
    with closing(sqlite3.connect(history_path(home))) as connection:
        for order in ("ASC", "DESC"):
            plan = " ".join(
                row[-1]
                for row in connection.execute(
                    f"EXPLAIN QUERY PLAN SELECT * FROM checkins ORDER BY at {order}, id {order}"
                )
            )
            assert "INDEX checkins_at" in plan
            assert "TEMP B-TREE" not in plan


def test_no_history_reads_nothing_and_refuses_to_record(tmp_path: Path) -> None:
    problem = StoreError("the disk is gone")
    nothing = NoHistory(problem, tmp_path / "history.sqlite3")

    assert nothing.checkin_ends() == (None, None)
    assert nothing.recent_pains() == []
    assert nothing.checkins() == []
    with pytest.raises(StoreError):
        nothing.record_checkin(T0, (1, 2, 3), 4)
