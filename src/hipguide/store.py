"""The history: red-flag checks and acupressure sessions in one SQLite file.

The file is ``history.sqlite3`` inside a home folder chosen by the caller. The
folder is created 0700 and the file 0600, whatever the umask. The schema version
lives in ``PRAGMA user_version`` and :data:`MIGRATIONS` moves a file forward one
version at a time. A file this module cannot trust (damaged, not SQLite, not a
hipguide history, or written by a newer hipguide) is never changed: opening it
raises :class:`~hipguide.errors.StoreError` and leaves every byte in place.

Every write is one transaction; a second writer waits (``busy_timeout``) rather
than fails. Datetimes are stored as ISO 8601 text in UTC.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from hipguide.errors import StoreError

#: Name of the history file inside the home folder.
FILE_NAME = "history.sqlite3"
#: Files SQLite may keep next to the database; :meth:`Store.forget` removes them too.
SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
#: How long a writer waits for another one to finish before giving up.
BUSY_TIMEOUT_SECONDS = 10.0
#: Tables a file must hold to be taken for a hipguide history.
TABLES = frozenset({"checks", "sessions"})

#: Forward migrations: entry ``n`` takes a file from version ``n`` to ``n + 1``.
#: Append a script to add a version; never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    # version 1: the initial layout
    """
    CREATE TABLE checks (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        tier TEXT NOT NULL,
        answers TEXT NOT NULL DEFAULT '{}',
        derived TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX checks_at ON checks (at);
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        plan TEXT NOT NULL DEFAULT '{}',
        points TEXT NOT NULL DEFAULT '[]',
        pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
        pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
        completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
        ended_by TEXT
    );
    CREATE INDEX sessions_started_at ON sessions (started_at);
    """,
)

_MOVE_ASIDE = "hipguide left it untouched; move it aside (rename it) to start a new history."


def history_path(home: Path) -> Path:
    """The history file inside ``home``."""
    return home / FILE_NAME


def format_time(moment: datetime) -> str:
    """ISO 8601 text in UTC, to the second; ``moment`` must carry a time zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a datetime with a time zone is required, got {moment!r}")
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_time(text: str) -> datetime:
    """The aware UTC datetime of a stored timestamp."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


@dataclass(frozen=True)
class CheckRecord:
    """One recorded red-flag check."""

    id: int
    at: datetime
    tier: str
    answers: dict[str, str]
    derived: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The history JSON item: ``at`` and ``tier``, then the answers given."""
        return {
            "at": format_time(self.at),
            "tier": self.tier,
            "answers": dict(self.answers),
            "derived": dict(self.derived),
            "id": self.id,
        }


@dataclass(frozen=True)
class SessionRecord:
    """One acupressure session, finished or not."""

    id: int
    started_at: datetime
    ended_at: datetime | None
    points: tuple[str, ...]
    pain_before: int | None
    pain_after: int | None
    completed: bool
    ended_by: str | None
    plan: dict[str, Any] = field(default_factory=dict)

    @property
    def minutes(self) -> float | None:
        """Minutes from start to end, to one decimal; ``None`` while it has no end."""
        if self.ended_at is None:
            return None
        return round((self.ended_at - self.started_at).total_seconds() / 60, 1)

    def to_dict(self) -> dict[str, Any]:
        """The history JSON item (the plan is left out: it is long and in the run's output)."""
        return {
            "started_at": format_time(self.started_at),
            "ended_at": None if self.ended_at is None else format_time(self.ended_at),
            "points": list(self.points),
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "completed": self.completed,
            "ended_by": self.ended_by,
            "minutes": self.minutes,
            "id": self.id,
        }


def _error_kind(error: BaseException) -> str:
    """Classify an error: ``full``, ``readonly``, ``busy``, ``corrupt``, ``notadb`` or ``other``."""
    name = str(getattr(error, "sqlite_errorname", ""))
    text = str(error).lower()
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return "full"
    if (
        name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN"))
        or "readonly" in text
        or "read-only" in text
        or "unable to open" in text
        or isinstance(error, PermissionError)
    ):
        return "readonly"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return "busy"
    if name.startswith("SQLITE_NOTADB") or "not a database" in text:
        return "notadb"
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return "corrupt"
    return "other"


def write_error(path: Path, error: BaseException) -> StoreError:
    """The :class:`StoreError` for a failed write: nothing was recorded, and why."""
    kind = _error_kind(error)
    if kind == "full":
        return StoreError(
            f"Nothing was recorded: the disk holding {path} is full.",
            "Free some space and run it again.",
        )
    if kind == "readonly":
        return StoreError(
            f"Nothing was recorded: {path} cannot be written (read-only or no permission).",
            "Check the file's permissions or set HIPGUIDE_HOME to a folder you can write.",
        )
    if kind == "busy":
        return StoreError(
            f"Nothing was recorded: {path} stayed locked by another hipguide.",
            "Let the other one finish and run it again.",
        )
    if kind in ("notadb", "corrupt"):
        return StoreError(f"Nothing was recorded: {path} is damaged ({error}).", _MOVE_ASIDE)
    return StoreError(f"Nothing was recorded in {path}: {error}.")


