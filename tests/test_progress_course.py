"""The course's rules: check-ins (PEG 30 % lower, PGIC no change or worse, 28 days), the
week after which a check-in is due, and flare-ups (2 points above the median of five)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from fakes import FakeClock
from hipguide.progress import (
    CheckinProgress,
    assess_checkins,
    checkin_due,
    detect_flare,
    median,
    peg_mean,
)

T0 = datetime(2024, 3, 4, 18, 0, tzinfo=timezone.utc)
WEEK = 7 * 86400


@dataclass(frozen=True)
class Checkin:
    at: datetime
    peg: tuple[int, int, int]
    pgic: int


def course(first: tuple[int, int, int], latest: tuple[int, int, int], pgic: int, weeks: float):
    """The first check-in now, the latest ``weeks`` later on a fake clock."""
    clock = FakeClock(wall=T0)
    start = Checkin(clock.now(), first, 4)
    clock.advance(weeks * WEEK)
    return start, Checkin(clock.now(), latest, pgic)


@pytest.mark.parametrize(
    ("first", "latest", "pgic", "weeks", "status", "why"),
    [
        # 4 weeks: the rule starts to apply.
        pytest.param((6, 6, 6), (4, 4, 4), 2, 4, "helping", (), id="4w-33pc-better"),
        pytest.param((6, 6, 6), (5, 5, 5), 2, 4, "stalled", ("peg",), id="4w-17pc"),
        pytest.param((6, 6, 6), (4, 4, 4), 4, 4, "stalled", ("pgic",), id="4w-pgic-4"),
        pytest.param((6, 6, 6), (6, 6, 6), 5, 4, "stalled", ("peg", "pgic"), id="4w-both"),
        # 8 weeks.
        pytest.param((8, 7, 6), (5, 5, 4), 3, 8, "helping", (), id="8w-33pc"),
        pytest.param((8, 7, 6), (6, 5, 5), 3, 8, "stalled", ("peg",), id="8w-24pc"),
        # 12 weeks.
        pytest.param((5, 5, 5), (1, 2, 2), 1, 12, "helping", (), id="12w-67pc"),
        pytest.param((5, 5, 5), (7, 7, 7), 7, 12, "stalled", ("peg", "pgic"), id="12w-worse"),
        # Exactly 30 % lower is helping; a hair less is not (exact fractions).
        pytest.param((10, 10, 10), (7, 7, 7), 3, 4, "helping", (), id="exactly-30pc"),
        pytest.param((10, 10, 10), (7, 7, 8), 3, 4, "stalled", ("peg",), id="just-under-30pc"),
        pytest.param((4, 3, 3), (3, 2, 2), 3, 4, "helping", (), id="30pc-of-10-thirds"),
        # PGIC 3 (a little improved) is fine, 4 (no change) is not.
        pytest.param((6, 6, 6), (3, 3, 3), 3, 4, "helping", (), id="pgic-3"),
        pytest.param((6, 6, 6), (3, 3, 3), 4, 4, "stalled", ("pgic",), id="pgic-4"),
        # 27 days: not yet judged, whatever the scores; 28 days: judged.
        pytest.param((6, 6, 6), (6, 6, 6), 7, 27 / 7, "too_short", (), id="27-days"),
        pytest.param((6, 6, 6), (6, 6, 6), 7, 28 / 7, "stalled", ("peg", "pgic"), id="28-days"),
        pytest.param((6, 6, 6), (6, 6, 6), 7, (28 * 86400 - 1) / WEEK, "too_short", (), id="1s"),
        # No pain at all: nothing to judge, unless the person says it is no better.
        pytest.param((0, 0, 0), (0, 0, 0), 3, 8, "no_pain", (), id="no-pain"),
        pytest.param((0, 0, 0), (0, 0, 0), 4, 8, "stalled", ("pgic",), id="no-pain-no-change"),
        pytest.param((0, 0, 0), (2, 1, 0), 3, 8, "stalled", ("peg",), id="from-no-pain-up"),
    ],
)
def test_the_checkin_rule(first, latest, pgic, weeks, status, why) -> None:  # type: ignore[no-untyped-def]
    result = assess_checkins(*course(first, latest, pgic, weeks))

    assert (result.status, result.why) == (status, why)
    assert result.stalled == (status == "stalled")
    assert result.applies == (status not in ("too_few", "too_short"))


def test_fewer_than_two_checkins_are_too_few() -> None:
    only = Checkin(T0, (5, 5, 5), 4)
    assert assess_checkins(None, None) == CheckinProgress("too_few")
    assert assess_checkins(only, None).status == "too_few"


def test_the_order_of_the_two_does_not_matter() -> None:
    first, latest = course((6, 6, 6), (3, 3, 3), 2, 8)
    assert assess_checkins(latest, first) == assess_checkins(first, latest)


def test_the_means_and_the_share_are_reported() -> None:
    result = assess_checkins(*course((9, 6, 6), (4, 5, 4), 2, 8))
    assert (result.first_mean, result.latest_mean, result.latest_pgic) == (7.0, 13 / 3, 2)
    assert result.drop_share == pytest.approx((7 - 13 / 3) / 7)
    assert result.span_days == 56


def test_the_peg_score_is_the_mean_of_its_three_items() -> None:
    assert peg_mean((3, 4, 6)) == pytest.approx(13 / 3)
    assert peg_mean((10, 10, 10)) == 10


@pytest.mark.parametrize(
    ("days_since", "due"),
    [(None, False), (0, False), (6.99, False), (7, True), (30, True), (-1, False)],
)
def test_a_checkin_is_due_a_week_after_the_last(days_since: float | None, due: bool) -> None:
    clock = FakeClock(wall=T0)
    latest = None if days_since is None else clock.now() - timedelta(days=days_since)
    assert checkin_due(latest, clock.now()) is due


@pytest.mark.parametrize(
    ("pain", "recent", "usual", "flare"),
    [
        pytest.param(6, [4, 4, 4, 4, 4], 4, True, id="exactly-2-above"),
        pytest.param(5, [4, 4, 4, 4, 4], 4, False, id="1-above"),
        pytest.param(9, [2, 8, 3, 7, 4], 4, True, id="median-not-mean"),
        pytest.param(6, [2, 8, 3, 7, 4], 4, True, id="median-of-unsorted"),
        pytest.param(5, [2, 8, 3, 7, 4], 4, False, id="median-plus-1"),
        pytest.param(7, [5, 5, 6, 6], 5.5, False, id="even-count-1.5-above"),
        pytest.param(8, [5, 5, 6, 6], 5.5, True, id="even-count-2.5-above"),
        pytest.param(9, [3, 3, 3, 9, 9, 0, 0], 3, True, id="only-the-latest-five"),
        pytest.param(10, [3, 3], None, False, id="two-scores-no-flare"),
        pytest.param(10, [], None, False, id="no-scores"),
        pytest.param(5, [3, 3, 3], 3, True, id="three-scores-enough"),
        pytest.param(None, [3, 3, 3], 3, False, id="no-pain-now"),
        pytest.param(0, [3, 3, 3], 3, False, id="less-pain"),
    ],
)
def test_the_flare_rule(pain, recent, usual, flare) -> None:  # type: ignore[no-untyped-def]
    result = detect_flare(pain, recent)
    assert (result.usual, result.flare) == (usual, flare)
    assert result.scores == min(len(recent), 5)


def test_the_median_is_exact() -> None:
    assert median([1, 2]) * 2 == 3
    assert median([7]) == 7
