"""The files hipguide writes (``card --out``, ``report --out``, ``remind --ics``, ``points
--picture``): private whatever the umask, never written into a named pipe, a device, a
socket or a folder, never through a symbolic link, an existing regular file replaced
only with ``--force`` (``--picture`` has none: it never replaces), and the line that
says where it went shows the path escaped.

Devices are made with ``os.mknod`` inside ``tmp_path`` only (the test is skipped where
that is not permitted). While a test runs against a named pipe it holds the pipe open
for reading, so a writer that wrongly opened it would not hang the test, and whatever
it wrote would be found in the pipe.
"""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conftest import MakeAnswers
from fakes import FakeClock
from hipguide.cli import app
from hipguide.cli._runtime import Runtime
from hipguide.errors import UsageError
from hipguide.store import Store
from hipguide.ui import html

pytestmark = pytest.mark.skipif(
    os.name != "posix", reason="named pipes, devices, sockets and file modes of POSIX"
)

WALL = datetime(2025, 3, 4, 9, 30, tzinfo=timezone.utc)
ESCAPES = "\x1b[31mred\u202eevil"

Writer = Callable[..., Result]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.output
    return " ".join(result.stderr.split())


@pytest.fixture
def writers(
    runner: CliRunner, answers_file: MakeAnswers, home: Path
) -> dict[str, tuple[Writer, str]]:
    """Each command that writes a file: a function of the target (and more options) that
    runs it, and the file's suffix."""
    answers = str(answers_file())
    with Store.open(home) as store:
        store.record_check(WALL - timedelta(days=2), {"worsening": "no"}, "self-care")
        sid = store.start_session(WALL - timedelta(days=1), {"steps": []}, 5)
        store.finish_session(sid, WALL - timedelta(days=1), ("GB30",), 3, True, "finished")

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), obj=Runtime(clock=FakeClock(wall=WALL)))

    def card(target: Path, *more: str) -> Result:
        place = ["--no-input", "--area", "outer", "--side", "left", "--answers", answers]
        return run("card", *place, "--out", str(target), *more)

    def report(target: Path, *more: str) -> Result:
        return run("report", "--out", str(target), *more)

    def remind(target: Path, *more: str) -> Result:
        return run("remind", "--ics", str(target), "--timezone", "Europe/London", *more)

    def picture(target: Path, *more: str) -> Result:
        return run("points", "GB30", "--picture", str(target), *more)

    return {
        "card": (card, ".html"),
        "report": (report, ".html"),
        "remind": (remind, ".ics"),
        "picture": (picture, ".svg"),
    }


FORCEABLE = ("card", "report", "remind")
ALL = (*FORCEABLE, "picture")


# --- private files -----------------------------------------------------------------------------


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o277])
@pytest.mark.parametrize("command", ALL)
def test_a_new_file_is_private_whatever_the_umask(
    writers: dict[str, tuple[Writer, str]], tmp_path: Path, command: str, mask: int
) -> None:
    write, suffix = writers[command]
    target = tmp_path / f"new{suffix}"
    with umask(mask):
        result = write(target)
    assert result.exit_code == 0, result.output
    assert mode(target) == 0o600
    assert target.stat().st_size > 0


@pytest.mark.parametrize("command", FORCEABLE)
def test_force_replaces_a_regular_file_with_a_private_one(
    writers: dict[str, tuple[Writer, str]], tmp_path: Path, command: str
) -> None:
    write, suffix = writers[command]
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"old{suffix}"
    target.write_bytes(b"old contents")
    target.chmod(0o666)
    other_link = folder / "same-file"
    os.link(target, other_link)  # another name for the old file
    with umask(0):
        result = write(target, "--force")
    assert result.exit_code == 0, result.output
    assert mode(target) == 0o600
    assert target.read_bytes() != b"old contents"
    # The new file was put in place of the old one, not written into it.
    assert other_link.read_bytes() == b"old contents"
    # No temporary file is left beside it.
    assert sorted(p.name for p in folder.iterdir()) == sorted([target.name, other_link.name])


