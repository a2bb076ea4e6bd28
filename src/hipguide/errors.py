"""One exception family; each kind carries its exit code and a next step.

The CLI turns any :class:`HipguideError` into one red line on stderr and its exit
code. Nothing else in the package prints errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes (README, "Exit codes")."""

    OK = 0
    NO_MATCH = 1
    USAGE = 2
    SOON = 3
    URGENT = 4
    EMERGENCY = 5
    INTERNAL = 70
    INTERRUPTED = 130


class HipguideError(Exception):
    """Base of every error hipguide reports to the user."""

    exit_code: int = ExitCode.INTERNAL

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class UsageError(HipguideError):
    """A bad option or answer given by the user."""

    exit_code = ExitCode.USAGE


class NoTerminalError(UsageError):
    """A prompt is needed but there is no terminal to show it on."""


class DataError(HipguideError):
    """A dataset file is missing, malformed or inconsistent."""

    exit_code = ExitCode.USAGE


class StoreError(HipguideError):
    """The history database cannot be opened, read or written."""

    exit_code = ExitCode.USAGE


class NoMatchError(HipguideError):
    """A lookup found nothing."""

    exit_code = ExitCode.NO_MATCH


class Interrupted(HipguideError):
    """The user pressed Ctrl-C or ended input."""

    exit_code = ExitCode.INTERRUPTED


class UnknownChoice(UsageError):
    """A value that is not one of the known ones, with the closest as suggestions."""

    def __init__(
        self,
        what: str,
        value: str,
        valid: Sequence[str],
        *,
        option: str = "",
        suggestions: Sequence[str] | None = None,
    ) -> None:
        from hipguide.suggest import close_matches
        from hipguide.untrusted import clip

        close = list(suggestions) if suggestions is not None else close_matches(value, valid)
        where = f" for {option}" if option else ""
        hint = f"Did you mean {' or '.join(close)}? " if close else ""
        shown = clip(value)  # at most 80 characters of it, escaped
        super().__init__(f"Unknown {what} '{shown}'{where}.", f"{hint}Valid: {', '.join(valid)}.")
        self.what, self.value, self.valid, self.suggestions = what, value, tuple(valid), close
