"""The progress rule: 8 sessions, 28 days, 2 points or 30 % lower, and its boundaries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipguide.progress import Progress, assess_progress, assess_window
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
        ([6, 6, 6, 5, 5, 4, 4, 4], 40, "improving"),
        ([0] * 8, 40, "improving"),
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
