"""A long history read through the index: the pain trend summed by the database, the
latest sessions and checks, and ``history`` never building a record per session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipguide.errors import StoreError
from hipguide.flows.history import SHOWN, HistoryRequest, read_history
from hipguide.flows.ports import open_history
from hipguide.progress import assess_progress
from hipguide.store import Store, format_time

T0 = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)
Pain = tuple[int | None, int | None]


def bulk(home: Path, rows: Sequence[tuple[datetime, int | None, int | None]]) -> None:
    """Sessions written in one transaction, as a long history would hold them."""
    with Store.open(home) as store:
        connection = store._open_connection()
        with connection:
            connection.executemany(
                "INSERT INTO sessions (started_at, ended_at, points, pain_before, pain_after, "
                "completed, ended_by) VALUES (?, ?, '[\"GB30\"]', ?, ?, 1, 'finished')",
                [
                    (format_time(at), format_time(at + timedelta(minutes=10)), before, after)
                    for at, before, after in rows
                ],
            )


def spans(home: Path, columns: int) -> Any:
    with Store.open(home) as store:
        return store.pain_spans(columns)


def test_an_empty_history_has_no_trend(home: Path) -> None:
    assert spans(home, 60) == ()


def test_with_room_for_each_session_each_is_a_column_oldest_first(home: Path) -> None:
    bulk(
        home, [(T0 + timedelta(days=2), 6, 4), (T0, 7, None), (T0 + timedelta(days=1), None, None)]
    )
    got = spans(home, 60)
    assert [(s.start, s.sessions, s.before, s.after) for s in got] == [
        (T0, 1, 7, None),
        (T0 + timedelta(days=2), 1, 6, 4),
    ]  # the unscored session is not a column


@pytest.mark.parametrize("columns", [1, 2, 7, 60])
def test_a_longer_history_is_the_mean_of_equal_spans_of_time(home: Path, columns: int) -> None:
    rows = [(T0 + timedelta(hours=7 * i), i % 11, (3 * i) % 11) for i in range(200)]
    bulk(home, rows)
    got = spans(home, columns)
    assert len(got) == columns
    assert sum(span.sessions for span in got) == len(rows)
    step = (rows[-1][0] - T0) / columns
    for index, span in enumerate(got):
        assert span.start == T0 + step * index
        inside = [r for r in rows if _in_span(r[0], index, columns, T0, step, rows[-1][0])]
        assert span.sessions == len(inside)
        if inside:
            assert span.before == pytest.approx(sum(r[1] for r in inside) / len(inside))
            assert span.after == pytest.approx(sum(r[2] for r in inside) / len(inside))


def _in_span(
    at: datetime, index: int, columns: int, start: datetime, step: timedelta, end: datetime
) -> bool:
    low = format_time(start + step * index)
    text = format_time(at)
    if index + 1 == columns:
        return low <= text <= format_time(end)
    return low <= text < format_time(start + step * (index + 1))


def test_a_span_without_one_of_the_scores_has_no_mean_of_it(home: Path) -> None:
    bulk(home, [(T0 + timedelta(days=i), 5, None) for i in range(10)])
    got = spans(home, 3)
    assert [s.after for s in got] == [None, None, None]
    assert all(s.before == 5 for s in got)


def test_rows_that_cannot_be_read_at_the_ends_are_passed_over(home: Path) -> None:
    bulk(home, [(T0 + timedelta(days=i), 4, 2) for i in range(5)])
    with Store.open(home) as store:
        connection = store._open_connection()
        with connection:
            connection.execute(
                "INSERT INTO sessions (started_at, pain_before) VALUES ('9999-not-a-date', 3)"
            )
            connection.execute("INSERT INTO sessions (started_at, pain_before) VALUES (12345, 3)")
    got = spans(home, 60)
    assert [s.before for s in got] == [4] * 5


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pains=st.lists(
        st.tuples(st.none() | st.integers(0, 10), st.none() | st.integers(0, 10)), max_size=90
    ),
    columns=st.integers(1, 40),
)
def test_every_scored_session_is_in_the_trend_once(
    tmp_path_factory: pytest.TempPathFactory, pains: list[Pain], columns: int
) -> None:
    home = tmp_path_factory.mktemp("home")
    rows = [(T0 + timedelta(hours=5 * i), before, after) for i, (before, after) in enumerate(pains)]
    bulk(home, rows)
    got = spans(home, columns)
    scored = [r for r in rows if r[1] is not None or r[2] is not None]
    assert sum(span.sessions for span in got) == len(scored)
    assert len(got) <= columns
    for span in got:
        for mean in (span.before, span.after):
            assert mean is None or 0 <= mean <= 10
    befores = [r[1] for r in scored if r[1] is not None]
    counted = sum(span.sessions for span in got if span.before is not None)
    assert (counted == 0) == (not befores)


class _Spy:
    """A history that fails the test if it is read whole."""

    def __init__(self, history: Any) -> None:
        self._history = history

    def __getattr__(self, name: str) -> Any:
        if name in ("sessions", "checks", "pain_timeline"):
            raise AssertionError(f"history read every row through {name}()")
        return getattr(self._history, name)


def test_the_history_view_never_reads_every_row(home: Path) -> None:
    rows = [(T0 + timedelta(hours=9 * i), 7 - (i * 7) // 3000, 3) for i in range(3000)]
    bulk(home, rows)
    with Store.open(home) as store:
        for index in range(30):
            store.record_check(T0 + timedelta(hours=index), {"fever": "no"}, "self-care")
    outcome = read_history(_Spy(open_history(home)), HistoryRequest(trend_columns=lambda _: 60))  # type: ignore[arg-type]
    assert len(outcome.sessions) == len(outcome.checks) == SHOWN
    assert outcome.session_count == 3000 and outcome.check_count == 30
    assert [s.started_at for s in outcome.sessions] == [r[0] for r in rows[-SHOWN:]]
    assert len(outcome.trend) == 60 and sum(s.sessions for s in outcome.trend) == 3000
    # the progress rule's verdict is the one every session gives
    with Store.open(home) as store:
        whole = assess_progress(store.sessions())
    assert outcome.progress == whole
    assert whole.status == "improving"


def test_all_reads_every_session_and_check(home: Path) -> None:
    bulk(home, [(T0 + timedelta(days=i), 5, 3) for i in range(SHOWN + 3)])
    outcome = read_history(open_history(home), HistoryRequest(everything=True))
    assert len(outcome.sessions) == outcome.session_count == SHOWN + 3
    assert outcome.trend == ()  # no trend asked for


@pytest.mark.parametrize("unscored", [0, 1, 7])
def test_the_progress_window_counts_the_scored_sessions_from_the_indexes(
    home: Path, unscored: int
) -> None:
    rows = [(T0 + timedelta(days=i), None if i < unscored else 5, 3) for i in range(12)]
    bulk(home, rows)
    with Store.open(home) as store:
        window = store.progress_window()
        plan = store._open_connection().execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM sessions WHERE pain_before IS NULL"
        )
        assert "sessions_unscored" in " ".join(str(row) for row in plan)
    assert window.sessions == 12 - unscored


def test_a_listing_checks_each_plan_but_keeps_none(home: Path) -> None:
    plan = {"steps": [{"code": "GB30", "side": "left", "seconds": 60}] * 20}
    with Store.open(home) as store:
        for index in range(3):
            store.start_session(T0 + timedelta(days=index), plan, 5)
        assert [s.plan for s in store.sessions()] == [plan] * 3
        assert [s.plan for s in store.sessions(plans=False)] == [{}] * 3
        store._open_connection().execute("UPDATE sessions SET plan = '[1, 2]' WHERE id = 2")
        with pytest.raises(StoreError, match=r"row 2.*plan"):
            store.sessions(plans=False)
