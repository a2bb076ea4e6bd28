"""The history as a use case: what was recorded, whether pressing is helping, and
forgetting it all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hipguide.flows.ports import History, NoHistory, Prompter

if TYPE_CHECKING:
    from hipguide.progress import Progress
    from hipguide.store import CheckRecord, SessionRecord


@dataclass(frozen=True)
class HistoryOutcome:
    """Every recorded session and check, and the progress rule's verdict on them."""

    sessions: list[SessionRecord]
    checks: list[CheckRecord]
    progress: Progress


@dataclass(frozen=True)
class ForgetOutcome:
    """Whether the history was deleted, and from where."""

    deleted: bool
    path: Path


def read_history(store: History | NoHistory) -> HistoryOutcome:
    """Everything recorded; a history that cannot be used is an error here (exit 2)."""
    from hipguide.progress import assess_progress

    _usable(store)
    sessions = store.sessions()
    checks = store.checks()
    return HistoryOutcome(sessions, checks, assess_progress(sessions))


def forget_history(
    store: History | NoHistory, prompter: Prompter, *, confirmed: bool
) -> ForgetOutcome:
    """Delete the whole history, after a confirmation unless ``confirmed``."""
    _usable(store)
    if not (confirmed or prompter.confirm_forget(store.path)):
        return ForgetOutcome(False, store.path)
    store.forget()
    return ForgetOutcome(True, store.path)


def _usable(store: History | NoHistory) -> None:
    if isinstance(store, NoHistory):
        raise store.problem
