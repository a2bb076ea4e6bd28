"""The progress rule: is acupressure easing the pain, or is it time for an assessment?

Pure logic: no I/O, no clock, no sentences (:mod:`hipguide.ui.text` words the
result). With at least :data:`MIN_SESSIONS` sessions that carry a pain score before
pressing, spread over at least :data:`MIN_SPAN_DAYS` days, the mean pain before the
last three sessions must be at least
:data:`MIN_DROP_POINTS` points, or :data:`MIN_DROP_PERCENT` % of the first three's
mean, below the mean before the first three. If it is not, the person is advised
to have the pain assessed by a professional (DESIGN.md, ``history``).

Means are compared exactly, as whole-number sums (and percentages), so the boundaries
(exactly 2 points, exactly 30 %) do not depend on floating-point rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol

from hipguide.records import dataclass, replace

if TYPE_CHECKING:
    from fractions import Fraction

#: Sessions with a pain-before score needed before the rule says anything.
MIN_SESSIONS = 8
#: Days needed between the first and the last of those sessions.
MIN_SPAN_DAYS = 28
#: Sessions averaged at each end.
WINDOW = 3
#: A drop of this many points counts as improvement...
MIN_DROP_POINTS = 2
#: ...and so does a drop of this share of the first mean, in per cent.
MIN_DROP_PERCENT = 30
#: A whole, in per cent.
PER_CENT = 100

Status = Literal["too_few", "too_short", "improving", "stalled"]


class SessionLike(Protocol):
    """What the rule needs of a session: when it started and the pain before it."""

    @property
    def started_at(self) -> datetime: ...

    @property
    def pain_before(self) -> int | None: ...


@dataclass(frozen=True)
class Progress:
    """The rule's verdict on a history.

    ``sessions`` counts the sessions with a pain-before score; ``span_days`` is
    the time between the first and the last of them; the means are over the first
    and the last three (``None`` with fewer than three). ``status`` is ``too_few`` or
    ``too_short`` while the rule cannot judge yet, else ``improving`` or ``stalled``
    (the rule applies and the pain has not eased enough).
    """

    sessions: int
    span_days: float
    first_mean: float | None
    last_mean: float | None
    status: Status = "too_few"

    @property
    def stalled(self) -> bool:
        """Whether the rule advises a professional assessment."""
        return self.status == "stalled"


def _improved(first: int, last: int) -> bool:
    """At least 2 points, or at least 30 % of the first mean, lower: ``first`` and
    ``last`` are the sums of the :data:`WINDOW` scores at each end."""
    drop = first - last
    return drop >= MIN_DROP_POINTS * WINDOW or PER_CENT * drop >= MIN_DROP_PERCENT * first


def assess_progress(sessions: Sequence[SessionLike]) -> Progress:
    """Apply the progress rule to sessions (in any order); unscored ones are ignored."""
    scored = sorted(
        ((s.started_at, s.pain_before) for s in sessions if s.pain_before is not None),
        key=lambda pair: pair[0],
    )
    count = len(scored)
    span = scored[-1][0] - scored[0][0] if scored else timedelta(0)
    span_days = span.total_seconds() / 86400
    first = last = None
    if count >= WINDOW:
        first = sum(pain for _, pain in scored[:WINDOW])
        last = sum(pain for _, pain in scored[-WINDOW:])

    status: Status
    if count < MIN_SESSIONS:
        status = "too_few"
    elif span < timedelta(days=MIN_SPAN_DAYS):
        status = "too_short"
    else:
        assert first is not None and last is not None  # count >= MIN_SESSIONS > WINDOW
        status = "improving" if (first == last == 0 or _improved(first, last)) else "stalled"
    return Progress(
        sessions=count,
        span_days=span_days,
        first_mean=None if first is None else first / WINDOW,
        last_mean=None if last is None else last / WINDOW,
        status=status,
    )


def assess_window(
    sessions: int,
    first_at: datetime | None,
    last_at: datetime | None,
    first_pains: Sequence[int],
    last_pains: Sequence[int],
) -> Progress:
    """Apply the rule of :func:`assess_progress` to the few numbers it needs, as the
    history's ``progress_window()`` reads them without loading every session: how many
    sessions carry a pain score before pressing, when the first and the last of them
    started, and the scores of the first and the last three (each oldest first).

    Ends holding fewer than three scores cannot be judged: ``too_few``.
    """
    span = last_at - first_at if first_at is not None and last_at is not None else timedelta(0)
    first = last = None
    if sessions >= WINDOW and min(len(first_pains), len(last_pains)) >= WINDOW:
        first = sum(first_pains[:WINDOW])
        last = sum(last_pains[-WINDOW:])
    status: Status
    if sessions < MIN_SESSIONS or first is None or last is None:
        status = "too_few"
    elif span < timedelta(days=MIN_SPAN_DAYS):
        status = "too_short"
    else:
        status = "improving" if (first == last == 0 or _improved(first, last)) else "stalled"
    return Progress(
        sessions=sessions,
        span_days=span.total_seconds() / 86400,
        first_mean=None if first is None else first / WINDOW,
        last_mean=None if last is None else last / WINDOW,
        status=status,
    )


# --- the weekly check-ins (DESIGN.md "checkin") ---------------------------------------------

#: The range of each PEG item, and of the PGIC.
PEG_RANGE = (0, 10)
PGIC_RANGE = (1, 7)
#: Days needed between the first and the latest check-in before they are judged.
CHECKIN_MIN_DAYS = 28
#: A PEG mean this share (in per cent) of the first one's lower is helping: IMMPACT's
#: moderately important change (Dworkin et al. 2008).
CHECKIN_DROP_PERCENT = 30
#: A PGIC of this or more ("no change" or worse) after 4 weeks advises an assessment.
PGIC_NO_CHANGE = 4
#: A routine this many days or more after the latest check-in offers one.
CHECKIN_EVERY_DAYS = 7

CheckinStatus = Literal["too_few", "too_short", "no_pain", "helping", "stalled"]
StallReason = Literal["peg", "pgic"]


class CheckinLike(Protocol):
    """What the rule needs of a check-in: when, the three PEG items, the PGIC."""

    @property
    def at(self) -> datetime: ...

    @property
    def peg(self) -> tuple[int, int, int]: ...

    @property
    def pgic(self) -> int: ...


def peg_mean(peg: Sequence[int]) -> Fraction:
    """The PEG score: the mean of its three items, as an exact fraction."""
    from fractions import Fraction

    return Fraction(sum(peg), len(peg))


@dataclass(frozen=True)
class CheckinProgress:
    """The check-in rule's verdict on the first and the latest check-in.

    ``status`` is ``too_few`` (fewer than two check-ins) or ``too_short`` (fewer than
    :data:`CHECKIN_MIN_DAYS` days between them) while the rule does not apply; else
    ``no_pain`` (both PEG means 0: nothing to judge), ``helping`` or ``stalled``.
    ``why`` says what stalled it: the PEG fell less than 30 %, the PGIC says no change or
    worse, or both. ``drop_share`` is the PEG mean's fall as a share of the first one.
    """

    status: CheckinStatus
    span_days: float = 0.0
    first_mean: float | None = None
    latest_mean: float | None = None
    latest_pgic: int | None = None
    drop_share: float | None = None
    why: tuple[StallReason, ...] = ()

    @property
    def applies(self) -> bool:
        """Whether the check-ins decide, instead of the session-pain rule."""
        return self.status not in ("too_few", "too_short")

    @property
    def stalled(self) -> bool:
        """Whether the rule advises a professional assessment."""
        return self.status == "stalled"


def assess_checkins(first: CheckinLike | None, latest: CheckinLike | None) -> CheckinProgress:
    """Apply the check-in rule to the first and the latest check-in (None: none; with a
    single check-in, ``latest`` is None).

    With two check-ins at least :data:`CHECKIN_MIN_DAYS` days apart, a latest PEG mean at
    least 30 % below the first is helping; a smaller fall, or a latest PGIC of 4 (no
    change) or more, is stalled. Means are exact fractions: exactly 30 % is helping.
    """
    if first is None or latest is None:
        return CheckinProgress("too_few")
    if latest.at < first.at:
        first, latest = latest, first
    span = latest.at - first.at
    # The two means over one denominator: start / items and now / items, exactly.
    items = len(first.peg) * len(latest.peg)
    start, now = sum(first.peg) * len(latest.peg), sum(latest.peg) * len(first.peg)
    drop = start - now
    share = drop / start if start else None
    measured = CheckinProgress(
        "too_short",
        span_days=span.total_seconds() / 86400,
        first_mean=start / items,
        latest_mean=now / items,
        latest_pgic=latest.pgic,
        drop_share=None if share is None else float(share),
    )
    if span < timedelta(days=CHECKIN_MIN_DAYS):
        return measured
    why: list[StallReason] = []
    if start == now == 0 and latest.pgic < PGIC_NO_CHANGE:
        return replace(measured, status="no_pain")
    if PER_CENT * drop < CHECKIN_DROP_PERCENT * start:
        why.append("peg")
    if latest.pgic >= PGIC_NO_CHANGE:
        why.append("pgic")
    if why:
        return replace(measured, status="stalled", why=tuple(why))
    return replace(measured, status="helping")


def checkin_due(latest_at: datetime | None, now: datetime) -> bool:
    """Whether a routine run ``now`` offers a check-in: the latest was at least
    :data:`CHECKIN_EVERY_DAYS` days ago. With none yet, no: the course starts with the
    person's own ``hipguide checkin``. One dated after ``now`` (a clock set back) does not
    make one due."""
    if latest_at is None:
        return False
    return timedelta(days=CHECKIN_EVERY_DAYS) <= now - latest_at


# --- flare-ups (DESIGN.md "Flare-ups") --------------------------------------------------------

#: Pain before a session this many points above the usual is a flare-up...
FLARE_POINTS = 2
#: ...the usual being the median of this many latest pain-before scores...
FLARE_USUAL_OF = 5
#: ...of which at least this many are needed (fewer: no flare is ever found).
FLARE_MIN_SCORES = 3


@dataclass(frozen=True)
class FlareCheck:
    """Whether the pain now is a flare-up: ``usual`` is the median of the scores that
    counted (``scores`` of them; None with too few)."""

    pain: int | None
    usual: float | None
    scores: int
    flare: bool


def median(values: Sequence[int]) -> Fraction:
    """The median, exact (the mean of the middle two for an even count)."""
    from fractions import Fraction

    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def detect_flare(pain_before: int | None, recent: Sequence[int]) -> FlareCheck:
    """Apply the flare rule: ``recent`` are the latest pain-before scores, newest first
    (only the first :data:`FLARE_USUAL_OF` count); with at least
    :data:`FLARE_MIN_SCORES` of them, pain at least :data:`FLARE_POINTS` above their
    median is a flare-up. No pain score now: no flare."""
    counted = list(recent[:FLARE_USUAL_OF])
    if len(counted) < FLARE_MIN_SCORES:
        return FlareCheck(pain_before, None, len(counted), False)
    usual = median(counted)
    flare = pain_before is not None and pain_before - usual >= FLARE_POINTS
    return FlareCheck(pain_before, float(usual), len(counted), flare)
