"""Run the real program in a pseudo-terminal (pexpect), for the interactive tests, and
read the screen a person would see (pyte, a terminal emulator)."""

from __future__ import annotations

import os
import sys
import time

import pexpect
import pyte


def spawn(
    args: list[str],
    columns: int = 80,
    env: dict[str, str | None] | None = None,
    rows: int = 50,
) -> pexpect.spawn:
    """``python -m hipguide ARGS`` in a terminal of ``columns`` x ``rows``, colour allowed.

    ``env`` adds variables; a ``None`` value removes one.
    """
    overrides = {"NO_COLOR": None, "COLUMNS": None, "LINES": str(rows), **(env or {})}
    environment = {**os.environ, "TERM": "xterm-256color"}
    for name, value in overrides.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return pexpect.spawn(
        sys.executable,
        ["-m", "hipguide", *args],
        env=environment,
        encoding="utf-8",
        timeout=20,
        dimensions=(rows, columns),
    )


class Screen:
    """What a ``rows`` x ``columns`` terminal shows of ``child``'s output."""

    def __init__(self, child: pexpect.spawn, columns: int, rows: int) -> None:
        self.child = child
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)

    def pump(self, seconds: float = 0.2) -> None:
        """Read what the program wrote in the next ``seconds``."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.05))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                return

    def lines(self) -> list[str]:
        """The rows on the screen now, right-trimmed."""
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait_for(self, *needles: str, timeout: float = 15.0) -> list[str]:
        """Read until every needle is on the screen at the same time; the rows then."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.1)
            shown = self.text()
            if all(needle in shown for needle in needles):
                return self.lines()
        raise AssertionError(f"not all of {needles!r} on one screen:\n{self.text()}")
