"""The history as a use case: what was recorded, whether pressing is helping, and
forgetting it all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from hipguide.flows.ports import History, NoHistory, Prompter
from hipguide.records import dataclass, field

if TYPE_CHECKING:
    from hipguide.progress import CheckinProgress, Progress
    from hipguide.store import CheckinRecord, CheckRecord, PainSpan, SessionRecord


#: How many of the latest sessions and checks ``history`` shows unless asked for all.
SHOWN = 20


@dataclass(frozen=True)
class HistoryRequest:
    """What to read: every session and check (``everything``) or the latest
    :data:`SHOWN` of each; and the pain trend, in as many columns as ``trend_columns``
    gives for the number of check-ins (whose trend takes room beside it), or none."""

    everything: bool = False
    trend_columns: Callable[[int], int] | None = None


@dataclass(frozen=True)
class HistoryOutcome:
    """The sessions and checks shown (the latest, or all of them), how many the history
    holds, the pain trend of all of them, every check-in, and the progress rules'
    verdicts (``by_checkins`` is None while there is no check-in)."""

    sessions: list[SessionRecord]
    checks: list[CheckRecord]
    progress: Progress
    checkins: list[CheckinRecord] = field(default_factory=list)
    by_checkins: CheckinProgress | None = None
    session_count: int = 0
    check_count: int = 0
    trend: tuple[PainSpan, ...] = ()


@dataclass(frozen=True)
class ForgetOutcome:
    """Whether the history was deleted, and from where; ``found`` is False when there
    was no history there to delete."""

    deleted: bool
    path: Path
    found: bool = True


def read_history(
    store: History | NoHistory, request: HistoryRequest | None = None
) -> HistoryOutcome:
    """What ``history`` shows; a history that cannot be used is an error here (exit 2),
    and so is a row it cannot read among those shown.

    However long the history, it is read through the index: the latest sessions and
    checks, their counts, the trend summed by the database and the progress rule's few
    numbers (the same ones ``check`` reads), never a record per session unless every
    one is asked for.
    """
    from hipguide.progress import assess_checkins, assess_window

    request = request or HistoryRequest()
    _usable(store)
    if request.everything:
        sessions: list[SessionRecord] = store.sessions(plans=False)  # none is shown
        checks: list[CheckRecord] = store.checks()
    else:
        sessions = store.recent_sessions(SHOWN)
        checks = store.recent_checks(SHOWN)
    # a list shorter than the latest SHOWN, or every one, is the whole of it
    whole = request.everything
    session_count = len(sessions) if whole or len(sessions) < SHOWN else store.session_count()
    check_count = len(checks) if whole or len(checks) < SHOWN else store.check_count()
    checkins = store.checkins()
    trend: tuple[PainSpan, ...] = ()
    if request.trend_columns is not None:
        trend = store.pain_spans(request.trend_columns(len(checkins)))
    by_checkins = None
    if checkins:
        by_checkins = assess_checkins(checkins[0], checkins[-1] if len(checkins) > 1 else None)
    window = store.progress_window()
    progress = assess_window(
        window.sessions, window.first_at, window.last_at, window.first_pains, window.last_pains
    )
    return HistoryOutcome(
        sessions,
        checks,
        progress,
        checkins=checkins,
        by_checkins=by_checkins,
        session_count=session_count,
        check_count=check_count,
        trend=trend,
    )


def forget_history(
    where: Path | History | NoHistory, prompter: Prompter, *, confirmed: bool
) -> ForgetOutcome:
    """Delete the whole history, after a confirmation unless ``confirmed``.

    ``where`` is the history file's path (:func:`hipguide.store.history_path`), or a
    history, which is closed first. The file is never opened as a database, so a
    damaged one is deleted too, and nothing is created, not even where the question
    cannot be asked. Only regular files of the user's own are removed, never through a
    link (:func:`hipguide.store.delete_history`): anything else is refused before the
    question.
    """
    from hipguide.store import delete_history, history_files

    if isinstance(where, Path):
        path = where
    else:
        path = where.path
        where.close()
    home = path.parent
    found = bool(history_files(home))
    if not (confirmed or prompter.confirm_forget(path)):
        return ForgetOutcome(False, path, found=found)
    return ForgetOutcome(delete_history(home), path, found=found)


def _usable(store: History | NoHistory) -> None:
    if isinstance(store, NoHistory):
        raise store.problem
