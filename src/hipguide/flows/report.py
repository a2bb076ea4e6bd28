"""A summary of the history for a clinician, as a use case: the pain of every session,
the latest sessions and the totals, every check with what it found, and what the
guide advised. The page itself is drawn at the edge (:mod:`hipguide.ui.html`).

Every read is one the store makes without loading the whole history at once: the
pain trend is read one row at a time, the totals are summed by the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from hipguide.errors import UsageError
from hipguide.flows.ports import History, NoHistory
from hipguide.records import dataclass

if TYPE_CHECKING:
    from hipguide.clock import Clock
    from hipguide.dataset import Dataset
    from hipguide.progress import Progress
    from hipguide.store import CheckRecord, SessionRecord, SessionTotals
    from hipguide.triage import Verdict

#: How many of the latest sessions the report lists one by one.
RECENT_SESSIONS = 20

NO_HISTORY = "There is no history to report on yet."
NO_HISTORY_HINT = (
    "Do the check and a session first ('hipguide check', then 'hipguide routine'); "
    "the report sums up what they record."
)


@dataclass(frozen=True)
class ReportRequest:
    """How many of the latest sessions to list one by one."""

    recent: int = RECENT_SESSIONS


class PainPoint(NamedTuple):
    """One session's start and its pain scores (0-10, or None when not given)."""

    started_at: datetime
    pain_before: int | None
    pain_after: int | None


@dataclass(frozen=True)
class CheckEntry:
    """A recorded check, and what its answers show (reasons and cautions), assessed
    again by the current questions; ``tier`` is the verdict recorded at the time."""

    at: datetime
    tier: str
    verdict: Verdict


@dataclass(frozen=True)
class CheckIn:
    """A weekly check-in: the three PEG items (0-10) and the PGIC (1-7, or None)."""

    at: datetime
    peg: tuple[int, int, int]
    pgic: int | None = None


@dataclass(frozen=True)
class ReportOutcome:
    """Everything the report shows.

    ``timeline`` holds every session's pain, oldest first; ``recent`` the latest
    sessions; ``checks`` every check, oldest first. ``checkins`` stays empty until the
    history keeps check-ins, and ``planned`` (how many sessions a course planned) None
    until it keeps a course. ``skipped`` counts the records that could not be read.
    """

    made_at: datetime
    timeline: tuple[PainPoint, ...]
    recent: tuple[SessionRecord, ...]
    totals: SessionTotals
    checks: tuple[CheckEntry, ...]
    progress: Progress
    checkins: tuple[CheckIn, ...] = ()
    planned: int | None = None
    skipped: int = 0


def read_report(
    request: ReportRequest, *, dataset: Dataset, clock: Clock, store: History | NoHistory
) -> ReportOutcome:
    """Read what the report needs; a history that cannot be used, or one with nothing
    in it, is an error (exit 2) that says what to do first."""
    from hipguide.progress import assess_progress

    if isinstance(store, NoHistory):
        raise store.problem
    checks = store.checks(strict=False)
    if store.session_count() == 0 and not checks:
        raise UsageError(NO_HISTORY, NO_HISTORY_HINT)
    timeline = tuple(PainPoint(*row) for row in store.pain_timeline(strict=False))
    recent = store.recent_sessions(request.recent, strict=False)
    return ReportOutcome(
        made_at=clock.now(),
        timeline=timeline,
        recent=tuple(recent),
        totals=store.session_totals(),
        checks=tuple(_entry(record, dataset) for record in checks),
        progress=assess_progress(timeline),
        skipped=checks.skipped + recent.skipped,
    )


def _entry(record: CheckRecord, dataset: Dataset) -> CheckEntry:
    """The check's answers assessed by the current questions (an answer to a question
    that no longer exists, or that is not yes, no or unsure, is left out)."""
    from hipguide.triage import ANSWERS, Answer, assess

    known = {question.id for question in dataset.triage.questions}
    answers: dict[str, Answer] = {
        k: v for k, v in record.answers.items() if k in known and v in ANSWERS
    }
    derived = {k: v for k, v in record.derived.items() if k in known}
    verdict = assess(dataset.triage, answers, derived=derived)
    return CheckEntry(record.at, record.tier, verdict)
