"""The history: red-flag checks, acupressure sessions and weekly check-ins in one SQLite file.

The file is ``history.sqlite3`` inside a home folder chosen by the caller. The schema
version lives in ``PRAGMA user_version`` and :data:`MIGRATIONS` moves a file forward
one version at a time. A file this module cannot trust (damaged, not SQLite, not a
hipguide history, or written by a newer hipguide) is never changed: opening it raises
:class:`~hipguide.errors.StoreError` and leaves every byte in place.

Whose files (DESIGN.md section 4). The history folder and file must belong to the
user running hipguide and be private, or they are not used (:meth:`Store.open`
raises, saying why, and touches nothing):

- Every folder hipguide creates, parents included, is made one at a time with mode
  0700, and the file it creates 0600, whatever the umask.
- A folder that was already there is never changed. It is refused if it belongs to
  someone else or others may write in it (they could plant a link where SQLite writes
  its journal); one that others may only read or enter is used as it is, since the
  history file inside is private.
- A history file that was already there is never changed either. It is refused if
  it belongs to someone else or others may read it; the message gives the ``chmod``
  that makes it private.
- Nothing is followed through a symbolic link: a home folder, history file or
  journal file that is a link is refused and left alone; files are opened with
  ``O_NOFOLLOW`` relative to the opened folder, and forgetting (:func:`delete_history`)
  removes only regular files of the user's own, damaged or not.

Reading. The file is input from outside (DESIGN.md section 6): anyone who can write
it can put anything in a row. Every field of a row is checked as the row is read, and a
row that holds what hipguide never writes is a row it cannot read: a bad date, bad JSON,
a tier that is not a verdict tier, an answer that is not yes, no or unsure, a point code
that is not printable ASCII, a way of ending that no session has, or text with a control
or format character in it (an escape sequence, a bidi control) anywhere. The strict
reads (:meth:`Store.checks`, :meth:`Store.sessions`, :meth:`Store.checkins`) raise a
:class:`StoreError` naming a row they cannot read; with ``strict=False`` they pass over
it and count it. The reads ``check`` and ``routine`` make before a verdict or a session
(:meth:`Store.last_check`, :meth:`Store.progress_window`, :meth:`Store.checkin_ends`,
:meth:`Store.recent_pains`) always pass over such rows: a bad row never costs a verdict.
None of those reads loads the whole history, so a history of 100,000 sessions opens as
fast as a new one; only the rows read are checked.

Every write is one transaction; a second writer waits (``busy_timeout``) rather than
fails, but not for long while a person may be waiting for a verdict
(:data:`BUSY_TIMEOUT_SECONDS`): hipguide's own writes take milliseconds, so a file still
locked after that is held by something else, and the verdict comes first. The writes
made once the person has what they came for (the end of a session, a check-in) wait
longer (:data:`PATIENT_BUSY_TIMEOUT_SECONDS`), so that a long read by another hipguide
does not lose them. Datetimes are stored as ISO 8601 text in UTC, so their text order is
their time order.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from hipguide.errors import StoreError
from hipguide.records import dataclass, field

#: Name of the history file inside the home folder.
FILE_NAME = "history.sqlite3"
#: Files SQLite may keep next to the database; :meth:`Store.forget` removes them too.
SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
#: How long opening, reading or writing waits for another hipguide to let go of the file
#: before giving up, while a person may be waiting for a verdict.
BUSY_TIMEOUT_SECONDS = 1.5
#: How long the writes made after the verdict (:meth:`Store.finish_session`,
#: :meth:`Store.record_checkin`) wait, so that a long read elsewhere does not lose them.
PATIENT_BUSY_TIMEOUT_SECONDS = 10.0
#: The verdict tiers a recorded check may have (DESIGN.md section 3: every dataset's,
#: which the loader holds to them).
FIXED_TIERS = frozenset({"emergency", "urgent", "soon", "self-care"})
#: The answers a check records (:data:`hipguide.triage.ANSWERS`).
ANSWER_WORDS = ("yes", "no", "unsure")
#: How a session can end (:data:`hipguide.session.EndedBy`).
ENDED_BY = frozenset({"finished", "quit", "interrupt", "signal"})
#: Tables a file must hold to be taken for a hipguide history.
TABLES = frozenset({"checks", "sessions"})
#: A history up to this size is checked whole (``PRAGMA quick_check``) on every open;
#: a bigger one only when asked, so that ``check`` never reads a long history whole.
QUICK_CHECK_BYTES = 4 * 1024 * 1024
#: How many sessions at each end the progress rule averages.
PROGRESS_WINDOW = 3

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
    # version 2: the sessions in time order with their pain scores, so that the
    # progress rule, the session count, the latest sessions and the trend are read
    # from this index alone, never from the (much larger) rows; it replaces the
    # index on started_at, of which it is an extension
    """
    CREATE INDEX IF NOT EXISTS sessions_timeline
        ON sessions (started_at, id, pain_before, pain_after);
    DROP INDEX IF EXISTS sessions_started_at;
    """,
    # version 3: what the person told the routine about themselves, remembered until
    # changed (whether they can lie on the side or front, reach their feet)
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # version 4: the weekly check-ins (the PEG's three items, 0-10, and the Patient
    # Global Impression of Change, 1-7), in time order; and whether the pain before a
    # session showed a flare-up
    """
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        peg_pain INTEGER NOT NULL CHECK (peg_pain BETWEEN 0 AND 10),
        peg_enjoyment INTEGER NOT NULL CHECK (peg_enjoyment BETWEEN 0 AND 10),
        peg_activity INTEGER NOT NULL CHECK (peg_activity BETWEEN 0 AND 10),
        pgic INTEGER NOT NULL CHECK (pgic BETWEEN 1 AND 7)
    );
    CREATE INDEX checkins_at ON checkins (at, id);
    ALTER TABLE sessions ADD COLUMN flare INTEGER NOT NULL DEFAULT 0 CHECK (flare IN (0, 1));
    """,
    # version 5: the sessions with no pain score before pressing, so that the progress
    # rule counts the scored ones (all sessions less these) without reading every row
    """
    CREATE INDEX IF NOT EXISTS sessions_unscored ON sessions (id) WHERE pain_before IS NULL;
    """,
)

_MOVE_ASIDE = "hipguide left it untouched; move it aside (rename it) to start a new history."
_ELSEWHERE = "Set HIPGUIDE_HOME to a folder of your own."

_POSIX = os.name == "posix"
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)
#: Whether names can be opened relative to an open folder (not on Windows).
_RELATIVE = bool(_O_DIRECTORY) and os.open in os.supports_dir_fd

T = TypeVar("T")


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
    flare: bool = False

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


@dataclass(frozen=True)
class CheckinRecord:
    """One weekly check-in: the PEG's three items (average pain, interference with
    enjoyment of life, with general activity; each 0-10) and the PGIC (1-7)."""

    id: int
    at: datetime
    peg: tuple[int, int, int]
    pgic: int

    def to_dict(self) -> dict[str, Any]:
        """The history JSON item: ``at``, ``peg`` and ``pgic``."""
        return {"at": format_time(self.at), "peg": list(self.peg), "pgic": self.pgic}


class Records(list[T]):
    """Records read from the history. ``skipped`` counts the rows a tolerant read
    (``strict=False``) could not read and left out; a strict read raises instead."""

    def __init__(self, items: Iterable[T] = (), skipped: int = 0) -> None:
        super().__init__(items)
        self.skipped = skipped


@dataclass(frozen=True)
class ProgressWindow:
    """What the progress rule needs of the history, and nothing more.

    ``sessions`` counts the sessions with a pain score before pressing; ``first_at``
    and ``last_at`` are when the first and the last of them started; ``first_pains``
    and ``last_pains`` are the scores of the first and the last (up to) three, each
    oldest first. ``skipped`` counts rows passed over because they could not be read.
    """

    sessions: int
    first_at: datetime | None
    last_at: datetime | None
    first_pains: tuple[int, ...]
    last_pains: tuple[int, ...]
    skipped: int = 0


@dataclass(frozen=True)
class PainSpan:
    """One column of the pain trend: the scored sessions started from ``start`` until
    the next span's start (a span of one session while the history holds no more of them
    than the trend has columns), and the means of their pain before and after pressing
    (None when none of them has that score)."""

    start: datetime
    sessions: int
    before: float | None
    after: float | None


@dataclass(frozen=True)
class SessionTotals:
    """The whole history's sessions summed up: how many, how many completed and ended
    early (ended before the plan's end), and the minutes from start to end of those that
    ended."""

    count: int
    completed: int
    ended_early: int
    minutes: float


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


def _set_busy_timeout(connection: sqlite3.Connection, seconds: float) -> None:
    """How long the connection's next statements wait for a lock held elsewhere."""
    connection.execute(f"PRAGMA busy_timeout = {max(0, round(seconds * 1000))}")


# --- whose files -------------------------------------------------------------------------


def _user_id() -> int | None:
    """The effective user id, where the platform has one (not on Windows)."""
    geteuid = getattr(os, "geteuid", None)
    return None if geteuid is None else int(geteuid())


def _mode(info: os.stat_result) -> str:
    return f"{stat.S_IMODE(info.st_mode):04o}"


def _check_owner(what: str, path: Path, info: os.stat_result) -> None:
    """Refuse what belongs to another user."""
    user = _user_id()
    if user is not None and info.st_uid != user:
        raise StoreError(
            f"The {what} {path} belongs to another user (uid {info.st_uid}), so hipguide "
            "does not use it and left it as it is.",
            _ELSEWHERE,
        )


def _link_error(what: str, path: Path) -> StoreError:
    return StoreError(
        f"The {what} {path} is a symbolic link; hipguide does not follow links for its "
        "history and left it untouched.",
        "Put the real folder or file in its place, or set HIPGUIDE_HOME to where it points.",
    )


class _Folder:
    """The history folder, opened without following a link. Names inside it are opened,
    examined and removed relative to the open folder where the platform allows it, so the
    folder cannot be swapped for a link between a check and a use."""

    def __init__(self, path: Path, descriptor: int | None) -> None:
        self.path = path
        self._descriptor = descriptor

    def close(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None

    def lstat(self, name: str) -> os.stat_result | None:
        """What ``name`` is, a link itself rather than what it points to; None if absent."""
        try:
            if self._descriptor is not None:
                return os.lstat(name, dir_fd=self._descriptor)
            return os.lstat(self.path / name)
        except FileNotFoundError:
            return None

    def open(self, name: str, flags: int, mode: int = 0o600) -> int:
        """``os.open`` of ``name`` inside the folder, never through a link."""
        if self._descriptor is not None:
            return os.open(name, flags | _O_NOFOLLOW, mode, dir_fd=self._descriptor)
        return os.open(self.path / name, flags | _O_NOFOLLOW, mode)

    def unlink(self, name: str) -> None:
        if self._descriptor is not None:
            os.unlink(name, dir_fd=self._descriptor)
        else:
            os.unlink(self.path / name)


def _create_folders(home: Path) -> set[Path]:
    """Create ``home`` and each missing parent, one at a time, each 0700 whatever the
    umask; return the folders created (one made meanwhile by another hipguide is not)."""
    missing: list[Path] = []
    current = home
    while True:
        try:
            os.lstat(current)
        except FileNotFoundError:
            missing.append(current)
            if current.parent == current:
                break
            current = current.parent
        else:
            break
    created: set[Path] = set()
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue
        created.add(folder)
        _set_created_mode(folder)
    return created


def _set_created_mode(folder: Path) -> None:
    """Give a folder hipguide has just created exactly 0700 (the umask may have taken
    bits away, so that it could not even be entered)."""
    if not _POSIX:
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW)
    except PermissionError:
        # The umask left it unreadable, so it cannot be opened to fchmod. It is the folder
        # just made (only someone who may write in its parent could swap it meanwhile).
        if stat.S_ISDIR(os.lstat(folder).st_mode):
            os.chmod(folder, 0o700)
        return
    try:
        if stat.S_IMODE(os.fstat(descriptor).st_mode) != 0o700:
            os.fchmod(descriptor, 0o700)
    finally:
        os.close(descriptor)


def _open_home(home: Path, created: bool) -> _Folder:
    """The home folder, opened without following a link, once it is known to be the
    user's own and private enough; raises :class:`StoreError` and changes nothing if not."""
    info = os.lstat(home)
    if stat.S_ISLNK(info.st_mode):
        raise _link_error("history folder", home)
    if not stat.S_ISDIR(info.st_mode):
        raise StoreError(f"The history folder {home} is not a folder.", _ELSEWHERE)
    descriptor = None
    if _RELATIVE:
        try:
            descriptor = os.open(home, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW)
        except OSError as error:
            if error.errno == errno.ELOOP:  # became a link since the look above
                raise _link_error("history folder", home) from None
            raise
        info = os.fstat(descriptor)
    folder = _Folder(home, descriptor)
    try:
        _check_owner("history folder", home, info)
        loose = stat.S_IMODE(info.st_mode) & (0o077 if created else 0o022)
        if _POSIX and loose:
            if created:
                raise StoreError(
                    f"The history folder {home} cannot be made private (mode "
                    f"{_mode(info)}), so hipguide does not keep a history there.",
                    _ELSEWHERE,
                )
            raise StoreError(
                f"Other users can write in the history folder {home} (mode {_mode(info)}), "
                "so hipguide does not keep a private history there and left it as it is.",
                f"Make it yours alone with: chmod 700 {_quoted(home)} "
                "(or set HIPGUIDE_HOME to a folder of your own).",
            )
    except BaseException:
        folder.close()
        raise
    return folder


def _prepare_file(folder: _Folder) -> int:
    """Create an empty private history file if there is none, else check the one there
    (a regular file, the user's own, private); return its size."""
    path = folder.path / FILE_NAME
    info = folder.lstat(FILE_NAME)
    if info is None:
        try:
            descriptor = folder.open(FILE_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            info = folder.lstat(FILE_NAME)  # another hipguide created it a moment ago
        else:
            _make_created_file_private(folder, descriptor)
            return 0
    if info is None:
        raise StoreError(f"The history file {path} disappeared while being opened.")
    if stat.S_ISLNK(info.st_mode):
        raise _link_error("history file", path)
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"The history path {path} is not a regular file.", _MOVE_ASIDE)
    try:
        descriptor = folder.open(FILE_NAME, os.O_RDONLY | _O_NONBLOCK | _O_NOCTTY)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _link_error("history file", path) from None
        raise _read_error(path, error) from None
    try:
        info = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"The history path {path} is not a regular file.", _MOVE_ASIDE)
    _check_owner("history file", path, info)
    if _POSIX and stat.S_IMODE(info.st_mode) & 0o077:
        raise StoreError(
            f"Other users can read or change the history file {path} (mode {_mode(info)}), "
            "so hipguide does not use it and left it as it is.",
            f"If it is yours, make it private with: chmod 600 {_quoted(path)} "
            "(or move it aside to start a new history).",
        )
    return info.st_size


