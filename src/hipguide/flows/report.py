"""A summary of the history for a clinician, as a use case: the pain of every session,
the latest sessions and the totals, the weekly check-ins, every check with what it
found, and what the guide advised. The page itself is drawn at the edge
(:mod:`hipguide.ui.html`).

Every read is one the store makes without loading the whole history at once: the
pain trend is read one row at a time, the totals are summed by the database.

What the guide advised follows the same rules as ``history`` and ``check``: the
check-ins decide while two of them are 28 days or more apart, else the pain before the
sessions; and a check that counted ``no_improvement`` as yes names the measure that
did (see :func:`derived_by`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal, NamedTuple

from hipguide.errors import StoreError, UsageError
from hipguide.flows.ports import History, NoHistory
from hipguide.records import dataclass, field

if TYPE_CHECKING:
    from hipguide.clock import Clock
    from hipguide.dataset import Dataset
    from hipguide.progress import CheckinProgress, Progress
    from hipguide.store import CheckRecord, SessionRecord, SessionTotals
    from hipguide.triage import Verdict

#: How many of the latest sessions the report lists one by one.
RECENT_SESSIONS = 20

#: The measure that answered a question from the history: the weekly check-ins, or the
#: pain scores before the sessions.
Measure = Literal["checkins", "sessions"]
#: The measures by the names a check may record them under.
MEASURES: dict[str, Measure] = {"checkins": "checkins", "sessions": "sessions"}

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
    again by the current questions; ``tier`` is the verdict recorded at the time.
    ``derived_by`` names, for each answer the history gave, the measure that gave it."""

    at: datetime
    tier: str
    verdict: Verdict
    derived_by: Mapping[str, Measure] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckIn:
    """A weekly check-in: the three PEG items (0-10) and the PGIC (1-7)."""

    at: datetime
    peg: tuple[int, int, int]
    pgic: int


@dataclass(frozen=True)
class ReportOutcome:
    """Everything the report shows.

    ``timeline`` holds every session's pain, oldest first; ``recent`` the latest
    sessions; ``checks`` every check and ``checkins`` every check-in, oldest first.
    ``progress`` is the session-pain rule's verdict and ``by_checkins`` the check-in
    rule's (None without check-ins); ``derived_now`` the measure by which ``check``
    now counts ``no_improvement`` as yes (None: it does not). ``planned`` (how many
    sessions a course planned) stays None: the history keeps no course.
    What could not be read is counted by what it is left out of: ``skipped_checks``
    counts the checks that could not be read (every check is read), ``skipped_sessions``
    the sessions passed over among the latest (older sessions are not read one by one),
    ``unplotted`` the sessions whose start or pain scores could not be read, which the
    chart, the pain rule and the days counted leave out; ``checkins_partial`` says that
    a check-in could not be read, so that only the first and the latest are known. The
    totals (``totals`` and ``check_count``) count every record, these included.
    """

    made_at: datetime
    timeline: tuple[PainPoint, ...]
    recent: tuple[SessionRecord, ...]
    totals: SessionTotals
    checks: tuple[CheckEntry, ...]
    progress: Progress
    checkins: tuple[CheckIn, ...] = ()
    by_checkins: CheckinProgress | None = None
    derived_now: Measure | None = None
    planned: int | None = None
    skipped_checks: int = 0
    skipped_sessions: int = 0
    unplotted: int = 0
    checkins_partial: bool = False

    @property
    def check_count(self) -> int:
        """Every check recorded, those that could not be read included."""
        return len(self.checks) + self.skipped_checks

    @property
    def skipped(self) -> int:
        """The rows passed over as the checks and the latest sessions were read."""
        return self.skipped_checks + self.skipped_sessions

    @property
    def decided_by(self) -> Measure:
        """The measure whose rule decides whether pressing helps: the check-ins while
        their rule applies, else the pain before the sessions."""
        if self.by_checkins is not None and self.by_checkins.applies:
            return "checkins"
        return "sessions"


