"""Privacy: the history is private to its owner, forgetting it is for real, and no
command ever touches the network."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import answer_items
from hipguide.cli import app

SIDE_FILES = ("-journal", "-wal", "-shm")


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Run the test under ``umask 0`` (everything world-writable unless asked otherwise)."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def record_check(runner: CliRunner, all_no: dict[str, str]) -> None:
    result = runner.invoke(
        app, ["check", "--no-input", *answer_items(all_no)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "nothing" not in result.stderr.lower()


# --- file modes ---------------------------------------------------------------------------


@pytest.mark.usefixtures("open_umask")
@pytest.mark.parametrize("depth", [0, 2], ids=["home", "nested-home"])
def test_a_new_history_is_private_whatever_the_umask(
    runner: CliRunner, all_no: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    depth: int,
) -> None:  # fmt: skip
    home = tmp_path.joinpath(*["deeper"] * depth, "home")
    monkeypatch.setenv("HIPGUIDE_HOME", str(home))
    record_check(runner, all_no)
    assert mode(home) == 0o700
    assert mode(home / "history.sqlite3") == 0o600
    record_check(runner, all_no)  # a second write keeps the modes
    assert mode(home / "history.sqlite3") == 0o600
    leftovers = [p.name for p in home.iterdir() if p.name != "history.sqlite3"]
    assert leftovers == []


def test_an_existing_readable_history_is_not_used_nor_changed(
    runner: CliRunner, all_no: dict[str, str], home: Path
) -> None:
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    history = home / "history.sqlite3"
    history.touch()
    history.chmod(0o644)
    args = ["check", "--no-input", *answer_items(all_no)]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output  # the verdict all the same
    message = " ".join(result.stderr.split())
    assert "nothing will be recorded" in message
    assert f"chmod 600 {history}" in message
    assert mode(history) == 0o644  # hipguide only tightens what it created itself
    assert mode(home) == 0o755
    assert history.read_bytes() == b""


# --- forgetting ---------------------------------------------------------------------------


def test_forget_yes_leaves_no_history_file(
    runner: CliRunner, all_no: dict[str, str], home: Path
) -> None:
    record_check(runner, all_no)
    history = home / "history.sqlite3"
    assert history.exists()
    result = runner.invoke(app, ["history", "--forget", "--yes"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert str(history) in result.stdout
    assert sorted(p.name for p in home.iterdir()) == []


def test_forget_yes_also_removes_side_files(
    runner: CliRunner, all_no: dict[str, str], home: Path
) -> None:
    record_check(runner, all_no)
    for suffix in SIDE_FILES:  # as a crash may leave them
        (home / f"history.sqlite3{suffix}").write_bytes(b"")
    result = runner.invoke(app, ["history", "--forget", "--yes"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in home.iterdir()) == []


def test_after_forgetting_the_history_is_empty(runner: CliRunner, all_no: dict[str, str]) -> None:
    record_check(runner, all_no)
    record_check(runner, all_no)
    assert runner.invoke(app, ["history", "--forget", "--yes"]).exit_code == 0
    result = runner.invoke(app, ["history", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["checks"] == []


def test_forget_without_yes_and_no_terminal_deletes_nothing(
    runner: CliRunner, all_no: dict[str, str], home: Path
) -> None:
    record_check(runner, all_no)
    before = (home / "history.sqlite3").read_bytes()
    result = runner.invoke(app, ["history", "--forget"])
    assert result.exit_code == 2
    assert (home / "history.sqlite3").read_bytes() == before


# --- no network ---------------------------------------------------------------------------

BLOCKED = ("connect", "connect_ex", "sendto")
MODULE_BLOCKED = ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every way out raise, and list each attempt (even one that was caught)."""
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def blocked(*args: object, **kwargs: object) -> None:
            attempts.append(name)
            raise OSError(f"network blocked by the test ({name})")

        return blocked

    for name in BLOCKED:
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in MODULE_BLOCKED:
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_the_network_block_is_real(no_network: list[str]) -> None:
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("localhost", 9))
    assert no_network == ["create_connection"]


@pytest.fixture
def commands(all_no: dict[str, str]) -> list[tuple[list[str], int]]:
    """Every command once, with the exit code it should end with."""
    return [
        (["--version"], 0),
        (["points"], 0),
        (["points", "GB30"], 0),
        (["points", "huantiao", "--json"], 0),
        (["points", "nothing-like-this"], 1),
        (["conditions"], 0),
        (["conditions", "sciatica", "--json"], 0),
        (["check", "--questions"], 0),
        (["check", "--no-input", *answer_items(all_no)], 0),
        (["check", "--no-input", "--json", *answer_items(all_no), "--answer", "fever=yes"], 4),
        (
            [
                "routine",
                "--plan",
                "--no-input",
                "--area",
                "outer",
                "--side",
                "left",
                *answer_items(all_no),
            ],
            0,
        ),
        (["routine", "--plan", "--no-input", "--json", "--area", "leg", "--side", "both"], 0),
        (["history"], 0),
        (["history", "--json"], 0),
        (["history", "--csv"], 0),
        (["history", "--forget", "--yes"], 0),
    ]


def test_no_command_touches_the_network(
    runner: CliRunner, no_network: list[str], commands: list[tuple[list[str], int]]
) -> None:
    for args, code in commands:
        result = runner.invoke(app, args, catch_exceptions=False)
        assert result.exit_code == code, (args, result.output)
    assert no_network == []


NETWORK_GUARD = """
import socket, sys

def _refuse(name):
    def blocked(*args, **kwargs):
        sys.stderr.write(f"NETWORK ATTEMPT: {name}\\n")
        raise OSError(f"network blocked ({name})")
    return blocked

for _name in ("connect", "connect_ex", "sendto"):
    setattr(socket.socket, _name, _refuse("socket." + _name))
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
    setattr(socket, _name, _refuse(_name))
sys.argv = ["hipguide", *sys.argv[1:]]
from hipguide.cli import main
main()
"""


def test_the_subprocess_guard_is_real() -> None:
    probe = NETWORK_GUARD.replace(
        "from hipguide.cli import main\nmain()", "socket.getaddrinfo('example.org', 80)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=20, check=False
    )
    assert result.returncode != 0
    assert "NETWORK ATTEMPT: getaddrinfo" in result.stderr


def test_no_command_touches_the_network_in_a_real_process(
    commands: list[tuple[list[str], int]],
) -> None:
    for args, code in commands:
        result = subprocess.run(
            [sys.executable, "-c", NETWORK_GUARD, *args],
            capture_output=True,
            text=True,
            timeout=20,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert result.returncode == code, (args, result.stderr)
        assert "NETWORK ATTEMPT" not in result.stderr
        assert "Traceback" not in result.stderr
