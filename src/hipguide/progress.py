"""The progress rule: is acupressure easing the pain, or is it time for an assessment?

Pure logic: no I/O, no clock, no sentences (:mod:`hipguide.ui.text` words the
result). With at least :data:`MIN_SESSIONS` sessions that carry a pain score before
pressing, spread over at least :data:`MIN_SPAN_DAYS` days, the mean pain before the
last three sessions must be at least
:data:`MIN_DROP_POINTS` points, or :data:`MIN_DROP_SHARE` of the first three's
mean, below the mean before the first three. If it is not, the person is advised
to have the pain assessed by a professional (DESIGN.md, ``history``).

Means are compared as exact fractions, so the boundaries (exactly 2 points,
exactly 30 %) do not depend on floating-point rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Literal, Protocol

#: Sessions with a pain-before score needed before the rule says anything.
MIN_SESSIONS = 8
#: Days needed between the first and the last of those sessions.
MIN_SPAN_DAYS = 28
#: Sessions averaged at each end.
WINDOW = 3
#: A drop of this many points counts as improvement...
MIN_DROP_POINTS = 2
#: ...and so does a drop of this share of the first mean.
MIN_DROP_SHARE = Fraction(3, 10)

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


def _improved(first: Fraction, last: Fraction) -> bool:
    """At least 2 points, or at least 30 % of the first mean, lower."""
    drop = first - last
    return drop >= MIN_DROP_POINTS or drop >= MIN_DROP_SHARE * first


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
        first = Fraction(sum(pain for _, pain in scored[:WINDOW]), WINDOW)
        last = Fraction(sum(pain for _, pain in scored[-WINDOW:]), WINDOW)

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
        first_mean=None if first is None else float(first),
        last_mean=None if last is None else float(last),
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
        first = Fraction(sum(first_pains[:WINDOW]), WINDOW)
        last = Fraction(sum(last_pains[-WINDOW:]), WINDOW)
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
        first_mean=None if first is None else float(first),
        last_mean=None if last is None else float(last),
        status=status,
    )