def _make_created_file_private(folder: _Folder, descriptor: int) -> None:
    """Give the empty file hipguide has just created exactly 0600 (the umask may have
    taken bits away); where that cannot be done, remove it again and refuse."""
    try:
        if _POSIX:
            if stat.S_IMODE(os.fstat(descriptor).st_mode) != 0o600:
                os.fchmod(descriptor, 0o600)
            info = os.fstat(descriptor)
            if stat.S_IMODE(info.st_mode) & 0o077:
                folder.unlink(FILE_NAME)
                raise StoreError(
                    f"The history file {folder.path / FILE_NAME} cannot be made private on "
                    f"this file system (mode {_mode(info)}), so hipguide removed the empty "
                    "file it had just created.",
                    _ELSEWHERE,
                )
    finally:
        os.close(descriptor)


def _check_side_files(folder: _Folder) -> None:
    """Refuse a journal file SQLite would write through: a link, not a regular file, or
    another user's."""
    for suffix in SIDE_SUFFIXES:
        name = FILE_NAME + suffix
        info = folder.lstat(name)
        if info is None:
            continue
        side = folder.path / name
        if stat.S_ISLNK(info.st_mode):
            raise StoreError(
                f"The history's journal file {side} is a symbolic link; SQLite would write "
                "through it, so hipguide does not use the history and left it untouched.",
                "Remove the link and run it again.",
            )
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(
                f"The history's journal file {side} is not a regular file, so hipguide "
                "does not use the history and left it untouched.",
                "Move it aside and run it again.",
            )
        _check_owner("history's journal file", side, info)