@pytest.mark.parametrize("command", ALL)
def test_an_existing_file_without_force_is_kept(
    writers: dict[str, tuple[Writer, str]], tmp_path: Path, command: str
) -> None:
    write, suffix = writers[command]
    target = tmp_path / f"old{suffix}"
    target.write_bytes(b"keep me")
    message = one_line_error(write(target))
    assert "exists already and was left as it is" in message
    assert target.read_bytes() == b"keep me"


def test_the_picture_has_no_force_and_says_so(
    writers: dict[str, tuple[Writer, str]], tmp_path: Path
) -> None:
    write, _ = writers["picture"]
    target = tmp_path / "gb30.svg"
    target.write_bytes(b"keep me")
    message = one_line_error(write(target))
    assert "--force" not in message and "remove that file first" in message


# --- what is not a regular file ----------------------------------------------------------------


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_device(path: Path) -> None:
    try:  # a device node like the one that swallows what is written: inside tmp_path only
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as error:
        pytest.skip(f"cannot make a device node here: {error}")


def make_socket(path: Path) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(path))
    except OSError as error:  # a path too long for a socket's address
        pytest.skip(f"cannot make a socket here: {error}")
    finally:
        listener.close()


def make_folder(path: Path) -> None:
    path.mkdir()


def make_link_to_file(path: Path) -> None:
    (path.parent / "linked-file").write_bytes(b"the link's target")
    path.symlink_to("linked-file")


def make_dangling_link(path: Path) -> None:
    path.symlink_to("nothing-here")


def make_link_to_folder(path: Path) -> None:
    (path.parent / "linked-folder").mkdir()
    path.symlink_to("linked-folder")


KINDS = {
    "fifo": (make_fifo, "is a named pipe, not a regular file"),
    "device": (make_device, "is a device, not a regular file"),
    "socket": (make_socket, "is a socket, not a regular file"),
    "folder": (make_folder, "is a folder"),
    "link to a file": (make_link_to_file, "is a symbolic link"),
    "dangling link": (make_dangling_link, "is a symbolic link"),
    "link to a folder": (make_link_to_folder, "is a symbolic link"),
}


def snapshot(folder: Path) -> dict[str, tuple[int, int, int, int, str, bytes]]:
    """What each entry of ``folder`` is, links not followed, and what a file holds."""
    found = {}
    for entry in sorted(folder.iterdir()):
        info = entry.lstat()
        link = os.readlink(entry) if entry.is_symlink() else ""
        data = entry.read_bytes() if stat.S_ISREG(info.st_mode) else b""
        found[entry.name] = (info.st_mode, info.st_ino, info.st_rdev, info.st_size, link, data)
    return found


#: Each command, with and without --force (--picture has none).
RUNS = [(command, False) for command in ALL] + [(command, True) for command in FORCEABLE]


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize(("command", "force"), RUNS, ids=[f"{c}-{f}" for c, f in RUNS])
def test_only_a_regular_file_is_ever_replaced(
    writers: dict[str, tuple[Writer, str]],
    tmp_path: Path,
    command: str,
    force: bool,
    kind: str,
) -> None:
    write, suffix = writers[command]
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"x{suffix}"
    make, said = KINDS[kind]
    make(target)
    before = snapshot(folder)
    reader = os.open(target, os.O_RDONLY | os.O_NONBLOCK) if kind == "fifo" else None
    try:
        result = write(target, *(["--force"] if force else []))
        if reader is not None:
            try:
                leaked = os.read(reader, 1 << 16)
            except BlockingIOError:
                leaked = b""
            assert leaked == b"", "something was written into the named pipe"
    finally:
        if reader is not None:
            os.close(reader)
    message = one_line_error(result)
    assert said in message and "Traceback" not in message
    assert snapshot(folder) == before  # nothing changed, nothing left behind
    assert "written to" not in result.stdout.lower()


@pytest.mark.parametrize("command", ALL)
def test_a_missing_folder_is_refused(
    writers: dict[str, tuple[Writer, str]], tmp_path: Path, command: str
) -> None:
    write, suffix = writers[command]
    message = one_line_error(write(tmp_path / "no" / "such" / f"x{suffix}"))
    assert "does not exist" in message
    assert not (tmp_path / "no").exists()


