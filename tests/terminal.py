"""Run the real program in a pseudo-terminal (pexpect), for the interactive tests."""

from __future__ import annotations

import os
import sys

import pexpect


def spawn(
    args: list[str], columns: int = 80, env: dict[str, str | None] | None = None
) -> pexpect.spawn:
    """``python -m hipguide ARGS`` in a terminal of ``columns`` columns, colour allowed.

    ``env`` adds variables; a ``None`` value removes one.
    """
    overrides = {"NO_COLOR": None, "COLUMNS": None, "LINES": "50", **(env or {})}
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
        dimensions=(50, columns),
    )
