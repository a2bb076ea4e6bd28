"""Single key presses during a session, read without blocking for ever, on any platform.

:class:`KeyReader` reads through prompt_toolkit's input layer (already installed with
questionary), so the same code reads keys from a POSIX terminal and from a Windows
console. It puts the terminal in raw mode (keys arrive one by one, unechoed) and always
restores it on exit; since raw mode also turns Ctrl-C into a key, the reader raises
:class:`KeyboardInterrupt` for it, as the terminal would. :class:`NullKeys` stands in
when stdin is not a terminal: it only waits. prompt_toolkit is imported only when a
reader is entered, so importing this module costs nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from contextlib import suppress
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, TextIO

if TYPE_CHECKING:
    import asyncio

    from prompt_toolkit.input import Input

    from hipguide.session import Command

#: What :meth:`KeyReader.wait` returns, once, when the input has ended.
EOF: Final = "eof"
#: The key names :meth:`KeyReader.wait` returns for keys that are not characters.
ENTER: Final = "enter"
ESCAPE: Final = "escape"

_COMMANDS: Final[dict[str, Command]] = {
    " ": "pause",
    "p": "pause",
    "P": "pause",
    "s": "skip",
    "S": "skip",
    "q": "quit",
    "Q": "quit",
    ENTER: "confirm",
}


def command_for(key: str | None) -> Command | None:
    """The session command a key asks for: space/p pause (or, while finding a point,
    go), Enter go, s skip, q quit; anything else None. Esc does nothing: the keys line
    names q (and Ctrl-C) to end a session, and a stray Esc must not end one."""
    if key is None:
        return None
    return _COMMANDS.get(key)


class KeyReader:
    """Reads single keys with a timeout, from ``input`` (a prompt_toolkit ``Input``;
    default: the terminal on stdin).

    Use it as a context manager: entering puts the terminal in raw mode, leaving
    restores it, also when the block raises. An arrow key or another escape sequence
    comes back whole (as prompt_toolkit names it), so it never reads as a lone Esc.
    After the input ends, :meth:`wait` returns :data:`EOF` once, then only sleeps out
    its timeouts via ``sleep``.
    """

    live = True

    def __init__(
        self, input: Input | None = None, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._given = input
        self._sleep = sleep
        self._input: Input | None = None
        self._raw: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: list[str] = []
        self._ended = False

    def __enter__(self) -> KeyReader:
        import asyncio

        from prompt_toolkit.input import create_input

        self._input = self._given or create_input(sys.stdin)
        self._raw = self._input.raw_mode()
        self._raw.__enter__()
        self._loop = asyncio.new_event_loop()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        raw, self._raw = self._raw, None
        try:
            if raw is not None:
                # A terminal that hung up has no mode left to restore.
                with suppress(OSError):
                    raw.__exit__(exc_type, exc, traceback)
        finally:
            loop, self._loop = self._loop, None
            if loop is not None:
                loop.close()

    def wait(self, timeout: float) -> str | None:
        """Wait up to ``timeout`` seconds for a key; return it, or None on timeout.

        A key already read but not yet returned comes back at once. Ctrl-C raises
        :class:`KeyboardInterrupt`.
        """
        if self._loop is None or self._input is None:
            raise RuntimeError("use KeyReader as a context manager: with KeyReader() as keys")
        if self._pending:
            return self._take()
        if self._ended:
            self._sleep(max(0.0, timeout))
            return None
        names = self._loop.run_until_complete(self._read(max(0.0, timeout)))
        if names is None:
            self._ended = True
            return EOF
        self._pending.extend(names)
        return self._take() if self._pending else None

    def wait_for_command(self, timeout: float) -> Command | None:
        """:meth:`wait`, mapped through :func:`command_for` (for the session engine)."""
        return command_for(self.wait(timeout))

    async def _read(self, timeout: float) -> list[str] | None:
        """The keys that arrive within ``timeout`` ([] for none), or None at the end."""
        import asyncio

        assert self._input is not None
        ready = asyncio.Event()
        try:
            with self._input.attach(ready.set):
                try:
                    await asyncio.wait_for(ready.wait(), timeout)
                except asyncio.TimeoutError:
                    # A lone Esc waits in the parser for the rest of a sequence.
                    return _names(self._input.flush_keys())
                presses = self._input.read_keys()
        except EOFError:  # an input that cannot be watched any more (/dev/null, closed)
            return None
        if not presses and self._input.closed:
            return None
        return _names(presses)

    def _take(self) -> str:
        key = self._pending.pop(0)
        if key == "c-c":
            self._pending.clear()
            raise KeyboardInterrupt
        return key


def _names(presses: list[Any]) -> list[str]:
    """Key names: a character as it is, Enter and Esc by name, others as prompt_toolkit
    calls them (``c-c``, ``up``)."""
    from prompt_toolkit.keys import Keys

    names = []
    for press in presses:
        key = press.key
        if key in (Keys.ControlM, Keys.ControlJ):
            names.append(ENTER)
        elif key == Keys.Escape:
            names.append(ESCAPE)
        elif isinstance(key, Keys):
            names.append(key.value)
        else:
            names.append(str(key))
    return names


class NullKeys:
    """The key reader for a stdin that is no terminal: no key ever comes.

    ``wait`` sleeps the whole timeout through the injected ``sleep``.
    """

    live = False

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self._sleep = sleep

    def __enter__(self) -> NullKeys:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def wait(self, timeout: float) -> str | None:
        """Sleep ``timeout`` seconds (none if negative); always None."""
        self._sleep(max(0.0, timeout))
        return None

    def wait_for_command(self, timeout: float) -> Command | None:
        """Sleep ``timeout`` seconds; no command ever comes."""
        self.wait(timeout)
        return None


def key_source(
    stream: TextIO | None = None, *, sleep: Callable[[float], None] = time.sleep
) -> KeyReader | NullKeys:
    """A :class:`KeyReader` if ``stream`` (default stdin) is a terminal, else :class:`NullKeys`."""
    target = stream or sys.stdin
    try:
        is_terminal = target.isatty()
    except (AttributeError, ValueError):
        is_terminal = False
    if not is_terminal:
        return NullKeys(sleep)
    if stream is None:
        return KeyReader(sleep=sleep)
    from prompt_toolkit.input import create_input

    return KeyReader(create_input(stream), sleep=sleep)
