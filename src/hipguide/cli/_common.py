"""Helpers the commands share: option checks with "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from hipguide.errors import UsageError


def choose(value: str, valid: Iterable[str], what: str, option: str) -> str:
    """Return ``value`` if valid, else raise a UsageError with the closest choices."""
    options = list(valid)
    if value in options:
        return value
    close = difflib.get_close_matches(value, options, n=3, cutoff=0.5)
    hint = f"Did you mean {' or '.join(close)}? " if close else ""
    raise UsageError(
        f"Unknown {what} '{value}' for {option}.",
        f"{hint}Valid: {', '.join(options)}.",
    )


def complete_condition(incomplete: str) -> list[str]:
    """Shell completion for condition ids."""
    from hipguide.dataset import load_dataset
    from hipguide.errors import HipguideError

    try:
        ids = [c.id for c in load_dataset().conditions]
    except HipguideError:
        return []
    return [i for i in ids if i.startswith(incomplete)]
