"""The progress rule (8 sessions, 28 days, 2 points or 30 % lower) and its boundaries, and
the course's rules: check-ins (PEG 30 % lower, PGIC no change or worse, 28 days), the week
after which a check-in is due, and flare-ups (2 points above the median of five)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakes import FakeClock
from hipguide.progress import (
    CheckinProgress,
    Progress,
    assess_checkins,
    assess_progress,
    assess_window,
    checkin_due,
    detect_flare,
    median,
    peg_mean,
)
from hipguide.ui import json
from hipguide.ui.text import progress_message

T0 = datetime(2024, 1, 1, 8, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Session:
    started_at: datetime
    pain_before: int | None
    pain_after: int | None = None


def spread(pains: Sequence[int | None], days: float) -> list[Session]:
    """Sessions evenly spaced from T0 to ``days`` later, one per pain score."""
    step = timedelta(days=days) / max(len(pains) - 1, 1)
    return [Session(T0 + step * n, pain) for n, pain in enumerate(pains)]


FLAT_8 = [5] * 8


@pytest.mark.parametrize(
    ("pains", "days", "status"),
    [
        pytest.param([5] * 7, 40, "too_few", id="7-sessions"),
        pytest.param(FLAT_8, 40, "stalled", id="8-sessions"),
        pytest.param(FLAT_8, 27.9, "too_short", id="27.9-days"),
        pytest.param(FLAT_8, 28, "stalled", id="28-days"),
        pytest.param([8, 8, 8, 7, 7, 6, 6, 6], 30, "improving", id="exactly-2-points"),
        pytest.param([8, 8, 8, 7, 7, 6, 6, 7], 30, "stalled", id="just-under-2-points"),
        pytest.param([3, 3, 4, 3, 3, 2, 2, 3], 30, "improving", id="exactly-30-percent"),
        pytest.param([3, 3, 4, 3, 3, 2, 3, 3], 30, "stalled", id="just-under-30-percent"),
        pytest.param([0, 0, 0, 0, 0, 0, 0, 0], 30, "improving", id="first-mean-0-stays-0"),
        pytest.param([1] * 8, 30, "stalled", id="first-mean-1-stays-1"),
        pytest.param([0, 0, 1, 1, 1, 1, 0, 0], 30, "stalled", id="first-mean-third-stays"),
        pytest.param([0, 0, 0, 1, 1, 2, 2, 2], 30, "stalled", id="first-mean-0-then-worse"),
        pytest.param([4, 4, 4, 5, 5, 6, 6, 6], 30, "stalled", id="worse"),
        pytest.param([9, 8, 9, 6, 5, 2, 1, 2], 30, "improving", id="much-better"),
        pytest.param([6, 6, 6, 0, 10, 6, 6, 6], 30, "stalled", id="middle-ignored"),
        pytest.param([5] * 7 + [None] * 3, 40, "too_few", id="unscored-not-counted"),
        pytest.param([5, None] * 8, 40, "stalled", id="unscored-between"),
    ],
)
def test_progress_rule(pains: list[int | None], days: float, status: str) -> None:
    progress = assess_progress(spread(pains, days))

    assert progress.status == status
    assert progress.stalled is (status == "stalled")


def test_order_of_the_input_does_not_matter() -> None:
    sessions = spread([8, 8, 8, 7, 7, 6, 6, 7], 30)

    assert assess_progress(sessions[::-1]) == assess_progress(sessions)
    assert assess_progress(sessions).status == "stalled"


def test_span_counts_only_sessions_with_a_pain_score() -> None:
    sessions = [*spread(FLAT_8, 20), Session(T0 + timedelta(days=40), None)]

    progress = assess_progress(sessions)

    assert progress.status == "too_short"
    assert progress.span_days == pytest.approx(20)


@pytest.mark.parametrize(
    ("pains", "first", "last"),
    [
        ([], None, None),
        ([4, 6], None, None),
        ([3, 4, 6], 13 / 3, 13 / 3),
        ([3, 3, 4, 9, 2, 2, 3], 10 / 3, 7 / 3),
    ],
)
def test_means_need_three_sessions(
    pains: list[int | None], first: float | None, last: float | None
) -> None:
    progress = assess_progress(spread(pains, 10))

    assert progress.first_mean == (None if first is None else pytest.approx(first))
    assert progress.last_mean == (None if last is None else pytest.approx(last))
    assert progress.sessions == len(pains)


def test_stalled_message_advises_an_assessment() -> None:
    message = progress_message(assess_progress(spread(FLAT_8, 30)))

    assert "assess" in message
    assert "GP" in message
    assert "5 on average" in message


@pytest.mark.parametrize(
    ("pains", "days", "expected"),
    [
        ([5] * 3, 40, "3 so far"),
        (FLAT_8, 27.9, "27 days so far"),
        ([8, 8, 8, 7, 7, 6, 6, 6], 30, "from 8 to 6"),
        ([0] * 8, 30, "No pain"),
    ],
)
def test_messages_say_where_things_stand(
    pains: list[int | None], days: float, expected: str
) -> None:
    message = progress_message(assess_progress(spread(pains, days)))

    assert expected in message
    assert "cure" not in message.lower()


def test_progress_as_json() -> None:
    progress = Progress(
        sessions=9, span_days=30.123456, first_mean=10 / 3, last_mean=7 / 3, status="improving"
    )

    assert json.progress(progress) == {
        "sessions": 9,
        "span_days": 30.12,
        "first_mean": 3.33,
        "last_mean": 2.33,
        "stalled": False,
        "status": "improving",
        "message": progress_message(progress),
        "min_sessions": 8,
        "min_span_days": 28,
    }


@pytest.mark.parametrize(
    ("status", "stalled"),
    [("too_few", False), ("too_short", False), ("improving", False), ("stalled", True)],
)
def test_only_the_stalled_status_advises_an_assessment(status: str, stalled: bool) -> None:
    assert Progress(8, 30.0, 5.0, 5.0, status).stalled is stalled  # type: ignore[arg-type]


# --- the same rule on the history's window -------------------------------------------------


def _window_of(sessions: Sequence[Session]) -> Progress:
    scored = sorted((s for s in sessions if s.pain_before is not None), key=lambda s: s.started_at)
    pains = [s.pain_before for s in scored if s.pain_before is not None]
    return assess_window(
        len(scored),
        scored[0].started_at if scored else None,
        scored[-1].started_at if scored else None,
        pains[:3],
        pains[-3:],
    )


@pytest.mark.parametrize(
    ("pains", "days", "status"),
    [
        ([5] * 7, 40, "too_few"),
        (FLAT_8, 40, "stalled"),
        (FLAT_8, 27.9, "too_short"),
        (FLAT_8, 28, "stalled"),
        ([6, 6, 6, 5, 5, 4, 4, 4], 40, "improving"),
        ([0] * 8, 40, "improving"),
        ([1] * 8, 40, "stalled"),
        ([0, 1, 0, 1, 1, 0, 0, 1], 40, "stalled"),
    ],
)
def test_the_window_rule_gives_the_same_verdicts(
    pains: list[int], days: float, status: str
) -> None:
    sessions = spread(pains, days)
    assert _window_of(sessions) == assess_progress(sessions)
    assert _window_of(sessions).status == status


def test_a_window_with_short_ends_cannot_be_judged() -> None:
    progress = assess_window(9, T0, T0 + timedelta(days=40), [5, 5], [5, 5])
    assert progress.status == "too_few"


@pytest.mark.parametrize(
    ("first_at", "last_at", "span_days"),
    [
        (None, None, 0),
        (T0, None, 0),
        (None, T0, 0),
        (T0, T0 + timedelta(days=30), 30),
    ],
)
def test_a_window_without_both_start_times_spans_no_days(
    first_at: datetime | None, last_at: datetime | None, span_days: float
) -> None:
    progress = assess_window(8, first_at, last_at, [5, 5, 5], [5, 5, 5])
    assert progress.span_days == span_days
    assert progress.status == ("stalled" if span_days else "too_short")


@pytest.mark.parametrize(
    ("recorded", "first_mean", "status"),
    [
        # Four sessions started at the same time, recorded 8, 2, 2, 2: the first three
        # are the first three recorded, so the first mean is 4 and the fall 2 points.
        pytest.param([(0, 8), (0, 2), (0, 2), (0, 2)], 4, "improving", id="high-first"),
        # Recorded 2, 2, 2, 8: the 8 is the fourth and counts in neither end.
        pytest.param([(0, 2), (0, 2), (0, 2), (0, 8)], 2, "stalled", id="high-fourth"),
    ],
)
def test_sessions_started_at_the_same_time_count_in_the_order_they_were_recorded(
    tmp_path: Path, recorded: list[tuple[int, int]], first_mean: float, status: str
) -> None:
    from hipguide.store import Store

    later = [(day, 2) for day in (10, 20, 30, 30)]
    with Store.open(tmp_path / "history") as store:
        for day, pain in [*recorded, *later]:
            store.start_session(T0 + timedelta(days=day), {}, pain)
        window = store.progress_window()
        from_window = assess_window(
            window.sessions, window.first_at, window.last_at, window.first_pains, window.last_pains
        )
        whole = assess_progress(store.sessions())
    assert whole == from_window
    assert (whole.first_mean, whole.last_mean, whole.status) == (first_mean, 2, status)


SESSIONS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60 * 24 * 60),  # minutes over sixty days
        st.none() | st.integers(min_value=0, max_value=10),
    ),
    max_size=30,
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sessions=SESSIONS)
def test_the_window_read_from_a_history_agrees_with_the_whole_history(
    tmp_path: Path, sessions: list[tuple[int, int | None]]
) -> None:
    """What ``check`` decides from the few numbers it reads is what ``history`` decides
    from every session, on any history."""
    import tempfile

    from hipguide.store import Store

    with tempfile.TemporaryDirectory(dir=tmp_path) as folder, Store.open(Path(folder)) as store:
        for minute, pain in sessions:
            store.start_session(T0 + timedelta(minutes=minute), {}, pain)
        window = store.progress_window()
        from_window = assess_window(
            window.sessions, window.first_at, window.last_at, window.first_pains, window.last_pains
        )
        assert from_window == assess_progress(store.sessions())


# --- the weekly check-ins ------------------------------------------------------------------

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


def test_two_checkins_at_the_same_time_keep_the_order_they_were_given() -> None:
    first, latest = Checkin(T0, (6, 6, 6), 4), Checkin(T0, (3, 3, 3), 2)
    result = assess_checkins(first, latest)
    assert (result.status, result.span_days) == ("too_short", 0)
    assert (result.first_mean, result.latest_mean, result.latest_pgic) == (6, 3, 2)


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


# --- flare-ups -----------------------------------------------------------------------------


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
    assert (result.pain, result.usual, result.flare) == (pain, usual, flare)
    assert result.scores == min(len(recent), 5)


def test_the_median_is_exact() -> None:
    assert median([1, 2]) * 2 == 3
    assert median([7]) == 7
