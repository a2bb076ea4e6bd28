"""SIGTERM and SIGHUP during a session: noticed, so that the session ends like ``q``
(recorded as ended early, the terminal restored) instead of the process dying mid-way.

Only the main thread may set signal handlers; elsewhere, and on platforms without
these signals (Windows has no SIGHUP), nothing is installed.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: The signals that end a session gently, where the platform has them.
ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def ending_signals() -> Iterator[Callable[[], bool]]:
    """Within the block, SIGTERM and SIGHUP only set a flag; yields a function that says
    whether one came. The previous handlers come back on exit."""
    received: list[int] = []

    def note(signum: int, frame: Any) -> None:
        received.append(signum)

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in ENDING:
            previous[signum] = signal.signal(signum, note)
    try:
        yield lambda: bool(received)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
