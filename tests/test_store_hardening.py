"""The history's defences: whose files it uses, links it never follows, and the modes
it sets (DESIGN.md section 4).

Tests run as one user, so "another user's file" is simulated: either ``os.geteuid``
claims to be someone else, or the stat calls report another owner for one file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from hipguide.errors import ExitCode, StoreError
from hipguide.store import FILE_NAME, Store, history_path

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
