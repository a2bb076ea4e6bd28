"""The session engine, driven by a fake clock (nothing here sleeps for real)."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from itertools import pairwise

import pytest

from fakes import FakeClock, ScriptedCommands
from hipguide.clock import SystemClock
from hipguide.planner import REST_SECONDS, SWITCH_SECONDS, Step, timeline, total_seconds
from hipguide.session import TICK, Command, Event, SessionEngine, SessionResult

Script = Sequence[tuple[float, Command | BaseException]]


def press(point: str, side: str = "left", seconds: int = 3) -> Step:
    """A step with the given point, side and length."""
    assert side in ("left", "right")
    return Step(point, side, seconds, "moderate", "local")  # type: ignore[arg-type]


def run(
    steps: Sequence[Step], clock: FakeClock | None = None, script: Script = ()
) -> tuple[list[Event], SessionResult, FakeClock]:
    """Run a session to its end with scripted commands; return events, result, clock."""
    clock = clock or FakeClock()
    events: list[Event] = []
    engine = SessionEngine(steps, clock, wait_for_command=ScriptedCommands(clock, script))
    result = engine.run(events.append)
    return events, result, clock


def outline(events: Sequence[Event]) -> list[tuple[str, int, str | None]]:
    """Events without ticks, as (kind, step, segment kind)."""
    return [
        (event.kind, event.step, event.segment.kind if event.segment else None)
        for event in events
        if event.kind != "tick"
    ]


def kinds(events: Sequence[Event]) -> list[str]:
    return [event.kind for event in events if event.kind != "tick"]


SAME_POINT = [press("GB30", "left", 3), press("GB30", "right", 3)]
MIXED = [press("GB30", "left", 4), press("GB30", "right", 4), press("ST36", "left", 2)]
# Timeline of THREE: press 0-3, switch 3-8, press 8-11, rest 11-21, press 21-24.
THREE = [press("GB30", "left"), press("GB30", "right"), press("ST36", "left")]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (
            SAME_POINT,
            [
                ("start", 0, None),
                ("segment", 0, "press"),
                ("done", 0, "press"),
                ("segment", 1, "switch"),
                ("segment", 1, "press"),
                ("done", 1, "press"),
                ("ended", 1, None),
            ],
        ),
        (
            MIXED,
            [
                ("start", 0, None),
                ("segment", 0, "press"),
                ("done", 0, "press"),
                ("segment", 1, "switch"),
                ("segment", 1, "press"),
                ("done", 1, "press"),
                ("segment", 2, "rest"),
                ("segment", 2, "press"),
                ("done", 2, "press"),
                ("ended", 2, None),
            ],
        ),
    ],
    ids=["same-point", "mixed"],
)
def test_event_order_follows_the_timeline(
    steps: list[Step], expected: list[tuple[str, int, str | None]]
) -> None:
    events, result, _ = run(steps, FakeClock(start=1000.0))

    assert outline(events) == expected
    assert result == SessionResult(
        completed=True,
        ended_by="finished",
        steps_done=tuple(range(len(steps))),
        steps_skipped=(),
        started_at=1000.0,
        ended_at=1000.0 + total_seconds(steps),
        active_seconds=float(total_seconds(steps)),
    )
    assert events[-1].remaining == 0.0
    assert events[-1].elapsed == total_seconds(steps)


def test_ticks_fall_on_quarter_seconds_and_never_faster() -> None:
    clock = FakeClock(start=50.0)
    events: list[Event] = []
    SessionEngine(MIXED, clock).run(events.append)  # default wait: clock.sleep

    expected_ticks: list[float] = []
    segment_start = 50.0
    for segment in timeline(MIXED):
        expected_ticks += [segment_start + n * TICK for n in range(1, 4 * segment.seconds)]
        segment_start += segment.seconds
    ticks = [event for event in events if event.kind == "tick"]
    assert [tick.at for tick in ticks] == pytest.approx(expected_ticks)
    assert all(later.at - earlier.at >= TICK - 1e-9 for earlier, later in pairwise(ticks))
    # No busy waiting: one wait per quarter second, none longer than a tick.
    assert len(clock.sleeps) == 4 * total_seconds(MIXED)
    assert max(clock.sleeps) <= TICK


def test_tick_remaining_counts_down_to_the_segment_end() -> None:
    events, _, _ = run([press("GB30", seconds=2)])

    ticks = [event for event in events if event.kind == "tick"]
    assert [tick.remaining for tick in ticks] == pytest.approx(
        [1.75, 1.5, 1.25, 1.0, 0.75, 0.5, 0.25]
    )
    assert [tick.elapsed for tick in ticks] == pytest.approx([tick.at for tick in ticks])


@pytest.mark.parametrize(
    ("pause_at", "resume_at", "segment_kind"),
    [(2.0, 9.5, "press"), (0.1, 0.2, "press"), (13.0, 20.25, "rest")],
)
def test_pause_shifts_the_end_by_exactly_the_pause(
    pause_at: float, resume_at: float, segment_kind: str
) -> None:
    clock = FakeClock()
    waits = ScriptedCommands(clock, [(pause_at, "pause"), (resume_at, "pause")])
    events: list[Event] = []
    result = SessionEngine(THREE, clock, wait_for_command=waits).run(events.append)

    pause = resume_at - pause_at
    assert result.ended_at == pytest.approx(total_seconds(THREE) + pause, abs=1e-9)
    assert result.active_seconds == pytest.approx(total_seconds(THREE), abs=1e-9)
    assert result.completed and result.steps_done == (0, 1, 2)
    paused = next(i for i, event in enumerate(events) if event.kind == "paused")
    resumed = next(i for i, event in enumerate(events) if event.kind == "resumed")
    assert resumed == paused + 1  # no tick while paused
    assert events[paused].at == pytest.approx(pause_at)
    paused_segment = events[paused].segment
    assert paused_segment is not None and paused_segment.kind == segment_kind
    assert events[resumed].remaining == pytest.approx(events[paused].remaining)
    assert events[resumed].elapsed == pytest.approx(events[paused].elapsed)
    # Ticks after the resume keep their quarter-second spacing on the shifted timeline.
    after = [event for event in events[resumed:] if event.kind == "tick"]
    assert after[0].elapsed == pytest.approx((int(pause_at / TICK) + 1) * TICK)


def test_pause_waits_in_slices_of_at_most_a_tick() -> None:
    clock = FakeClock()
    waits = ScriptedCommands(clock, [(1.0, "pause"), (61.0, "pause")])
    SessionEngine([press("GB30")], clock, wait_for_command=waits).run(lambda event: None)

    assert max(waits.timeouts) <= TICK
    assert len(waits.timeouts) >= 60 / TICK


@pytest.mark.parametrize(
    ("script", "cut", "ended_at", "done", "skipped"),
    [
        ([(1.0, "skip")], 2.0, 22.0, (1, 2), (0,)),  # first press (0-3)
        ([(9.5, "skip")], 1.5, 22.5, (0, 2), (1,)),  # second press (8-11)
        ([(5.0, "skip")], 3.0, 21.0, (0, 1, 2), ()),  # the switch (3-8)
        ([(12.0, "skip")], 9.0, 15.0, (0, 1, 2), ()),  # the rest (11-21)
        # Paused 4 s at 2.0, so the first press now ends at 7.0: 1 s is cut.
        ([(2.0, "pause"), (6.0, "skip")], 1.0, 27.0, (1, 2), (0,)),
    ],
    ids=["press", "second-press", "switch", "rest", "while-paused"],
)
def test_skip_shortens_the_session_by_the_time_cut_off(
    script: Script, cut: float, ended_at: float, done: tuple[int, ...], skipped: tuple[int, ...]
) -> None:
    events, result, _ = run(THREE, script=script)

    assert total_seconds(THREE) == 24
    assert result.ended_at == pytest.approx(ended_at)
    assert result.completed and result.ended_by == "finished"
    assert (result.steps_done, result.steps_skipped) == (done, skipped)
    skip_event = next(event for event in events if event.kind == "skipped")
    assert skip_event.remaining == pytest.approx(cut)
    assert events[-1].kind == "ended"
    assert events[-1].elapsed == total_seconds(THREE)


def test_skip_goes_straight_to_the_next_segment() -> None:
    events, _, _ = run(THREE, script=[(1.0, "skip")])

    skipped = next(i for i, event in enumerate(events) if event.kind == "skipped")
    assert outline(events[skipped : skipped + 2]) == [
        ("skipped", 0, "press"),
        ("segment", 1, "switch"),
    ]
    assert events[skipped + 1].remaining == SWITCH_SECONDS


@pytest.mark.parametrize(
    ("script", "ended_at", "active", "done"),
    [
        ([(1.5, "quit")], 1.5, 1.5, ()),
        ([(9.0, "quit")], 9.0, 9.0, (0,)),
        ([(2.0, "pause"), (6.0, "quit")], 6.0, 2.0, ()),
    ],
    ids=["first-press", "second-press", "while-paused"],
)
def test_quit_ends_the_session_incomplete(
    script: Script, ended_at: float, active: float, done: tuple[int, ...]
) -> None:
    events, result, _ = run(THREE, script=script)

    assert result == SessionResult(
        completed=False,
        ended_by="quit",
        steps_done=done,
        steps_skipped=(),
        started_at=0.0,
        ended_at=ended_at,
        active_seconds=active,
    )
    assert events[-1].kind == "ended"
    assert kinds(events).count("ended") == 1
    assert events[-1].elapsed == pytest.approx(active)
    assert events[-1].remaining == pytest.approx(total_seconds(THREE) - active)


def test_keyboard_interrupt_in_wait_keeps_the_partial_result() -> None:
    clock = FakeClock()
    waits = ScriptedCommands(clock, [(9.0, KeyboardInterrupt())])
    engine = SessionEngine(THREE, clock, wait_for_command=waits)
    events: list[Event] = []

    with pytest.raises(KeyboardInterrupt):
        engine.run(events.append)

    assert engine.result == SessionResult(
        completed=False,
        ended_by="interrupt",
        steps_done=(0,),
        steps_skipped=(),
        started_at=0.0,
        ended_at=9.0,
        active_seconds=9.0,
    )
    assert events[-1].kind == "ended"


def test_keyboard_interrupt_in_on_event_keeps_the_partial_result() -> None:
    clock = FakeClock()
    engine = SessionEngine(THREE, clock)
    events: list[Event] = []

    def on_event(event: Event) -> None:
        events.append(event)
        if event.kind == "segment" and event.segment and event.segment.kind == "rest":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        engine.run(on_event)

    assert engine.result is not None
    assert engine.result.ended_by == "interrupt"
    assert engine.result.steps_done == (0, 1)
    assert engine.result.ended_at == 11.0
    assert events[-1].kind == "ended"


def test_keyboard_interrupt_after_the_end_keeps_the_finished_result() -> None:
    engine = SessionEngine(SAME_POINT, FakeClock())

    def on_event(event: Event) -> None:
        if event.kind == "ended":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        engine.run(on_event)

    assert engine.result is not None
    assert engine.result.ended_by == "finished"
    assert engine.result.completed


class JitterClock(FakeClock):
    """A fake clock whose every sleep runs 0 to 30 ms late, like a busy machine."""

    def __init__(self, seed: int) -> None:
        super().__init__(start=123.0)
        self.random = random.Random(seed)

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds + self.random.uniform(0.0, 0.030))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_late_sleeps_do_not_drift(seed: int) -> None:
    # 10 points on both sides: 20 presses of 23 s, 10 switches, 9 rests = 600 s.
    steps = [press(f"P{n}", side, 23) for n in range(10) for side in ("left", "right")]
    assert total_seconds(steps) == 600
    clock = JitterClock(seed)
    events: list[Event] = []

    result = SessionEngine(steps, clock).run(events.append)

    assert 0.0 <= result.ended_at - (123.0 + 600) <= 0.050
    planned_start = 123.0
    starts = [event for event in events if event.kind == "segment"]
    for segment, event in zip(timeline(steps), starts, strict=True):
        assert 0.0 <= event.at - planned_start <= 0.050
        planned_start += segment.seconds
    assert len([event for event in events if event.kind == "tick"]) <= 4 * 600


def test_zero_second_press_is_done_at_once() -> None:
    steps = [press("GB30", seconds=0), press("ST36", seconds=2)]
    events, result, _ = run(steps, FakeClock(start=5.0))

    assert outline(events)[:4] == [
        ("start", 0, None),
        ("segment", 0, "press"),
        ("done", 0, "press"),
        ("segment", 1, "rest"),
    ]
    assert events[3].at == 5.0
    assert next(event.at for event in events if event.kind == "tick") == 5.0 + TICK
    assert result.steps_done == (0, 1)
    assert result.ended_at == 5.0 + REST_SECONDS + 2


def test_plan_of_only_zero_second_presses_never_waits() -> None:
    events, result, clock = run([press("GB30", seconds=0)])

    assert kinds(events) == ["start", "segment", "done", "ended"]
    assert clock.sleeps == []
    assert result.completed and result.steps_done == (0,)


def test_empty_plan_ends_at_once() -> None:
    events, result, _ = run([])

    assert kinds(events) == ["start", "ended"]
    assert result.completed and result.steps_done == ()


def test_engine_runs_once() -> None:
    engine = SessionEngine(SAME_POINT, FakeClock())
    engine.run(lambda event: None)

    with pytest.raises(RuntimeError):
        engine.run(lambda event: None)


def test_engine_exposes_its_timeline() -> None:
    engine = SessionEngine(MIXED, FakeClock(), rest_seconds=7, switch_seconds=2)

    assert engine.segments == tuple(timeline(MIXED, 7, 2))
    assert engine.total_seconds == total_seconds(MIXED, 7, 2) == 4 + 2 + 4 + 7 + 2


def test_monotonic_clock_sleeps_never_negative(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    clock = SystemClock()

    clock.sleep(-0.5)
    clock.sleep(0.2)

    assert slept == [0.0, 0.2]
    first = clock.monotonic()
    assert clock.monotonic() >= first


# --- the find step: no countdown until the thumb is on the point ---------------------------


def run_finding(
    steps: Sequence[Step], script: Script = (), find_seconds: float | None = None
) -> tuple[list[Event], SessionResult, FakeClock]:
    clock = FakeClock()
    events: list[Event] = []
    engine = SessionEngine(
        steps,
        clock,
        wait_for_command=ScriptedCommands(clock, script),
        find=True,
        find_seconds=find_seconds,
    )
    return events, engine.run(events.append), clock


def press_starts(events: Sequence[Event]) -> list[float]:
    return [e.at for e in events if e.kind == "segment" and e.segment and e.segment.kind == "press"]


def test_no_countdown_starts_before_the_person_says_the_thumb_is_on_the_point() -> None:
    # THREE's timeline is 24 s; the person takes 7 s, then 2 s, then 40 s to find each point.
    script: Script = [
        (7.0, "confirm"),
        (7 + 3 + 5 + 2.0, "pause"),
        (7 + 2 + 11 + 10 + 40.0, "confirm"),
    ]
    events, result, clock = run_finding(THREE, script)
    assert press_starts(events) == [7.0, 17.0, 70.0]
    assert outline(events)[:4] == [
        ("start", 0, None),
        ("find", 0, "press"),
        ("found", 0, "press"),
        ("segment", 0, "press"),
    ]
    assert clock.time == pytest.approx(24 + 7 + 2 + 40)
    assert result.completed and result.steps_done == (0, 1, 2)
    # time spent finding is not pressing or resting
    assert result.active_seconds == pytest.approx(24)


def test_no_tick_of_a_countdown_comes_while_finding_without_a_time_limit() -> None:
    events, _, _ = run_finding([press("GB30")], [(30.0, "confirm")])
    assert [e.kind for e in events if e.finding] == ["find"]
    found = next(i for i, e in enumerate(events) if e.kind == "found")
    assert all(e.kind != "tick" for e in events[:found])


@pytest.mark.parametrize("limit", [0.5, 3.0, 5.0])
def test_find_seconds_starts_each_press_after_that_many_seconds(limit: float) -> None:
    events, result, clock = run_finding(THREE, find_seconds=limit)
    starts = press_starts(events)
    assert starts == pytest.approx([limit, 3 + 5 + 2 * limit, 11 + 10 + 3 * limit])
    assert clock.time == pytest.approx(24 + 3 * limit)
    ticks = [e for e in events if e.kind == "tick" and e.finding]
    assert all(0 <= e.remaining <= limit for e in ticks)
    assert result.completed


def test_a_key_before_the_find_seconds_starts_the_press_at_once() -> None:
    events, _, _ = run_finding([press("GB30")], [(1.0, "confirm")], find_seconds=5)
    assert press_starts(events) == [1.0]


def test_skip_while_finding_skips_that_press() -> None:
    _, result, clock = run_finding(THREE, [(2.0, "skip")], find_seconds=1)
    assert result.steps_skipped == (0,)
    assert result.steps_done == (1, 2)
    # step 0's press (3 s) never ran: 2 s finding, then the switch, ...
    assert clock.time == pytest.approx(2 + (24 - 3) + 2 * 1)


def test_quit_while_finding_ends_the_session() -> None:
    events, result, _ = run_finding(THREE, [(4.0, "quit")])
    assert (result.completed, result.ended_by) == (False, "quit")
    assert result.steps_done == ()
    assert kinds(events)[-1] == "ended"
