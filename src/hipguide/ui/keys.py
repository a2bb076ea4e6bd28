"""Single key presses during a countdown, read without blocking forever.

:class:`KeyReader` puts a terminal's stdin in cbreak mode (keys arrive one by one,
unechoed; Ctrl-C still interrupts) and always restores the mode on exit.
:class:`NullKeys` stands in when stdin is not a terminal: it only waits. Both
offer ``wait_for_command``, the callable the session engine takes.
"""

from __future__ import annotations

import codecs
import os
import select
import sys
import termios
import time
import tty
from collections.abc import Callable
from contextlib import suppress
from types import TracebackType
from typing import Any, Final, TextIO

from hipguide.session import Command

#: What :meth:`KeyReader.wait` returns, once, when the input has ended.
EOF: Final = "eof"

_COMMANDS: Final[dict[str, Command]] = {
    " ": "pause",
    "p": "pause",
    "P": "pause",
    "s": "skip",
    "S": "skip",
    "q": "quit",
    "Q": "quit",
    "\x1b": "quit",
}
_READ_SIZE = 64


def command_for(key: str | None) -> Command | None:
    """The session command a key asks for: space/p pause, s skip, q/Esc quit; else None."""
    if key is None:
        return None
    return _COMMANDS.get(key)


class KeyReader:
    """Reads single keys from ``stream`` (default: ``sys.stdin``) with a timeout.

    Use it as a context manager: entering puts a terminal in cbreak mode, leaving
    restores the saved mode, also when the block raises. A stream that is not a
    terminal is read as it is. An escape sequence (an arrow key, say) comes back
    whole, so it never reads as a lone Esc. After the input ends, :meth:`wait`
    returns :data:`EOF` once, then only sleeps out its timeouts via ``sleep``.
    """

    live = True

    def __init__(
        self, stream: TextIO | None = None, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._stream = stream
        self._sleep = sleep
        self._fd = -1
        self._saved: list[Any] | None = None
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._ended = False

    def __enter__(self) -> KeyReader:
        self._fd = (self._stream or sys.stdin).fileno()
        if os.isatty(self._fd):
            self._saved = termios.tcgetattr(self._fd)
            tty.setcbreak(self._fd, termios.TCSANOW)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        saved, self._saved = self._saved, None
        if saved is not None:
            # A terminal that hung up has no mode left to restore (EIO).
            with suppress(termios.error):
                termios.tcsetattr(self._fd, termios.TCSADRAIN, saved)

    def wait(self, timeout: float) -> str | None:
        """Wait up to ``timeout`` seconds for a key; return it, or None on timeout.

        A key already read but not yet returned comes back at once.
        """
        if self._fd < 0:
            raise RuntimeError("use KeyReader as a context manager: with KeyReader() as keys")
        if self._pending:
            return self._next_key()
        if self._ended:
            self._sleep(max(0.0, timeout))
            return None
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout))
        if not ready:
            return None
        try:
            data = os.read(self._fd, _READ_SIZE)
        except OSError:  # a pty whose other end closed reports EIO, not b""
            data = b""
        if not data:
            self._ended = True
            return EOF
        self._pending += self._decoder.decode(data)
        return self._next_key() if self._pending else None

    def wait_for_command(self, timeout: float) -> Command | None:
        """:meth:`wait`, mapped through :func:`command_for` (for the session engine)."""
        return command_for(self.wait(timeout))

    def _next_key(self) -> str:
        """Take one key, or one whole escape sequence, off the pending text."""
        text = self._pending
        length = _sequence_length(text) if text.startswith("\x1b") else 1
        self._pending = text[length:]
        return text[:length]


def _sequence_length(text: str) -> int:
    """Length of the escape sequence at the start of ``text`` (1 for a lone Esc).

    CSI (``ESC [``) runs to its final byte (``@`` to ``~``); SS3 (``ESC O``) takes
    one more character; an Alt+key (``ESC x``) takes two.
    """
    if len(text) < 2:
        return 1
    if text[1] == "[":
        for index in range(2, len(text)):
            if "@" <= text[index] <= "~":
                return index + 1
        return len(text)
    if text[1] == "O":
        return min(3, len(text))
    return 2


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
    return KeyReader(target, sleep=sleep) if is_terminal else NullKeys(sleep)
