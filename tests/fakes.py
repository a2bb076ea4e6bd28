"""Test doubles shared by the test modules: a fake clock and scripted key presses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from hipguide.session import Command


class FakeClock:
    """A clock that never waits: ``sleep(s)`` moves both of its times forward by ``s``.

    ``monotonic()`` starts at ``start``; ``now()`` starts at ``wall`` (default: the real
    time when the clock is made, to the second) and moves with it. Every requested
    sleep is recorded in ``sleeps``.
    """

    def __init__(self, start: float = 0.0, wall: datetime | None = None) -> None:
        self.start = start
        self.time = start
        self.wall = wall or datetime.now(timezone.utc).replace(microsecond=0)
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        """The fake monotonic time."""
        return self.time

    def now(self) -> datetime:
        """The fake wall time: ``wall`` plus the time that has passed."""
        return self.wall + timedelta(seconds=self.time - self.start)

    def sleep(self, seconds: float) -> None:
        """Record the call and advance the time; a negative sleep is a bug, as in time.sleep."""
        if seconds < 0:
            raise ValueError(f"sleep length must be non-negative, got {seconds}")
        self.sleeps.append(seconds)
        self.time += seconds

    def advance(self, seconds: float) -> None:
        """Move time forward without recording a sleep."""
        self.time += seconds


class ScriptedCommands:
    """A ``wait_for_command`` that delivers commands at fixed fake-clock times.

    ``script`` holds ``(at, command)`` pairs; a command may also be an exception
    instance (e.g. ``KeyboardInterrupt()``), raised at its time. A call waits on
    the clock until the next scripted time if it falls within ``timeout``,
    otherwise for the whole timeout. Every timeout asked for is kept in ``timeouts``.
    """

    def __init__(
        self, clock: FakeClock, script: Iterable[tuple[float, Command | BaseException]] = ()
    ) -> None:
        self.clock = clock
        self.pending = sorted(script, key=lambda item: item[0])
        self.timeouts: list[float] = []

    def __call__(self, timeout: float) -> Command | None:
        """Wait up to ``timeout`` on the clock; return the command due in that time."""
        self.timeouts.append(timeout)
        now = self.clock.monotonic()
        if self.pending and self.pending[0][0] <= now + timeout:
            at, command = self.pending.pop(0)
            self.clock.sleep(max(0.0, at - now))
            if isinstance(command, BaseException):
                raise command
            return command
        self.clock.sleep(timeout)
        return None