def _read_error(path: Path, error: BaseException) -> StoreError:
    """The :class:`StoreError` for a file that cannot be opened or read."""
    kind = _error_kind(error)
    if kind == "notadb":
        return StoreError(f"The history file {path} is not an SQLite database.", _MOVE_ASIDE)
    if kind == "corrupt":
        return StoreError(f"The history file {path} is damaged ({error}).", _MOVE_ASIDE)
    if kind == "busy":
        return StoreError(
            f"The history file {path} stayed locked by another hipguide.",
            "Let the other one finish and run it again.",
        )
    if kind == "readonly":
        return StoreError(
            f"The history file {path} cannot be opened (no permission or read-only).",
            "Check the file's permissions or set HIPGUIDE_HOME to a folder you can write.",
        )
    return StoreError(f"The history file {path} cannot be read: {error}.", _MOVE_ASIDE)


def _statements(script: str) -> Iterator[str]:
    """Split an SQL script into complete statements (triggers included)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {pending.strip()!r}")


def _prepare_home(home: Path) -> Path:
    """Create the home folder (0700) and an empty history file (0600) if missing, and
    make existing ones private too."""
    path = history_path(home)
    try:
        if not home.is_dir():
            home.mkdir(parents=True, exist_ok=True)
            home.chmod(0o700)
        if not path.exists():
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another hipguide created it a moment ago
            else:
                try:
                    os.fchmod(descriptor, 0o600)  # the umask may have taken bits away
                finally:
                    os.close(descriptor)
    except OSError as error:
        raise StoreError(
            f"Nothing was recorded: the history folder {home} cannot be created or "
            f"written ({error.strerror or error}).",
            "Set HIPGUIDE_HOME to a folder you can write.",
        ) from error
    if not path.is_file():
        raise StoreError(f"The history path {path} is not a regular file.", _MOVE_ASIDE)
    _make_private(home, 0o700)
    _make_private(path, 0o600)
    return path


def _make_private(path: Path, mode: int) -> None:
    """Take away group and other access (a restored backup or a ``touch`` may have left it)."""
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(mode)
    except OSError:
        pass  # not ours to change (another owner): the file's own mode still applies


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    """Bring the file up to the newest version, refusing files it cannot trust."""
    known = len(MIGRATIONS)
    # BEGIN IMMEDIATE takes the write lock, so two hipguides never migrate at once.
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version > known:
            raise StoreError(
                f"The history file {path} was written by a newer hipguide "
                f"(schema version {version}; this one knows up to {known}).",
                "Upgrade hipguide, or move the file aside to start a new history.",
            )
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if version == 0 and tables:
            raise StoreError(
                f"The file {path} is an SQLite database but not a hipguide history.",
                _MOVE_ASIDE,
            )
        if version > 0 and not tables >= TABLES:
            raise StoreError(
                f"The history file {path} is missing tables "
                f"({', '.join(sorted(TABLES - tables))}).",
                _MOVE_ASIDE,
            )
        for target in range(version + 1, known + 1):
            for statement in _statements(MIGRATIONS[target - 1]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {target}")
    except BaseException:
        connection.rollback()
        raise
    connection.commit()


class Store:
    """The history file, open for reading and writing. Use :meth:`open`."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = connection

    @classmethod
    def open(cls, home: Path) -> Store:
        """Open (creating or migrating) the history in ``home``; raises :class:`StoreError`."""
        path = _prepare_home(home)
        try:
            # mode=rw: SQLite must never create the file itself (it would ignore 0600).
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=rw",
                uri=True,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level="IMMEDIATE",
            )
        except sqlite3.Error as error:
            raise _read_error(path, error) from error
        try:
            problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise StoreError(
                    f"The history file {path} is damaged ({'; '.join(problems[:3])}).",
                    _MOVE_ASIDE,
                )
            _migrate(connection, path)
        except StoreError:
            connection.close()
            raise
        except sqlite3.Error as error:
            connection.close()
            raise _read_error(path, error) from error
        return cls(path, connection)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _open_connection(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreError(f"The history {self.path} is closed.")
        return self._connection

    def _write(self, sql: str, parameters: Sequence[object]) -> sqlite3.Cursor:
        """Run one write as its own transaction; map failures to :class:`StoreError`."""
        connection = self._open_connection()
        try:
            with connection:
                return connection.execute(sql, parameters)
        except sqlite3.Error as error:
            raise write_error(self.path, error) from error

    def _read(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        connection = self._open_connection()
        try:
            return connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise _read_error(self.path, error) from error

    def record_check(
        self,
        at: datetime,
        answers: Mapping[str, str],
        tier: str,
        derived: Mapping[str, str] | None = None,
    ) -> int:
        """Record a check: when, the answers given, the verdict's tier, answers derived
        from history (e.g. ``no_improvement``). Returns the check's id."""
        cursor = self._write(
            "INSERT INTO checks (at, tier, answers, derived) VALUES (?, ?, ?, ?)",
            (format_time(at), tier, json.dumps(dict(answers)), json.dumps(dict(derived or {}))),
        )
        return _row_id(cursor)

    def checks(self) -> list[CheckRecord]:
        """Every recorded check, oldest first."""
        rows = self._read("SELECT id, at, tier, answers, derived FROM checks ORDER BY at, id")
        return [_check(row) for row in rows]

    def last_check(self, since: datetime) -> CheckRecord | None:
        """The newest check made at or after ``since``, if any."""
        rows = self._read(
            "SELECT id, at, tier, answers, derived FROM checks WHERE at >= ? "
            "ORDER BY at DESC, id DESC LIMIT 1",
            (format_time(since),),
        )
        return _check(rows[0]) if rows else None

    def start_session(
        self, started_at: datetime, plan: Mapping[str, object], pain_before: int | None
    ) -> int:
        """Record a session as it starts (not completed, no end yet), so that a crash
        still leaves it in the history. Returns the session's id."""
        _check_pain(pain_before)
        cursor = self._write(
            "INSERT INTO sessions (started_at, plan, pain_before) VALUES (?, ?, ?)",
            (format_time(started_at), json.dumps(dict(plan), default=str), pain_before),
        )
        return _row_id(cursor)

    def finish_session(
        self,
        session_id: int,
        ended_at: datetime,
        points: Sequence[str],
        pain_after: int | None,
        completed: bool,
        ended_by: str,
    ) -> None:
        """Record how a started session ended: when, the points pressed, pain after."""
        _check_pain(pain_after)
        cursor = self._write(
            "UPDATE sessions SET ended_at = ?, points = ?, pain_after = ?, completed = ?, "
            "ended_by = ? WHERE id = ?",
            (
                format_time(ended_at),
                json.dumps(list(points)),
                pain_after,
                int(completed),
                ended_by,
                session_id,
            ),
        )
        if cursor.rowcount != 1:
            raise StoreError(
                f"Nothing was recorded: session {session_id} is not in the history {self.path}."
            )

    def sessions(self) -> list[SessionRecord]:
        """Every recorded session, oldest first, finished or not."""
        rows = self._read(
            "SELECT id, started_at, ended_at, points, pain_before, pain_after, completed, "
            "ended_by, plan FROM sessions ORDER BY started_at, id"
        )
        return [_session(row) for row in rows]

    def forget(self) -> None:
        """Delete the whole history for real: close it and remove the file and the
        journal files SQLite may keep beside it. The home folder stays."""
        self.close()
        for candidate in (self.path, *(Path(f"{self.path}{s}") for s in SIDE_SUFFIXES)):
            try:
                candidate.unlink(missing_ok=True)
            except OSError as error:
                raise StoreError(
                    f"The history {candidate} could not be deleted ({error.strerror or error}).",
                    "Delete the file by hand.",
                ) from error

    def close(self) -> None:
        """Close the file; closing twice is harmless."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _row_id(cursor: sqlite3.Cursor) -> int:
    if cursor.lastrowid is None:  # pragma: no cover - sqlite always sets it after an INSERT
        raise StoreError("The history did not return the new row's id.")
    return cursor.lastrowid


def _check_pain(value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not 0 <= value <= 10):
        raise ValueError(f"a pain score is an integer from 0 to 10, got {value!r}")


def _check(row: tuple[Any, ...]) -> CheckRecord:
    check_id, at, tier, answers, derived = row
    return CheckRecord(
        id=int(check_id),
        at=parse_time(at),
        tier=str(tier),
        answers={str(k): str(v) for k, v in json.loads(answers).items()},
        derived={str(k): str(v) for k, v in json.loads(derived).items()},
    )


def _session(row: tuple[Any, ...]) -> SessionRecord:
    session_id, started_at, ended_at, points, before, after, completed, ended_by, plan = row
    return SessionRecord(
        id=int(session_id),
        started_at=parse_time(started_at),
        ended_at=None if ended_at is None else parse_time(ended_at),
        points=tuple(str(code) for code in json.loads(points)),
        pain_before=before,
        pain_after=after,
        completed=bool(completed),
        ended_by=ended_by,
        plan=json.loads(plan),
    )
