"""Key presses during a session, through prompt_toolkit's input layer: a pipe input for
the keys themselves, and a real pseudo-terminal for raw mode and its restoring."""

from __future__ import annotations

import os
import pty as pty_module
import termios
from collections.abc import Iterator

import pytest
from prompt_toolkit.input import PipeInput, create_input, create_pipe_input

from hipguide.ui.keys import EOF, KeyReader, NullKeys, command_for, key_source


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as given:
        yield given


def test_reads_a_key_without_enter(pipe: PipeInput) -> None:
    pipe.send_text("s")
    with KeyReader(pipe) as keys:
        assert keys.wait(1.0) == "s"


def test_timeout_returns_none_without_sleeping_on_the_clock(pipe: PipeInput) -> None:
    slept: list[float] = []
    with KeyReader(pipe, sleep=slept.append) as keys:
        assert keys.wait(0.01) is None
    assert slept == []  # the wait was on the input, not on a sleep


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sq", ["s", "q"]),
        (" p", [" ", "p"]),
        ("\r", ["enter"]),
        ("\n", ["enter"]),
        ("\x1b[A", ["up"]),  # an arrow key comes back whole, not as Esc then letters
        ("é", ["é"]),
    ],
)
def test_keys_come_one_at_a_time(pipe: PipeInput, typed: str, expected: list[str]) -> None:
    pipe.send_text(typed)
    with KeyReader(pipe) as keys:
        got = [keys.wait(0.5) for _ in expected]
    assert got == expected


def test_a_lone_escape_is_read_as_escape(pipe: PipeInput) -> None:
    pipe.send_text("\x1b")
    with KeyReader(pipe) as keys:
        first = keys.wait(0.2)
        assert (first or keys.wait(0.2)) == "escape"


def test_ctrl_c_is_an_interrupt(pipe: PipeInput) -> None:
    pipe.send_text("\x03")
    with KeyReader(pipe) as keys, pytest.raises(KeyboardInterrupt):
        keys.wait(1.0)


@pytest.mark.parametrize(
    ("typed", "command"),
    [(" ", "pause"), ("s", "skip"), ("S", "skip"), ("q", "quit"), ("\r", "confirm"), ("x", None)],
)
def test_wait_for_command_maps_keys(pipe: PipeInput, typed: str, command: str | None) -> None:
    pipe.send_text(typed)
    with KeyReader(pipe) as keys:
        assert keys.wait_for_command(1.0) == command


def test_the_end_of_the_input_gives_eof_once_then_sleeps(pipe: PipeInput) -> None:
    slept: list[float] = []
    pipe.send_text("q")
    pipe.close()
    with KeyReader(pipe, sleep=slept.append) as keys:
        assert keys.wait(1.0) == "q"
        assert keys.wait(1.0) == EOF
        assert keys.wait(0.25) is None
    assert slept == [0.25]


def test_wait_outside_the_context_is_a_bug(pipe: PipeInput) -> None:
    with pytest.raises(RuntimeError, match="context manager"):
        KeyReader(pipe).wait(0.1)


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
        ("escape", None),  # Esc does not end a session: q and Ctrl-C do
        ("enter", "confirm"),
        ("x", None),
        ("up", None),
        (None, None),
    ],
)
def test_command_for(key: str | None, command: str | None) -> None:
    assert command_for(key) == command


def test_null_keys_only_sleep() -> None:
    slept: list[float] = []
    with NullKeys(slept.append) as keys:
        assert keys.wait(0.5) is None
        assert keys.wait_for_command(-1) is None
    assert slept == [0.5, 0.0]
    assert NullKeys().live is False and KeyReader.live is True


# --- a real terminal: raw mode on entry, the saved mode back on exit -----------------------


@pytest.fixture
def terminal() -> Iterator[tuple[int, int]]:
    main, secondary = pty_module.openpty()
    yield main, secondary
    os.close(main)
    os.close(secondary)


def _echo(fd: int) -> bool:
    return bool(termios.tcgetattr(fd)[3] & termios.ECHO)


def test_raw_mode_inside_and_the_mode_restored_after(terminal: tuple[int, int]) -> None:
    main, secondary = terminal
    stream = os.fdopen(os.dup(secondary), "r")
    before = termios.tcgetattr(secondary)
    with KeyReader(create_input(stream)) as keys:
        assert not _echo(secondary)
        os.write(main, b"q")
        assert keys.wait(1.0) == "q"
    assert termios.tcgetattr(secondary) == before
    stream.close()


def test_the_mode_is_restored_after_an_exception(terminal: tuple[int, int]) -> None:
    _, secondary = terminal
    stream = os.fdopen(os.dup(secondary), "r")
    before = termios.tcgetattr(secondary)
    with pytest.raises(ValueError), KeyReader(create_input(stream)):
        raise ValueError("boom")
    assert termios.tcgetattr(secondary) == before
    stream.close()


def test_key_source_picks_by_terminal(terminal: tuple[int, int]) -> None:
    _, secondary = terminal
    stream = os.fdopen(os.dup(secondary), "r")
    assert isinstance(key_source(stream), KeyReader)
    with open(os.devnull) as devnull:
        assert isinstance(key_source(devnull), NullKeys)
    stream.close()
