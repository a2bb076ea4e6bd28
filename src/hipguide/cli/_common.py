"""Helpers the commands share: option checks with "did you mean"."""

from __future__ import annotations

from collections.abc import Iterable

from hipguide.errors import UnknownChoice


def choose(value: str, valid: Iterable[str], what: str, option: str) -> str:
    """Return ``value`` if valid, else raise a UsageError with the closest choices."""
    options = list(valid)
    if value in options:
        return value
    raise UnknownChoice(what, value, options, option=option)


def complete_condition(incomplete: str) -> list[str]:
    """Shell completion for condition ids."""
    from hipguide.dataset import load_dataset
    from hipguide.errors import HipguideError

    try:
        ids = [c.id for c in load_dataset().conditions]
    except HipguideError:
        return []
    return [i for i in ids if i.startswith(incomplete)]
