"""Time, in one injectable place: a protocol, and the real clock.

Nothing in hipguide reads the time or sleeps on its own: the flows and the session
engine ask the :class:`Clock` they are given, so tests pass a fake one whose
``sleep()`` only moves time forward (see ``tests/fakes.py``).
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Protocol


class Clock(Protocol):
    """Wall time for records, monotonic time for deadlines, and a way to wait."""

    def now(self) -> datetime:
        """The current wall time, aware, in UTC (for what is recorded and shown)."""
        ...

    def monotonic(self) -> float:
        """Monotonic seconds; only differences between readings mean anything."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait for ``seconds`` (a negative or zero wait returns at once)."""
        ...


class SystemClock:
    """The real clock: :func:`datetime.now`, :func:`time.monotonic`, :func:`time.sleep`."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        """Read :func:`time.monotonic`."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Sleep for ``seconds``; a negative value sleeps not at all."""
        time.sleep(max(0.0, seconds))
