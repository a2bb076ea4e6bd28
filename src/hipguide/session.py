"""The session engine: runs a planned routine against a clock and reports events.

Pure logic: no screen, no keyboard, no database. Time comes only from the
injected :class:`~hipguide.clock.Clock`, and keys only through the injected
``wait_for_command``. The engine follows :func:`hipguide.planner.timeline`, so a
session lasts exactly the plan's ``total_seconds`` plus any pause, minus any skip.

Every deadline is computed from one monotonic start: segment ``k`` ends at
``start + offset + (planned seconds of segments 0..k)``, where ``offset`` grows by
the time spent paused and shrinks by the time a skip cut off. Sleeps that run
late therefore never add up.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from contextlib import suppress
from itertools import accumulate
from typing import Literal

from hipguide.clock import Clock
from hipguide.planner import REST_SECONDS, SWITCH_SECONDS, Segment, Step, timeline
from hipguide.records import dataclass

#: Seconds between two ticks: the screen is told at most 4 times a second.
TICK = 0.25
# Clock readings this close to a boundary count as on it (float rounding).
_EPSILON = 1e-6

EventKind = Literal[
    "start", "find", "found", "segment", "tick", "paused", "resumed", "skipped", "done", "ended"
]
Command = Literal["pause", "skip", "quit", "confirm"]
EndedBy = Literal["finished", "quit", "interrupt", "signal"]
WaitForCommand = Callable[[float], Command | None]


@dataclass(frozen=True)
class Event:
    """One thing that happened during a session, for the screen to show.

    ``step`` is the index of the step the segment belongs to (the coming press,
    for a switch or a rest). ``segment`` is the current segment, None for
    ``start`` and ``ended``. ``remaining`` is the seconds left in the segment; for
    ``start`` and ``ended`` the seconds left in the whole plan, for ``skipped`` the
    seconds the skip cut off. ``elapsed`` is the position on the planned timeline
    (pauses excluded, skipped time counted as passed). ``at`` is the clock reading.
    """

    kind: EventKind
    step: int
    segment: Segment | None
    remaining: float
    elapsed: float
    at: float
    finding: bool = False  # the event comes while the person finds the point (``find``)


@dataclass(frozen=True)
class SessionResult:
    """How a session went.

    ``completed`` is True when the session reached the end of its timeline, even
    if some presses were skipped on the way; a quit or an interrupt leaves it
    False. ``steps_done`` lists the presses that ran to their end, ``steps_skipped``
    the presses cut short by a skip. ``started_at`` and ``ended_at`` are readings
    of the engine's (monotonic) clock; ``active_seconds`` excludes pauses.
    """

    completed: bool
    ended_by: EndedBy
    steps_done: tuple[int, ...]
    steps_skipped: tuple[int, ...]
    started_at: float
    ended_at: float
    active_seconds: float


class SessionEngine:
    """Runs one session of ``steps`` and reports it through events.

    ``wait_for_command(timeout)`` blocks for up to ``timeout`` seconds and returns
    a command (``pause`` toggles pause and resume, ``skip`` ends the current press,
    switch or rest, ``quit`` ends the session) or None when none came. Without it,
    the engine sleeps on the clock and no command ever comes. A ``skip`` or ``quit``
    while paused ends the pause first. An engine runs once.

    With ``find``, every press starts with a find step: a ``find`` event, then a wait
    until the person says the thumb is on the point (``confirm``, or ``pause``: Enter or
    space), or ``find_seconds`` pass when given; ``skip`` there skips the press and
    ``quit`` ends the session. The time spent finding is not on the planned timeline:
    deadlines move by it, as by a pause.
    """

    def __init__(
        self,
        steps: Sequence[Step],
        clock: Clock,
        *,
        rest_seconds: int = REST_SECONDS,
        switch_seconds: int = SWITCH_SECONDS,
        wait_for_command: WaitForCommand | None = None,
        find: bool = False,
        find_seconds: float | None = None,
    ) -> None:
        self._clock = clock
        self._find = find
        self._find_seconds = find_seconds
        self._segments = tuple(timeline(list(steps), rest_seconds, switch_seconds))
        # Planned end of each segment, in seconds from the start.
        self._ends = tuple(accumulate(segment.seconds for segment in self._segments))
        self._wait: WaitForCommand = wait_for_command or self._sleep_for_command
        #: The outcome, set when :meth:`run` ends (also when it ends by Ctrl-C).
        self.result: SessionResult | None = None
        self._started = False
        self._on_event: Callable[[Event], None] = _ignore
        self._start = 0.0
        self._offset = 0.0
        self._paused_total = 0.0
        self._paused_at: float | None = None
        self._step = 0
        self._done: list[int] = []
        self._skipped: list[int] = []

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The timeline the engine follows."""
        return self._segments

    @property
    def total_seconds(self) -> int:
        """The planned length of the session, without pauses or skips."""
        return self._ends[-1] if self._ends else 0

    def run(self, on_event: Callable[[Event], None]) -> SessionResult:
        """Run the session to its end, a quit, or a KeyboardInterrupt.

        Every path ends with an ``ended`` event. A KeyboardInterrupt raised by
        ``wait_for_command`` or ``on_event`` propagates once :attr:`result` holds
        the session so far (``ended_by="interrupt"``).
        """
        if self._started:
            raise RuntimeError("a SessionEngine runs only once; make a new one")
        self._started = True
        self._on_event = on_event
        self._start = self._clock.monotonic()
        try:
            ended_by = self._run_timeline()
            result = self._finish(ended_by)
        except KeyboardInterrupt:
            if self.result is None:
                self._finish("interrupt")
                # A second Ctrl-C while the screen closes must not hide the first.
                with suppress(KeyboardInterrupt):
                    self._emit_ended()
            raise
        self._emit_ended()
        return result

    def stop(self, ended_by: EndedBy) -> SessionResult:
        """The result of a session cut off from outside (its screen failed mid-way):
        what ran so far, ended by ``ended_by``. A finished session keeps its result."""
        if self.result is None:
            self._finish(ended_by)
        assert self.result is not None
        return self.result

    def _run_timeline(self) -> EndedBy:
        self._emit("start", None, float(self.total_seconds), self._start)
        for index, segment in enumerate(self._segments):
            self._step = segment.step
            if not self._run_segment(index, segment):
                return "quit"
        return "finished"

    def _run_segment(self, index: int, segment: Segment) -> bool:
        """Run one segment; False when the session was quit."""
        if segment.kind == "press" and self._find:
            found = self._find_point(segment)
            if found == "quit":
                return False
            if found == "skip":
                self._skip(segment, self._deadline(index), whole=True)
                return True
        deadline = self._deadline(index)
        now = self._clock.monotonic()
        self._emit("segment", segment, max(0.0, deadline - now), now)
        while True:
            now = self._clock.monotonic()
            if now >= deadline - _EPSILON:
                break
            wake = self._next_wake(now, deadline)
            command = self._wait(wake - now)
            if command is None:
                now = self._clock.monotonic()
                if wake - _EPSILON <= now < deadline - _EPSILON:
                    self._emit("tick", segment, deadline - now, now)
                continue
            if command == "pause":
                command = self._hold(segment, deadline)
                deadline = self._deadline(index)
            if command == "quit":
                return False
            if command == "skip":
                self._skip(segment, deadline)
                return True
        if segment.kind == "press":
            self._done.append(segment.step)
            self._emit("done", segment, 0.0, self._clock.monotonic())
        return True

    def _hold(self, segment: Segment, deadline: float) -> Command | None:
        """Stay paused until a command; None after a resume, else skip or quit."""
        paused_at = self._clock.monotonic()
        self._paused_at = paused_at
        self._emit("paused", segment, max(0.0, deadline - paused_at), paused_at)
        command: Command | None = None
        while command is None:
            command = self._wait(TICK)
        if command == "quit":
            return "quit"
        now = self._clock.monotonic()
        pause = now - paused_at
        self._offset += pause
        self._paused_total += pause
        self._paused_at = None
        self._emit("resumed", segment, max(0.0, deadline + pause - now), now)
        return None if command == "pause" else command

    def _find_point(self, segment: Segment) -> Literal["go", "skip", "quit"]:
        """The find step before a press: wait for the person, or for ``find_seconds``."""
        started = self._clock.monotonic()
        self._paused_at = started  # the timeline stands still while the point is found
        limit = self._find_seconds
        self._emit("find", segment, limit if limit is not None else 0.0, started, finding=True)
        outcome: Literal["go", "skip", "quit"] = "go"
        while True:
            now = self._clock.monotonic()
            left = None if limit is None else limit - (now - started)
            if left is not None and left <= _EPSILON:
                break
            command = self._wait(TICK if left is None else min(TICK, left))
            if command in ("confirm", "pause"):
                break
            if command in ("skip", "quit"):
                outcome = command
                break
            if left is not None:
                now = self._clock.monotonic()
                remaining = max(0.0, limit - (now - started))  # type: ignore[operator]
                self._emit("tick", segment, remaining, now, finding=True)
        now = self._clock.monotonic()
        self._offset += now - started
        self._paused_total += now - started
        self._paused_at = None
        if outcome == "go":
            self._emit("found", segment, float(segment.seconds), now)
        return outcome

    def _skip(self, segment: Segment, deadline: float, *, whole: bool = False) -> None:
        now = self._clock.monotonic()
        cut = float(segment.seconds) if whole else max(0.0, deadline - now)
        self._offset -= cut
        if segment.kind == "press":
            self._skipped.append(segment.step)
        self._emit("skipped", segment, cut, now)

    def _finish(self, ended_by: EndedBy) -> SessionResult:
        now = self._clock.monotonic()
        paused = self._paused_total
        if self._paused_at is not None:
            paused += now - self._paused_at
        self.result = SessionResult(
            completed=ended_by == "finished",
            ended_by=ended_by,
            steps_done=tuple(self._done),
            steps_skipped=tuple(self._skipped),
            started_at=self._start,
            ended_at=now,
            active_seconds=max(0.0, now - self._start - paused),
        )
        return self.result

    def _emit_ended(self) -> None:
        now = self._clock.monotonic()
        remaining = max(0.0, self.total_seconds - self._position(now))
        self._emit("ended", None, remaining, now)

    def _deadline(self, index: int) -> float:
        return self._start + self._offset + self._ends[index]

    def _position(self, now: float) -> float:
        """Seconds of the planned timeline behind us at ``now``."""
        position = now - self._start - self._offset
        if self._paused_at is not None:
            position -= now - self._paused_at
        return min(max(0.0, position), float(self.total_seconds))

    def _next_wake(self, now: float, deadline: float) -> float:
        """The next tick boundary on the timeline, or the deadline if sooner."""
        origin = self._start + self._offset
        ticks = math.floor((now - origin) / TICK + _EPSILON) + 1
        return min(origin + ticks * TICK, deadline)

    def _emit(
        self,
        kind: EventKind,
        segment: Segment | None,
        remaining: float,
        at: float,
        *,
        finding: bool = False,
    ) -> None:
        elapsed = self._position(at)
        self._on_event(Event(kind, self._step, segment, remaining, elapsed, at, finding))

    def _sleep_for_command(self, timeout: float) -> Command | None:
        self._clock.sleep(timeout)
        return None


def _ignore(event: Event) -> None:
    """Drop an event (the handler before :meth:`SessionEngine.run` sets one)."""
