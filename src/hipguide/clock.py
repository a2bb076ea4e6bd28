"""Time for the session engine: a protocol, and the real monotonic clock.

The engine never reads the time or sleeps on its own; it asks a :class:`Clock`,
so tests can pass a fake one whose ``sleep()`` only moves ``now()`` forward.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """A source of monotonic time that can also wait."""

    def now(self) -> float:
        """Monotonic seconds; only differences between readings mean anything."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait for ``seconds`` (a negative or zero wait returns at once)."""
        ...


class MonotonicClock:
    """The real clock: :func:`time.monotonic` and :func:`time.sleep`."""

    def now(self) -> float:
        """Read :func:`time.monotonic`."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Sleep for ``seconds``; a negative value sleeps not at all."""
        time.sleep(max(0.0, seconds))
