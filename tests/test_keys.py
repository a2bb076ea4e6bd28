"""The countdown's key reader, on a real pseudo-terminal pair."""

from __future__ import annotations

import io
import os
import termios
from collections.abc import Iterator
from typing import TextIO

import pytest

from hipguide.ui.keys import EOF, KeyReader, NullKeys, command_for, key_source


class Pty:
    """A pty pair: ``stream`` is the terminal side, ``type()`` writes as the user's keyboard."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.stream: TextIO = os.fdopen(slave, "r")

    def type(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8"))

    def hang_up(self) -> None:
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def mode(self) -> list[object]:
        return termios.tcgetattr(self.stream.fileno())


@pytest.fixture
def pty() -> Iterator[Pty]:
    pair = Pty()
    yield pair
    pair.hang_up()
    pair.stream.close()


class SleepRecorder:
    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def test_reads_a_key_without_enter(pty: Pty) -> None:
    # A terminal in its normal (canonical) mode would hold "s" back until Enter.
    with KeyReader(pty.stream) as keys:
        pty.type("s")
        assert keys.wait(5.0) == "s"


def test_timeout_returns_none(pty: Pty) -> None:
    with KeyReader(pty.stream) as keys:
        assert keys.wait(0.0) is None
        assert keys.wait(-1.0) is None


def test_cbreak_inside_and_mode_restored_after(pty: Pty) -> None:
    before = pty.mode()
    with KeyReader(pty.stream):
        inside = pty.mode()
        local_flags = inside[3]
        assert isinstance(local_flags, int)
        assert not local_flags & termios.ICANON
        assert not local_flags & termios.ECHO
        assert local_flags & termios.ISIG  # Ctrl-C still interrupts
    assert pty.mode() == before


def test_mode_restored_after_an_exception(pty: Pty) -> None:
    before = pty.mode()
    with pytest.raises(KeyboardInterrupt), KeyReader(pty.stream):
        assert pty.mode() != before
        raise KeyboardInterrupt
    assert pty.mode() == before


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sq", ["s", "q"]),
        (" p", [" ", "p"]),
        ("\x1b[A", ["\x1b[A"]),  # an arrow key is one key, not Esc + "[A"
        ("\x1b[1;5Cs", ["\x1b[1;5C", "s"]),
        ("\x1bOP", ["\x1bOP"]),
        ("\x1b", ["\x1b"]),
        ("é", ["é"]),
    ],
)
def test_keys_come_one_at_a_time(pty: Pty, typed: str, expected: list[str]) -> None:
    with KeyReader(pty.stream) as keys:
        pty.type(typed)
        got = [keys.wait(5.0) for _ in expected]
        assert got == expected
        assert keys.wait(0.0) is None


def test_wait_for_command_maps_keys(pty: Pty) -> None:
    with KeyReader(pty.stream) as keys:
        pty.type(" x\x1b[Bs")
        assert [keys.wait_for_command(5.0) for _ in range(4)] == ["pause", None, None, "skip"]


def test_hang_up_gives_eof_once_then_sleeps(pty: Pty) -> None:
    sleep = SleepRecorder()
    with KeyReader(pty.stream, sleep=sleep) as keys:
        pty.hang_up()
        assert keys.wait(5.0) == EOF
        assert keys.wait(0.25) is None
        assert keys.wait(-1.0) is None
    assert sleep.sleeps == [0.25, 0.0]


def test_end_of_a_pipe_gives_eof() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"q")
    os.close(write_end)
    sleep = SleepRecorder()
    with os.fdopen(read_end, "r") as stream, KeyReader(stream, sleep=sleep) as keys:
        assert keys.wait(5.0) == "q"
        assert keys.wait(5.0) == EOF
        assert keys.wait_for_command(0.5) is None
    assert sleep.sleeps == [0.5]


def test_wait_outside_the_context_is_a_bug(pty: Pty) -> None:
    with pytest.raises(RuntimeError):
        KeyReader(pty.stream).wait(0.0)


@pytest.mark.parametrize(
    ("key", "command"),
    [
        (" ", "pause"),
        ("p", "pause"),
        ("P", "pause"),
        ("s", "skip"),
        ("S", "skip"),
        ("q", "quit"),
        ("Q", "quit"),
        ("\x1b", "quit"),
        (None, None),
        (EOF, None),
        ("x", None),
        ("\r", None),
        ("\x1b[A", None),
        ("", None),
    ],
)
def test_command_for(key: str | None, command: str | None) -> None:
    assert command_for(key) == command


def test_null_keys_only_sleep() -> None:
    sleep = SleepRecorder()
    with NullKeys(sleep) as keys:
        assert keys.wait(0.25) is None
        assert keys.wait_for_command(1.5) is None
        assert keys.wait(-0.1) is None
    assert sleep.sleeps == [0.25, 1.5, 0.0]


def test_key_source_picks_by_terminal(pty: Pty) -> None:
    assert isinstance(key_source(pty.stream), KeyReader)
    assert isinstance(key_source(io.StringIO()), NullKeys)
