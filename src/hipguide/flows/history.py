"""The history as a use case: what was recorded, whether pressing is helping, and
forgetting it all."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hipguide.flows.ports import History, NoHistory, Prompter

if TYPE_CHECKING:
    from hipguide.progress import CheckinProgress, Progress
    from hipguide.store import CheckinRecord, CheckRecord, SessionRecord


@dataclass(frozen=True)
class HistoryOutcome:
    """Every recorded session, check and check-in, and the progress rules' verdicts on
    them (``by_checkins`` is None while there is no check-in)."""

    sessions: list[SessionRecord]
    checks: list[CheckRecord]
    progress: Progress
    checkins: list[CheckinRecord] = field(default_factory=list)
    by_checkins: CheckinProgress | None = None


@dataclass(frozen=True)
class ForgetOutcome:
    """Whether the history was deleted, and from where."""

    deleted: bool
    path: Path


def read_history(store: History | NoHistory) -> HistoryOutcome:
    """Everything recorded; a history that cannot be used is an error here (exit 2)."""
    from hipguide.progress import assess_checkins, assess_progress

    _usable(store)
    sessions = store.sessions()
    checks = store.checks()
    checkins = store.checkins()
    by_checkins = None
    if checkins:
        by_checkins = assess_checkins(checkins[0], checkins[-1] if len(checkins) > 1 else None)
    return HistoryOutcome(
        sessions, checks, assess_progress(sessions), checkins=checkins, by_checkins=by_checkins
    )


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