def read_report(
    request: ReportRequest, *, dataset: Dataset, clock: Clock, store: History | NoHistory
) -> ReportOutcome:
    """Read what the report needs; a history that cannot be used, or one with nothing
    in it, is an error (exit 2) that says what to do first."""
    from hipguide.flows.check import derived_answers
    from hipguide.progress import CheckinProgress, assess_checkins, assess_progress

    if isinstance(store, NoHistory):
        raise store.problem
    checks = store.checks(strict=False)
    checkins, partial = _read_checkins(store)
    if store.session_count() == 0 and not checks and not checks.skipped and not checkins:
        raise UsageError(NO_HISTORY, NO_HISTORY_HINT)
    timeline = tuple(PainPoint(*row) for row in store.pain_timeline(strict=False))
    recent = store.recent_sessions(request.recent, strict=False)
    totals = store.session_totals()
    # the first and the latest check-in, as ``check`` reads them (passing over bad rows)
    by_checkins = assess_checkins(*store.checkin_ends()) if checkins else None
    why = derived_answers(store).get("no_improvement")
    derived_now: Measure | None = None
    if why is not None:
        derived_now = "checkins" if isinstance(why, CheckinProgress) else "sessions"
    return ReportOutcome(
        made_at=clock.now(),
        timeline=timeline,
        recent=tuple(recent),
        totals=totals,
        checks=tuple(_entry(record, dataset, checkins) for record in checks),
        progress=assess_progress(timeline),
        checkins=checkins,
        by_checkins=by_checkins,
        derived_now=derived_now,
        skipped_checks=checks.skipped,
        skipped_sessions=recent.skipped,
        # the totals count every row; the timeline passes over those it cannot read
        unplotted=max(0, totals.count - len(timeline)),
        checkins_partial=partial,
    )


def _read_checkins(store: History) -> tuple[tuple[CheckIn, ...], bool]:
    """Every check-in, oldest first; when one cannot be read, the first and the latest
    that can (and True)."""
    try:
        records = list(store.checkins())
        partial = False
    except StoreError:
        first, latest = store.checkin_ends()  # passes over the rows it cannot read
        records = [record for record in (first, latest) if record is not None]
        partial = True
    return tuple(CheckIn(r.at, r.peg, r.pgic) for r in records), partial


def derived_by(
    stored: Mapping[str, str], at: datetime, checkins: Sequence[CheckIn]
) -> dict[str, Measure]:
    """The measure behind each answer a check took from the history: the one it recorded
    (``checkins`` or ``sessions``), else the one whose rule decided when it was made, as
    ``check`` decides it: the check-ins when the first and the latest of those recorded
    by then are 28 days or more apart, else the pain before the sessions."""
    from hipguide.progress import assess_checkins

    found: dict[str, Measure] = {}
    for question_id, value in stored.items():
        recorded = MEASURES.get(value)
        if recorded is not None:
            found[question_id] = recorded
            continue
        by_then = [c for c in checkins if c.at <= at]
        first = by_then[0] if by_then else None
        latest = by_then[-1] if len(by_then) > 1 else None
        rule = assess_checkins(first, latest)
        found[question_id] = "checkins" if rule.applies else "sessions"
    return found


def _entry(record: CheckRecord, dataset: Dataset, checkins: Sequence[CheckIn]) -> CheckEntry:
    """The check's answers assessed by the current questions (an answer to a question
    that no longer exists, or that is not yes, no or unsure, is left out)."""
    from hipguide.triage import ANSWERS, Answer, assess

    known = {question.id for question in dataset.triage.questions}
    answers: dict[str, Answer] = {
        k: v for k, v in record.answers.items() if k in known and v in ANSWERS
    }
    derived = {k: v for k, v in record.derived.items() if k in known}
    verdict = assess(dataset.triage, answers, derived=derived)
    return CheckEntry(record.at, record.tier, verdict, derived_by(derived, record.at, checkins))
