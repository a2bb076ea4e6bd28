"""Test doubles shared by the test modules: a fake clock, scripted key presses, and the
ports a flow is given (a scripted prompter, a recording screen)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from hipguide.session import Command


class FakeClock:
    """A clock that never waits: ``sleep(s)`` moves both of its times forward by ``s``.

    ``monotonic()`` starts at ``start``; ``now()`` starts at ``wall`` (default: the real
    time when the clock is made, to the second) and moves with it. Every requested
    sleep is recorded in ``sleeps``.
    """

    def __init__(self, start: float = 0.0, wall: datetime | None = None) -> None:
        self.start = start
        self.time = start
        self.wall = wall or datetime.now(timezone.utc).replace(microsecond=0)
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        """The fake monotonic time."""
        return self.time

    def now(self) -> datetime:
        """The fake wall time: ``wall`` plus the time that has passed."""
        return self.wall + timedelta(seconds=self.time - self.start)

    #: Fake seconds after which a test is taken to wait for ever (a wait that never ends
    #: fails the test instead of hanging it).
    LIMIT = 1_000_000.0

    def sleep(self, seconds: float) -> None:
        """Record the call and advance the time; a negative sleep is a bug, as in time.sleep."""
        if seconds < 0:
            raise ValueError(f"sleep length must be non-negative, got {seconds}")
        self.sleeps.append(seconds)
        self.time += seconds
        if self.time - self.start > self.LIMIT:
            raise AssertionError("the fake clock ran for 11 days: something waits for ever")

    def advance(self, seconds: float) -> None:
        """Move time forward without recording a sleep."""
        self.time += seconds


class ScriptedCommands:
    """A ``wait_for_command`` that delivers commands at fixed fake-clock times.

    ``script`` holds ``(at, command)`` pairs; a command may also be an exception
    instance (e.g. ``KeyboardInterrupt()``), raised at its time. A call waits on
    the clock until the next scripted time if it falls within ``timeout``,
    otherwise for the whole timeout. Every timeout asked for is kept in ``timeouts``.
    """

    def __init__(
        self, clock: FakeClock, script: Iterable[tuple[float, Command | BaseException]] = ()
    ) -> None:
        self.clock = clock
        self.pending = sorted(script, key=lambda item: item[0])
        self.timeouts: list[float] = []

    def __call__(self, timeout: float) -> Command | None:
        """Wait up to ``timeout`` on the clock; return the command due in that time."""
        self.timeouts.append(timeout)
        now = self.clock.monotonic()
        if self.pending and self.pending[0][0] <= now + timeout:
            at, command = self.pending.pop(0)
            self.clock.sleep(max(0.0, at - now))
            if isinstance(command, BaseException):
                raise command
            return command
        self.clock.sleep(timeout)
        return None


class FakeKeys:
    """A key source for a session: scripted commands on the fake clock (see
    :class:`ScriptedCommands`); ``live`` as a terminal's keys would be."""

    def __init__(self, commands: ScriptedCommands, live: bool = True) -> None:
        self.commands = commands
        self.live = live
        self.entered = self.exited = 0

    def __enter__(self) -> FakeKeys:
        self.entered += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self.exited += 1

    def wait_for_command(self, timeout: float) -> Command | None:
        return self.commands(timeout)