# --- the written line --------------------------------------------------------------------------


@pytest.mark.parametrize("command", ALL)
def test_the_written_line_shows_the_path_escaped(
    writers: dict[str, tuple[Writer, str]], tmp_path: Path, command: str
) -> None:
    write, suffix = writers[command]
    target = tmp_path / f"{ESCAPES}{suffix}"
    result = write(target)
    assert result.exit_code == 0, result.output
    assert target.exists()  # the file has the name asked for
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "\\x1b[31mred\\u202eevil" in result.stdout


@pytest.mark.parametrize("command", ALL)
def test_an_error_shows_the_path_escaped(
    writers: dict[str, tuple[Writer, str]], tmp_path: Path, command: str
) -> None:
    write, suffix = writers[command]
    target = tmp_path / f"{ESCAPES}{suffix}"
    target.write_bytes(b"there already")
    message = one_line_error(write(target))
    assert "\x1b" not in message and "\u202e" not in message
    assert "\\x1b[31mred\\u202eevil" in message


# --- the name on the page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("\x1b[2Jx", "control character U+001B"),
        ("A. Smith\u202e", "format character U+202E"),
        ("A.\u200bSmith", "format character U+200B"),
        ("A. Smith\nB. Jones", "control character U+000A"),
        ("x" * 81, "81 characters long; at most 80"),
    ],
)
@pytest.mark.parametrize("command", ["card", "report"])
def test_a_name_that_is_not_plain_text_is_refused(
    writers: dict[str, tuple[Writer, str]], tmp_path: Path, command: str, name: str, said: str
) -> None:
    write, suffix = writers[command]
    target = tmp_path / f"page{suffix}"
    message = one_line_error(write(target, "--name", name))
    assert said in message
    assert "\x1b" not in message and "\u202e" not in message
    assert not target.exists()


@pytest.mark.parametrize("command", ["card", "report"])
def test_a_plain_name_of_80_characters_is_printed(
    writers: dict[str, tuple[Writer, str]], tmp_path: Path, command: str
) -> None:
    write, suffix = writers[command]
    target = tmp_path / f"page{suffix}"
    name = "Zoë Ng-" + "x" * 73
    assert len(name) == html.NAME_LIMIT
    result = write(target, "--name", name)
    assert result.exit_code == 0, result.output
    assert name in target.read_text(encoding="utf-8")


# --- the functions -----------------------------------------------------------------------------


def test_found_at_does_not_follow_links_or_open_anything(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    (tmp_path / "link").symlink_to("file")
    os.mkfifo(tmp_path / "fifo")
    assert html.found_at(tmp_path / "file") == "a file"
    assert html.found_at(tmp_path / "link") == "a symbolic link"
    assert html.found_at(tmp_path / "fifo") == "a named pipe"  # did not block
    assert html.found_at(tmp_path) == "a folder"
    assert html.found_at(tmp_path / "none") is None
    assert html.found_at(tmp_path / "file" / "below") is None


def test_create_private_never_opens_what_is_there(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "file").write_bytes(b"old")
    (tmp_path / "link").symlink_to("elsewhere")
    for name in ("fifo", "file", "link"):
        with pytest.raises(FileExistsError):
            html.create_private(tmp_path / name, b"new")
    assert (tmp_path / "file").read_bytes() == b"old"
    assert not (tmp_path / "elsewhere").exists()
    with umask(0):
        html.create_private(tmp_path / "new", b"new")
    assert mode(tmp_path / "new") == 0o600


def test_write_file_rechecks_before_it_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A regular file that turns into a named pipe while the new one is written is left
    as it is, and the new one is removed."""
    target = tmp_path / "page.html"
    target.write_bytes(b"old")
    real_fill = html._fill

    def fill_then_swap(descriptor: int, data: bytes) -> None:
        real_fill(descriptor, data)
        if target.exists() and not stat.S_ISFIFO(target.lstat().st_mode):
            target.unlink()
            os.mkfifo(target)

    monkeypatch.setattr(html, "_fill", fill_then_swap)
    with pytest.raises(UsageError, match="is a named pipe"):
        html.write_file(str(target), b"new", True)
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]