def _prepare_home(home: Path) -> int:
    """Make sure the history in ``home`` can be used, creating what is missing; return
    the history file's size. Raises :class:`StoreError` saying why it cannot."""
    try:
        created = _create_folders(home)
        folder = _open_home(home, home in created)
        try:
            _check_side_files(folder)  # first: a refusal must not leave a new file behind
            size = _prepare_file(folder)
        finally:
            folder.close()
    except StoreError:
        raise
    except OSError as error:
        raise StoreError(
            f"Nothing was recorded: the history folder {home} cannot be created or "
            f"written ({error.strerror or error}).",
            "Set HIPGUIDE_HOME to a folder you can write.",
        ) from error
    return size


# --- the schema ---------------------------------------------------------------------------


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


_CHECK_COLUMNS = "id, at, tier, answers, derived"
_SESSION_COLUMNS = (
    "id, started_at, ended_at, points, pain_before, pain_after, completed, ended_by, plan, flare"
)
_CHECKIN_COLUMNS = "id, at, peg_pain, peg_enjoyment, peg_activity, pgic"


class Store:
    """The history file, open for reading and writing. Use :meth:`open`."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = connection

    @classmethod
    def open(cls, home: Path, *, full_check: bool = False) -> Store:
        """Open (creating or migrating) the history in ``home``; raises :class:`StoreError`
        when it cannot be used, saying why, and then has changed nothing.

        A file up to :data:`QUICK_CHECK_BYTES` is checked whole for damage; a bigger one
        only with ``full_check`` (damage found later is reported the same way when read).
        """
        path = history_path(home)
        size = _prepare_home(home)
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
            if full_check or size <= QUICK_CHECK_BYTES:
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

    def _write(
        self, sql: str, parameters: Sequence[object], *, patient: bool = False
    ) -> sqlite3.Cursor:
        """Run one write as its own transaction; map failures to :class:`StoreError`.
        A ``patient`` write waits up to :data:`PATIENT_BUSY_TIMEOUT_SECONDS` for the file,
        any other :data:`BUSY_TIMEOUT_SECONDS`."""
        connection = self._open_connection()
        try:
            if patient:
                _set_busy_timeout(connection, PATIENT_BUSY_TIMEOUT_SECONDS)
            try:
                with connection:
                    return connection.execute(sql, parameters)
            finally:
                if patient:
                    _set_busy_timeout(connection, BUSY_TIMEOUT_SECONDS)
        except sqlite3.Error as error:
            raise write_error(self.path, error) from error

    def _read(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        connection = self._open_connection()
        try:
            return connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise _read_error(self.path, error) from error

    def _rows(
        self, sql: str, parameters: Sequence[object] = (), batch: int = 256
    ) -> Iterator[tuple[Any, ...]]:
        """The rows of a query a batch at a time, so a long history is never held whole."""
        connection = self._open_connection()
        try:
            cursor = connection.execute(sql, parameters)
            while rows := cursor.fetchmany(batch):
                yield from rows
        except sqlite3.Error as error:
            raise _read_error(self.path, error) from error

    def _check_row(self, row: tuple[Any, ...]) -> CheckRecord:
        return _check(row)

    def _bad_row(self, what: str, row: tuple[Any, ...], problem: _BadRow) -> StoreError:
        return StoreError(
            f"The history file {self.path} holds a {what} hipguide cannot read "
            f"(row {row[0]}): {problem}.",
            _MOVE_ASIDE,
        )

    def _records(
        self,
        what: str,
        rows: Iterable[tuple[Any, ...]],
        build: Any,
        strict: bool,
        limit: int | None = None,
    ) -> Records[Any]:
        records: Records[Any] = Records()
        for row in rows:
            if limit is not None and len(records) >= limit:
                break
            try:
                records.append(build(row))
            except _BadRow as problem:
                if strict:
                    raise self._bad_row(what, row, problem) from None
                records.skipped += 1
        return records

    # --- checks ------------------------------------------------------------------------

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

    def checks(self, strict: bool = True) -> Records[CheckRecord]:
        """Every recorded check, oldest first. A row that cannot be read (a bad date, bad
        JSON) raises :class:`StoreError` naming it, or with ``strict=False`` is left out
        and counted in ``skipped``."""
        rows = self._rows(f"SELECT {_CHECK_COLUMNS} FROM checks ORDER BY at, id")
        return self._records("check", rows, self._check_row, strict)

    def recent_checks(self, limit: int = 20, *, strict: bool = True) -> Records[CheckRecord]:
        """The latest ``limit`` checks, oldest first (``history`` shows these)."""
        rows = self._rows(
            f"SELECT {_CHECK_COLUMNS} FROM checks ORDER BY at DESC, id DESC",
            batch=max(limit, 1) + 4,
        )
        records = self._records("check", rows, self._check_row, strict, limit=limit)
        records.reverse()
        return records

    def check_count(self) -> int:
        """How many checks the history holds."""
        return int(self._read("SELECT count(*) FROM checks")[0][0])

    def last_check(self, since: datetime, until: datetime | None = None) -> CheckRecord | None:
        """The newest check recorded from ``since`` to ``until`` (default: now), both
        included, or None. One dated after ``until`` (recorded while the clock was
        ahead) is never returned. Only the newest check of the window counts: when its
        row cannot be read, this gives None rather than an older check, which might
        have been less serious (the check is then asked again); it never fails on a
        bad row."""
        end = until if until is not None else datetime.now(timezone.utc)
        rows = self._rows(
            f"SELECT {_CHECK_COLUMNS} FROM checks WHERE at >= ? AND at <= ? "
            "ORDER BY at DESC, id DESC",
            (format_time(since), format_time(end)),
            batch=8,
        )
        for row in rows:
            try:
                record = self._check_row(row)
            except _BadRow:
                return None  # the newest check is unreadable: none may stand in for it
            if since <= record.at <= end:  # the text bounds are to the second
                return record
        return None

    # --- sessions ----------------------------------------------------------------------

    def start_session(
        self,
        started_at: datetime,
        plan: Mapping[str, object],
        pain_before: int | None,
        *,
        flare: bool = False,
    ) -> int:
        """Record a session as it starts (not completed, no end yet), so that a crash
        still leaves it in the history; ``flare`` when its pain before showed a flare-up.
        Returns the session's id."""
        _check_pain(pain_before)
        cursor = self._write(
            "INSERT INTO sessions (started_at, plan, pain_before, flare) VALUES (?, ?, ?, ?)",
            (
                format_time(started_at),
                json.dumps(dict(plan), default=str),
                pain_before,
                int(bool(flare)),
            ),
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
        """Record how a started session ended: when, the points pressed, pain after.
        It waits longer for the file than other writes (the session has run). An end
        before the start (the clock set back meanwhile) is recorded as the start, since
        a session that ends before it starts is a row that cannot be read."""
        _check_pain(pain_after)
        cursor = self._write(
            "UPDATE sessions SET ended_at = max(?, started_at), points = ?, pain_after = ?, "
            "completed = ?, ended_by = ? WHERE id = ?",
            (
                format_time(ended_at),
                json.dumps(list(points)),
                pain_after,
                int(completed),
                ended_by,
                session_id,
            ),
            patient=True,
        )
        if cursor.rowcount != 1:
            raise StoreError(
                f"Nothing was recorded: session {session_id} is not in the history {self.path}."
            )

    def sessions(self, strict: bool = True, *, plans: bool = True) -> Records[SessionRecord]:
        """Every recorded session, oldest first, finished or not. A row that cannot be
        read raises :class:`StoreError` naming it, or with ``strict=False`` is left out
        and counted in ``skipped``. Reads the whole history: ``check`` and ``routine``
        use :meth:`progress_window` and :meth:`session` instead.

        With ``plans=False`` each plan is still checked but not kept (``plan`` is ``{}``):
        a listing of every session then holds a few hundred bytes for each, not its
        whole plan."""
        rows = self._rows(f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY started_at, id")
        return self._records("session", rows, _session if plans else _listed_session, strict)

    def session(self, session_id: int) -> SessionRecord | None:
        """The session with this id, if there is one; :class:`StoreError` if it cannot
        be read."""
        rows = self._read(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        records = self._records("session", rows, _session, strict=True)
        return records[0] if records else None

    def setting(self, key: str) -> str | None:
        """A remembered answer (``lying``, ``foot_reach``), or None when there is none or it
        cannot be read."""
        try:
            rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        except StoreError:
            return None
        value = rows[0][0] if rows else None
        return value if isinstance(value, str) else None

    def remember(self, key: str, value: str, at: datetime) -> None:
        """Keep an answer until it changes (one transaction)."""
        self._write(
            "INSERT INTO settings (key, value, at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, at = excluded.at",
            (key, value, format_time(at)),
        )

    def recent_sessions(self, limit: int = 20, *, strict: bool = True) -> Records[SessionRecord]:
        """The latest ``limit`` sessions, oldest first (``history`` shows these)."""
        rows = self._rows(
            f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY started_at DESC, id DESC",
            batch=max(limit, 1) + 4,
        )
        records = self._records("session", rows, _session, strict, limit=limit)
        records.reverse()
        return records

    def pain_spans(self, columns: int) -> tuple[PainSpan, ...]:
        """The pain trend of the whole history in at most ``columns`` columns, oldest
        first, read from the timeline index and summed by the database, never a row per
        session in Python: each scored session (one with a pain score before or after)
        on its own while there are no more of them than ``columns``, else the means of
        ``columns`` equal spans of time from the first scored session to the last.

        Rows whose start or scores cannot be read are passed over where they are read
        one by one (the ends); inside a span, the database's sums count only the stored
        scores, which the table holds to 0-10.
        """
        columns = max(1, columns)
        newest = self._timeline_end("DESC", columns + 1, after=True)
        if len(newest) <= columns:
            newest.reverse()
            return tuple(PainSpan(at, 1, before, after) for at, before, after in newest)
        start, end = self._timeline_end("ASC", 1, after=True)[0][0], newest[0][0]
        step = (end - start) / columns
        bounds = [format_time(start + step * index) for index in range(columns)]
        connection = self._open_connection()
        spans = []
        try:
            cursor = connection.cursor()
            for index, low in enumerate(bounds):
                last = index + 1 == columns
                high = format_time(end) if last else bounds[index + 1]
                before_n, before, after_n, after, count = cursor.execute(
                    "SELECT count(pain_before), total(pain_before), count(pain_after), "
                    "total(pain_after), count(*) FROM sessions WHERE started_at >= ? AND "
                    f"started_at {'<=' if last else '<'} ? AND "
                    "(pain_before IS NOT NULL OR pain_after IS NOT NULL)",
                    (low, high),
                ).fetchone()
                spans.append(
                    PainSpan(
                        start + step * index,
                        int(count),
                        float(before) / before_n if before_n else None,
                        float(after) / after_n if after_n else None,
                    )
                )
        except sqlite3.Error as error:
            raise _read_error(self.path, error) from error
        return tuple(spans)

    def _timeline_end(
        self, order: str, limit: int, *, after: bool = False, bad: set[int] | None = None
    ) -> list[tuple[datetime, int | None, int | None]]:
        """The first (``ASC``) or last (``DESC``) ``limit`` sessions with a pain score
        before (with ``after``: before or after), in that order, as (start, before,
        after), read from the timeline index. Rows that cannot be read are passed over,
        their ids added to ``bad``; without ``after`` the score after is not read."""
        found: list[tuple[datetime, int | None, int | None]] = []
        if limit <= 0:
            return found
        scored = "pain_before IS NOT NULL" + (" OR pain_after IS NOT NULL" if after else "")
        rows = self._rows(
            f"SELECT id, started_at, pain_before, pain_after FROM sessions WHERE {scored} "
            f"ORDER BY started_at {order}, id {order}",
            batch=limit + 1,
        )
        for row_id, started_at, before, pain_after in rows:
            try:
                at = _time(started_at, "its start")
                score = _score(before, "its pain before")
                later = _score(pain_after, "its pain after") if after else None
            except _BadRow:
                if bad is not None:
                    bad.add(row_id)
                continue
            found.append((at, score, later))
            if len(found) == limit:
                break
        return found

    def session_count(self) -> int:
        """How many sessions the history holds."""
        return int(self._read("SELECT count(*) FROM sessions")[0][0])

    def session_totals(self) -> SessionTotals:
        """Every session summed up in one query, without reading the rows one by one.
        A time that is not a date adds no minutes."""
        count, completed, early, minutes = self._read(
            "SELECT count(*), coalesce(sum(completed = 1), 0), "
            "coalesce(sum(completed = 0 AND ended_at IS NOT NULL), 0), "
            "coalesce(sum(max(0, (julianday(ended_at) - julianday(started_at)) * 1440)), 0) "
            "FROM sessions"
        )[0]
        return SessionTotals(int(count), int(completed), int(early), round(float(minutes), 1))

    def pain_timeline(
        self, strict: bool = True
    ) -> Iterator[tuple[datetime, int | None, int | None]]:
        """Each session's start and pain before and after, oldest first, one at a time:
        the trend of a long history without a record per session. A row that cannot be
        read raises :class:`StoreError`, or with ``strict=False`` is passed over."""
        rows = self._rows(
            "SELECT id, started_at, pain_before, pain_after FROM sessions ORDER BY started_at, id",
            batch=1024,
        )
        from_text, utc, scores = datetime.fromisoformat, timezone.utc, _SCORES
        for row in rows:
            _, started_at, before, after = row
            # The way hipguide writes them, read without a call per field: a long
            # history's trend is this loop.
            try:
                moment = from_text(started_at)
            except (TypeError, ValueError):
                moment = None
            if (
                moment is None
                or moment.tzinfo is not utc
                or before not in scores
                or after not in scores
            ):
                try:
                    moment = _time(started_at, "its start")
                    _score(before, "its pain before")
                    _score(after, "its pain after")
                except _BadRow as problem:
                    if strict:
                        raise self._bad_row("session", row, problem) from None
                    continue
            yield moment, before, after

    def progress_window(self) -> ProgressWindow:
        """What the progress rule needs, read from the index, never the whole history:
        the number of sessions with a pain score before, when the first and the last of
        them started, and the first and last :data:`PROGRESS_WINDOW` scores.

        Rows that cannot be read are passed over (``skipped``). A row whose start time is
        not a timestamp is found only where it would be read (the ends, which are found by
        the text order of the stored times); one hidden in the middle still counts.
        """
        # all sessions (counted from the table's pages) less the unscored ones (from their
        # own small index): no row is read one by one
        count = int(
            self._read(
                "SELECT (SELECT count(*) FROM sessions) - "
                "(SELECT count(*) FROM sessions WHERE pain_before IS NULL)"
            )[0][0]
        )
        bad: set[int] = set()
        first = self._timeline_end("ASC", PROGRESS_WINDOW, bad=bad)
        last = self._timeline_end("DESC", PROGRESS_WINDOW, bad=bad)
        last.reverse()
        return ProgressWindow(
            sessions=count - len(bad),
            first_at=first[0][0] if first else None,
            last_at=last[-1][0] if last else None,
            first_pains=tuple(pain for _, pain, _ in first if pain is not None),
            last_pains=tuple(pain for _, pain, _ in last if pain is not None),
            skipped=len(bad),
        )

    def recent_pains(self, limit: int = 5) -> list[int]:
        """The pain-before scores of the latest ``limit`` sessions that have one, newest
        first (the flare rule's "usual"), read from the index; rows that cannot be read
        are passed over."""
        newest = self._timeline_end("DESC", limit)
        return [pain for _, pain, _ in newest if pain is not None]

    # --- check-ins ---------------------------------------------------------------------

    def record_checkin(self, at: datetime, peg: Sequence[int], pgic: int) -> int:
        """Record a weekly check-in (one transaction); returns its id. It waits longer
        for the file than the writes made before a verdict."""
        _check_checkin(peg, pgic)
        pain, enjoyment, activity = peg
        cursor = self._write(
            "INSERT INTO checkins (at, peg_pain, peg_enjoyment, peg_activity, pgic) "
            "VALUES (?, ?, ?, ?, ?)",
            (format_time(at), pain, enjoyment, activity, pgic),
            patient=True,
        )
        return _row_id(cursor)

    def checkins(self, strict: bool = True) -> Records[CheckinRecord]:
        """Every recorded check-in, oldest first; a row that cannot be read raises
        :class:`StoreError` naming it, or with ``strict=False`` is left out and counted."""
        rows = self._rows(f"SELECT {_CHECKIN_COLUMNS} FROM checkins ORDER BY at, id")
        return self._records("check-in", rows, _checkin, strict)

    def checkin_ends(self) -> tuple[CheckinRecord | None, CheckinRecord | None]:
        """The first and the latest check-in (the latest is None when there is only one),
        read from the index, never the whole table; rows that cannot be read are passed
        over, so this never fails on a bad row."""
        first = self._first_checkin("ASC")
        latest = self._first_checkin("DESC")
        if first is None or latest is None or latest.id == first.id:
            return first, None
        return first, latest

    def _first_checkin(self, order: str) -> CheckinRecord | None:
        rows = self._rows(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins ORDER BY at {order}, id {order}", batch=4
        )
        for row in rows:
            try:
                return _checkin(row)
            except _BadRow:
                continue
        return None

    def forget(self) -> None:
        """Delete the whole history for real: close it and remove the file and the
        journal files SQLite may keep beside it (see :func:`delete_history`)."""
        self.close()
        delete_history(self.path.parent)

    def close(self) -> None:
        """Close the file; closing twice is harmless."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


# --- forgetting -------------------------------------------------------------------------


def history_files(home: Path) -> list[Path]:
    """The history file and the journal files beside it that are in ``home``, each
    checked to be one :func:`delete_history` would remove ([] when there are none).

    Opens nothing with SQLite and creates nothing, so it works on a damaged file too;
    raises :class:`StoreError` when one of them is not a regular file of the user's own,
    or the folder is not one hipguide uses."""
    folder = _forget_folder(home)
    if folder is None:
        return []
    try:
        return [home / name for name in _removable(folder)]
    finally:
        folder.close()


def delete_history(home: Path) -> bool:
    """Delete the history in ``home`` for real, damaged or not: the file and the journal
    files SQLite may keep beside it. The folder stays. Returns whether there was
    anything to delete.

    Only regular files of the user's own are removed, never through a link: if any of
    them is something else, nothing is removed and :class:`StoreError` says why.
    """
    folder = _forget_folder(home)
    if folder is None:
        return False
    try:
        present = _removable(folder)
        for name in present:
            try:
                folder.unlink(name)
            except FileNotFoundError:
                continue  # removed meanwhile (by another hipguide forgetting it)
            except OSError as error:
                raise StoreError(
                    f"The history {home / name} could not be deleted ({error.strerror or error}).",
                    "Delete the file by hand.",
                ) from error
    finally:
        folder.close()
    return bool(present)


def _forget_folder(home: Path) -> _Folder | None:
    """The home folder opened for forgetting, or None when there is none."""
    try:
        return _open_home(home, created=False)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(
            f"The history in {home} could not be deleted ({error.strerror or error}).",
            "Delete the file by hand.",
        ) from error


def _removable(folder: _Folder) -> list[str]:
    """The names of the history's files in ``folder``, once each is known to be a
    regular file of the user's own; :class:`StoreError` if one is not."""
    present: list[str] = []
    for name in (FILE_NAME, *(FILE_NAME + suffix for suffix in SIDE_SUFFIXES)):
        try:
            info = folder.lstat(name)
        except OSError as error:
            raise StoreError(
                f"The history {folder.path / name} could not be examined "
                f"({error.strerror or error}), so hipguide deleted nothing.",
                "Delete the history by hand.",
            ) from error
        if info is None:
            continue
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(
                f"{folder.path / name} is not a regular file (a link or a folder), so "
                "hipguide deleted nothing.",
                "Delete the history by hand.",
            )
        _check_owner("history file", folder.path / name, info)
        present.append(name)
    return present


# --- reading rows --------------------------------------------------------------------------


class _BadRow(Exception):
    """A row hipguide cannot read; the message says what is wrong with it."""


def _row_id(cursor: sqlite3.Cursor) -> int:
    if cursor.lastrowid is None:  # pragma: no cover - sqlite always sets it after an INSERT
        raise StoreError("The history did not return the new row's id.")
    return cursor.lastrowid


def _check_pain(value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not 0 <= value <= 10):
        raise ValueError(f"a pain score is an integer from 0 to 10, got {value!r}")


def _check_checkin(peg: Sequence[int], pgic: int) -> None:
    if len(peg) != 3 or not all(type(v) is int and 0 <= v <= 10 for v in peg):
        raise ValueError(f"the PEG is three integers from 0 to 10, got {peg!r}")
    if type(pgic) is not int or not 1 <= pgic <= 7:
        raise ValueError(f"the PGIC is an integer from 1 to 7, got {pgic!r}")


def _shown(value: object) -> str:
    from hipguide.untrusted import quote

    return quote(value)


def _time(value: object, what: str) -> datetime:
    if isinstance(value, str):
        try:
            return parse_time(value)
        except ValueError:
            pass
    raise _BadRow(f"{what} {_shown(value)} is not a date and time")


def _optional_time(value: object, what: str) -> datetime | None:
    return None if value is None else _time(value, what)


#: Every value a pain score may hold.
_SCORES = frozenset({None, *range(11)})


def _score(value: object, what: str) -> int | None:
    if value is None or (type(value) is int and 0 <= value <= 10):
        return value
    raise _BadRow(f"{what} {_shown(value)} is not a score from 0 to 10")


def _json(value: object, what: str, kind: type) -> Any:
    try:
        data = json.loads(value) if isinstance(value, str) else None
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, kind):
        raise _BadRow(f"{what} {_shown(value)} is not a JSON {'list' if kind is list else 'map'}")
    return data


def _unsafe(text: str) -> str | None:
    """The first control or format character in ``text`` (see
    :func:`hipguide.untrusted.unsafe_character`), or None."""
    if text.isprintable():  # the usual case, without importing anything
        return None
    from hipguide.untrusted import unsafe_character

    return unsafe_character(text)


def _safe(text: str, what: str, value: object) -> str:
    """``text`` (found in ``value``), if it holds no control or format character."""
    character = _unsafe(text)
    if character is not None:
        from hipguide.untrusted import describe_character

        raise _BadRow(f"{what} {_shown(value)} holds {describe_character(character)}")
    return text


def _text_map(value: object, what: str, words: tuple[str, ...] = ()) -> dict[str, str]:
    """A JSON map of ids to text, every key and value free of control and format
    characters; with ``words``, every value one of them."""
    data: dict[str, str] = _json(value, what, dict)
    for key, item in data.items():
        if not isinstance(item, str):
            raise _BadRow(f"{what} {_shown(value)} are not all text")
        if words and item not in words:
            raise _BadRow(
                f"{what} {_shown(value)} are not all {', '.join(words[:-1])} or {words[-1]}"
            )
        if not key:
            raise _BadRow(f"{what} {_shown(value)} hold an empty id")
        _safe(key, what, value)
        _safe(item, what, value)
    return data


def _check(row: tuple[Any, ...]) -> CheckRecord:
    check_id, at, tier, answers, derived = row
    if not isinstance(tier, str):
        raise _BadRow(f"its tier {_shown(tier)} is not text")
    if tier not in FIXED_TIERS:
        raise _BadRow(f"its tier {_shown(tier)} is not a verdict tier")
    return CheckRecord(
        id=int(check_id),
        at=_time(at, "its time"),
        tier=tier,
        answers=_text_map(answers, "its answers", ANSWER_WORDS),
        derived=_text_map(derived, "its derived answers"),
    )


def _item(value: object, low: int, high: int, what: str) -> int:
    if type(value) is int and low <= value <= high:
        return value
    raise _BadRow(f"{what} {_shown(value)} is not a score from {low} to {high}")


def _checkin(row: tuple[Any, ...]) -> CheckinRecord:
    checkin_id, at, pain, enjoyment, activity, pgic = row
    return CheckinRecord(
        id=int(checkin_id),
        at=_time(at, "its time"),
        peg=(
            _item(pain, 0, 10, "its average pain"),
            _item(enjoyment, 0, 10, "its interference with enjoyment"),
            _item(activity, 0, 10, "its interference with activity"),
        ),
        pgic=_item(pgic, 1, 7, "its impression of change"),
    )


def _listed_session(row: tuple[Any, ...]) -> SessionRecord:
    """A session as a listing shows it: every field checked, the plan not kept."""
    return _session(row, keep_plan=False)


def _session(row: tuple[Any, ...], keep_plan: bool = True) -> SessionRecord:
    session_id, started_at, ended_at, points, before, after, completed, ended_by, plan = row[:9]
    flare = row[9]
    codes = _json(points, "its points", list)
    if not all(_is_code(code) for code in codes):
        raise _BadRow(f"its points {_shown(points)} are not all codes")
    if completed not in (0, 1):
        raise _BadRow(f"its completed flag {_shown(completed)} is not 0 or 1")
    if ended_by is not None and ended_by not in ENDED_BY:
        raise _BadRow(f"how it ended, {_shown(ended_by)}, is not a way a session ends")
    if flare not in (0, 1):
        raise _BadRow(f"its flare-up flag {_shown(flare)} is not 0 or 1")
    checked = _plan(plan)  # checked whether it is kept or not
    start = _time(started_at, "its start")
    end = _optional_time(ended_at, "its end")
    if end is not None and end < start:
        raise _BadRow(f"its end {_shown(ended_at)} is before its start {_shown(started_at)}")
    return SessionRecord(
        id=int(session_id),
        started_at=start,
        ended_at=end,
        points=tuple(codes),
        pain_before=_score(before, "its pain before"),
        pain_after=_score(after, "its pain after"),
        completed=bool(completed),
        ended_by=ended_by,
        plan=checked if keep_plan else {},
        flare=bool(flare),
    )


def _is_code(code: object) -> bool:
    """Whether ``code`` is a point code: printable ASCII, not empty."""
    return isinstance(code, str) and code.isascii() and code.isprintable() and bool(code)


def _plan(value: object) -> dict[str, Any]:
    """A session's stored plan: a JSON map whose every text (keys too) is free of
    control and format characters."""
    plan: dict[str, Any] = _json(value, "its plan", dict)
    assert isinstance(value, str)
    if value.isprintable() and "\\" not in value:
        return plan  # no text in it can hold one: the usual case, without a walk
    pending: list[object] = [plan]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _unsafe(item) is not None:
                _safe(item, "a text in its plan", item)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return plan


def _quoted(path: object) -> str:
    """``path`` quoted for a shell command the person may copy (only ever in a message)."""
    import shlex

    return shlex.quote(str(path))