class FakePrompter:
    """A prompter that answers from a script and records every question it was asked.

    ``replies`` maps a method name (``answer_group``, ``answer_question``,
    ``check_changed``, ``accept_soon``, ``choose_areas``, ``choose_side``,
    ``choose_skin_regions``, ``pain``, ``confirm_forget``, ``can_lie``, ``can_reach_feet``,
    ``checkin_peg``, ``checkin_pgic``, ``offer_checkin``, ``take_lighter``) to the replies
    to give, in order; a reply that is an exception is raised. A question with no reply left fails
    the test. ``asked`` lists (method, detail) for each question.
    """

    def __init__(self, clock: FakeClock | None = None, **replies: list[Any]) -> None:
        self.replies = {name: list(values) for name, values in replies.items()}
        self.asked: list[tuple[str, Any]] = []
        self.clock = clock
        self.key_script: list[tuple[float, Command | BaseException]] = []
        self.keys_live = False

    def _reply(self, method: str, detail: Any) -> Any:
        self.asked.append((method, detail))
        queue = self.replies.get(method)
        if not queue:
            raise AssertionError(f"unexpected question: {method}({detail!r})")
        reply = queue.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def answer_group(self, tier: Any, questions: Any, position: int, total: int) -> Any:
        return self._reply("answer_group", (tier.id, tuple(q.id for q in questions)))

    def answer_question(self, question: Any, position: int, total: int) -> Any:
        return self._reply("answer_question", question.id)

    def check_changed(self, record: Any) -> bool:
        return bool(self._reply("check_changed", record.id))

    def accept_soon(self, verdict: Any) -> bool:
        return bool(self._reply("accept_soon", verdict.tier))

    def choose_areas(self, areas: Any) -> list[str]:
        return list(self._reply("choose_areas", tuple(a.id for a in areas)))

    def choose_side(self) -> str:
        return str(self._reply("choose_side", None))

    def ready_to_start(self) -> None:
        # Optional: a script that does not answer it is ready; a False reply is not.
        if "ready_to_start" in self.replies and not self._reply("ready_to_start", None):
            from hipguide.errors import Interrupted

            raise Interrupted("Not started: no session was recorded.")

    def choose_condition(self, conditions: Any) -> str | None:
        # An optional question: a script that does not answer it knows no cause.
        if "choose_condition" not in self.replies:
            return None
        reply = self._reply("choose_condition", tuple(c.id for c in conditions))
        return None if reply is None else str(reply)

    def choose_skin_regions(self, regions: Any) -> list[str]:
        return list(self._reply("choose_skin_regions", tuple(r.id for r in regions)))

    def pain(self, moment: str) -> int | None:
        reply = self._reply("pain", moment)
        return None if reply is None else int(reply)

    def confirm_forget(self, path: Any) -> bool:
        return bool(self._reply("confirm_forget", path))

    def can_lie(self) -> bool | None:
        reply = self._reply("can_lie", None)
        return None if reply is None else bool(reply)

    def can_reach_feet(self) -> bool | None:
        reply = self._reply("can_reach_feet", None)
        return None if reply is None else bool(reply)

    def checkin_peg(self, peg: Any) -> tuple[int, int, int]:
        a, b, c = self._reply("checkin_peg", tuple(item.id for item in peg.items))
        return int(a), int(b), int(c)

    def checkin_pgic(self, pgic: Any) -> int:
        return int(self._reply("checkin_pgic", len(pgic.choices)))

    def offer_checkin(self, latest: Any) -> bool:
        return bool(self._reply("offer_checkin", latest))

    def take_lighter(self, flare: Any) -> bool | None:
        reply = self._reply("take_lighter", (flare.pain, flare.usual))
        return None if reply is None else bool(reply)

    def keys(self, clock: Any) -> FakeKeys:
        """Scripted keys; ``keys_live`` says whether they count as a terminal's."""
        return FakeKeys(ScriptedCommands(clock, self.key_script), live=self.keys_live)

    def questions(self, method: str) -> list[Any]:
        """The details of every question asked through ``method``."""
        return [detail for name, detail in self.asked if name == method]


class FakeScreen:
    """A screen that keeps every notice and every session event."""

    def __init__(self) -> None:
        self.notices: list[Any] = []
        self.events: list[Any] = []
        self.closed = 0

    def show(self, notice: Any) -> None:
        self.notices.append(notice)

    def kinds(self) -> list[str]:
        """The class names of the notices, in order."""
        return [type(notice).__name__ for notice in self.notices]

    def session(
        self, plan: Any, *, quiet: bool, live_keys: bool, speak: bool = False
    ) -> FakeScreen:
        self.session_options = {"quiet": quiet, "live_keys": live_keys, "speak": speak}
        return self

    def handle(self, event: Any) -> None:
        self.events.append(event)

    def close(self) -> None:
        self.closed += 1
