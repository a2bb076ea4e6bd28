"""What a flow is given: ports to ask, to show, to keep the history, and the stand-ins
for when there is no one to ask or nowhere to keep anything.

"No terminal" and ``--no-input`` are one :class:`NoPrompter`: every question it
cannot answer raises the usage error naming the flag that answers it, and where the
design gives a default (no pain score, reuse a recent check under ``--no-input``) it
returns that default. Flows never test for ``--no-input`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from hipguide.errors import NoTerminalError, StoreError
from hipguide.records import dataclass

if TYPE_CHECKING:
    from hipguide.clock import Clock
    from hipguide.models import Area, Condition, Peg, Pgic, Question, Region, Tier
    from hipguide.planner import Plan
    from hipguide.progress import FlareCheck
    from hipguide.session import Command, Event
    from hipguide.store import (
        CheckinRecord,
        CheckRecord,
        PainSpan,
        ProgressWindow,
        Records,
        SessionRecord,
        SessionTotals,
    )
    from hipguide.triage import Answer, Verdict

PainMoment = Literal["before", "after"]


class KeySource(AbstractContextManager["KeySource"], Protocol):
    """Keys during a session: ``wait_for_command(timeout)`` returns a command, or None
    when none came in time. ``live`` says whether a key can come at all."""

    live: bool

    def wait_for_command(self, timeout: float) -> Command | None: ...


class Prompter(Protocol):
    """Everything a flow may ask a person."""

    def answer_group(
        self, tier: Tier, questions: Sequence[Question], position: int, total: int
    ) -> Answer:
        """Show a tier's questions together and ask: does any of these apply?"""
        ...

    def answer_question(self, question: Question, position: int, total: int) -> Answer:
        """Ask one question of the check."""
        ...

    def check_changed(self, record: CheckRecord) -> bool:
        """A check was recorded in the last 24 hours: has anything changed since?"""
        ...

    def accept_soon(self, verdict: Verdict) -> bool:
        """The check says see a doctor soon: do a gentle routine meanwhile?"""
        ...

    def choose_areas(self, areas: Sequence[Area]) -> list[str]:
        """Where does it hurt? (area ids, at least one)"""
        ...

    def choose_side(self) -> str:
        """Which side hurts: left, right or both?"""
        ...

    def choose_condition(self, conditions: Sequence[Condition]) -> str | None:
        """Has a doctor or physiotherapist said why it hurts? (a condition id, or None:
        not known, or it cannot be asked)"""
        ...

    def choose_skin_regions(self, regions: Sequence[Region]) -> list[str]:
        """Where is the skin problem? (region ids)"""
        ...

    def pain(self, moment: PainMoment) -> int | None:
        """Pain 0-10 before or after a session; None when it cannot be asked."""
        ...

    def can_lie(self) -> bool | None:
        """Can you lie on your side or front to press a point? (None: cannot be asked)"""
        ...

    def can_reach_feet(self) -> bool | None:
        """Can you reach your feet comfortably? (None: cannot be asked)"""
        ...

    def confirm_forget(self, path: Path) -> bool:
        """Delete the whole history kept in ``path``?"""
        ...

    def checkin_peg(self, peg: Peg) -> tuple[int, int, int]:
        """The PEG's three items, each 0-10, about the past week."""
        ...

    def checkin_pgic(self, pgic: Pgic) -> int:
        """The Patient Global Impression of Change, 1-7."""
        ...

    def offer_checkin(self, latest: datetime) -> bool:
        """After a routine: do the weekly check-in now? (``latest``: when the last one was)"""
        ...

    def take_lighter(self, flare: FlareCheck) -> bool | None:
        """A flare-up: take the lighter routine? (None: cannot be asked)"""
        ...

    def keys(self, clock: Clock) -> KeySource:
        """Where the session's keys (pause, skip, quit) come from."""
        ...

    def ready_to_start(self) -> None:
        """The plan is on the screen: wait until the person has read it and wants to
        start (:class:`~hipguide.errors.Interrupted` when they do not)."""
        ...


class SessionScreen(Protocol):
    """The live screen of a running session."""

    def handle(self, event: Event) -> None: ...

    def close(self) -> None: ...


class Screen(Protocol):
    """Where a flow shows what happens on the way (the Outcome is rendered by the caller)."""

    def show(self, notice: Notice) -> None: ...

    def session(
        self, plan: Plan, *, quiet: bool, live_keys: bool, speak: bool = False
    ) -> SessionScreen: ...


# --- notices: what a flow shows on the way ---------------------------------------------------


@dataclass(frozen=True)
class EmergencyFound:
    """An answer showed an emergency: the questions stop here."""


@dataclass(frozen=True)
class CheckReused:
    """A check from the last 24 hours stands in for a new one."""

    record: CheckRecord


@dataclass(frozen=True)
class CheckIncomplete:
    """A recent check leaves questions open (added since), so it is asked again."""

    record: CheckRecord


@dataclass(frozen=True)
class VerdictShown:
    """The verdict, shown before the flow asks what to do about it."""

    verdict: Verdict


@dataclass(frozen=True)
class CautionsApply:
    """The cautions of the check, as they will shape the routine."""

    cautions: tuple[str, ...]


@dataclass(frozen=True)
class PlanReady:
    """The plan, shown before it runs."""

    plan: Plan


@dataclass(frozen=True)
class FlareFound:
    """The pain now is well above the person's usual: a flare-up, what helps meanwhile,
    and when to check again (shown before the lighter routine is offered)."""

    check: FlareCheck


@dataclass(frozen=True)
class LighterChosen:
    """Whether the lighter routine was taken for the flare-up; ``by_default`` when no one
    could be asked."""

    lighter: bool
    by_default: bool = False


@dataclass(frozen=True)
class NoTimezone:
    """The local time zone could not be found: the calendar is in UTC."""


@dataclass(frozen=True)
class NotRecorded:
    """The history cannot be used or written: nothing (more) is recorded, and why."""

    problem: StoreError


Notice = (
    EmergencyFound | CheckReused | CheckIncomplete | VerdictShown | CautionsApply | PlanReady
    | FlareFound | LighterChosen | NoTimezone | NotRecorded
)  # fmt: skip


# --- no one to ask -------------------------------------------------------------------------

_ANSWER_HINT = "Answer with --answer ID=yes|no|unsure (see 'hipguide check --questions')."


class CannotAsk(NoTerminalError):
    """A question that no one can answer: no terminal, or ``--no-input``."""

    def __init__(self, message: str, hint: str, *, no_input: bool) -> None:
        super().__init__(message, hint)
        self.no_input = no_input


#: What a script is told to add when a question finds no terminal.
SCRIPT_HINT = "In a script, add --no-input: it then never waits for an answer."


class NoPrompter:
    """The prompter when no question can be asked: ``--no-input``, or no terminal.

    ``no_input`` says which: with ``--no-input`` a recent check is reused and a "see a
    doctor soon" verdict is not accepted without ``--accept-risk``; without a terminal
    both of those are questions too, and raise.
    """

    def __init__(self, *, no_input: bool) -> None:
        self.no_input = no_input

    def _cannot(self, what: str, hint: str, *, plural: bool = False) -> CannotAsk:
        if self.no_input:
            verb = "are" if plural else "is"
            return CannotAsk(
                f"{what} {verb} needed, and --no-input was given.", hint, no_input=True
            )
        return CannotAsk(
            f"No terminal to ask {what.lower()} on.",
            f"{hint} {SCRIPT_HINT}",
            no_input=False,
        )

    def answer_group(
        self, tier: Tier, questions: Sequence[Question], position: int, total: int
    ) -> Answer:
        raise self._cannot("The questions", _ANSWER_HINT, plural=True)

    def answer_question(self, question: Question, position: int, total: int) -> Answer:
        raise self._cannot("The questions", _ANSWER_HINT, plural=True)

    def check_changed(self, record: CheckRecord) -> bool:
        if self.no_input:
            return False
        raise self._cannot(
            "The question",
            "Give --answer/--answers for a new check, or --no-input to reuse your recorded one.",
        )

    def accept_soon(self, verdict: Verdict) -> bool:
        if self.no_input:
            return False
        raise self._cannot("The question", "Use --accept-risk with --no-input to go on.")

    def choose_areas(self, areas: Sequence[Area]) -> list[str]:
        raise self._where()

    def choose_side(self) -> str:
        raise self._where()

    def choose_condition(self, conditions: Sequence[Condition]) -> str | None:
        return None  # a question that may go unanswered: the areas choose the points

    def _where(self) -> CannotAsk:
        if self.no_input:
            return CannotAsk(
                "--area and --side are required with --no-input.",
                "Example: --area outer --side left.",
                no_input=True,
            )
        return self._cannot(
            "The questions",
            "Give --area and --side, e.g. --area outer --side left.",
            plural=True,
        )

    def choose_skin_regions(self, regions: Sequence[Region]) -> list[str]:
        raise CannotAsk(
            "You said the skin is broken, bruised or has a varicose vein near a point.",
            "Name the place with --skip-area REGION or --skip-point CODE.",
            no_input=self.no_input,
        )

    def pain(self, moment: PainMoment) -> int | None:
        return None

    def can_lie(self) -> bool | None:
        return None  # unknown: the flow takes it that the person can

    def can_reach_feet(self) -> bool | None:
        return None

    def confirm_forget(self, path: Path) -> bool:
        if self.no_input:
            raise CannotAsk(
                "Deleting the history needs a confirmation, and --no-input was given.",
                "Add --yes to delete without asking.",
                no_input=True,
            )
        raise CannotAsk(
            "No terminal to ask the confirmation on.",
            "Add --yes to delete without asking.",
            no_input=False,
        )

    def checkin_peg(self, peg: Peg) -> tuple[int, int, int]:
        raise self._cannot(
            "The check-in's scores",
            "Give --peg A,B,C: three whole numbers from 0 to 10 (and --pgic N).",
            plural=True,
        )

    def checkin_pgic(self, pgic: Pgic) -> int:
        raise self._cannot(
            "The impression of change",
            "Give --pgic N: a whole number from 1 (very much improved) to 7 (very much worse).",
        )

    def offer_checkin(self, latest: datetime) -> bool:
        return False  # not offered where no one can answer it

    def take_lighter(self, flare: FlareCheck) -> bool | None:
        return None  # the flow takes the lighter routine, and says so

    def keys(self, clock: Clock) -> KeySource:
        return NoKeys(clock.sleep)

    def ready_to_start(self) -> None:
        return None  # no one to wait for: the options said to run


class NoKeys:
    """The keys when no key can come: waiting only sleeps out the timeout."""

    live = False

    def __init__(self, sleep: Callable[[float], None]) -> None:
        self._sleep = sleep

    def __enter__(self) -> NoKeys:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def wait_for_command(self, timeout: float) -> Command | None:
        self._sleep(max(0.0, timeout))
        return None


# --- the history ---------------------------------------------------------------------------


class History(Protocol):
    """The recorded checks and sessions (:class:`hipguide.store.Store` fits)."""

    path: Path

    def record_check(
        self,
        at: datetime,
        answers: Mapping[str, str],
        tier: str,
        derived: Mapping[str, str] | None = None,
    ) -> int: ...

    def last_check(self, since: datetime, until: datetime | None = None) -> CheckRecord | None:
        """The newest check recorded from ``since`` to ``until``, passing over rows that
        cannot be read."""
        ...

    def progress_window(self) -> ProgressWindow:
        """What the progress rule needs, passing over rows that cannot be read."""
        ...

    def checks(self, strict: bool = True) -> Records[CheckRecord]: ...

    def sessions(self, strict: bool = True, *, plans: bool = True) -> list[SessionRecord]: ...

    def recent_sessions(
        self, limit: int = 20, *, strict: bool = True
    ) -> Records[SessionRecord]: ...

    def session_count(self) -> int: ...

    def recent_checks(self, limit: int = 20, *, strict: bool = True) -> Records[CheckRecord]: ...

    def check_count(self) -> int: ...

    def pain_spans(self, columns: int) -> tuple[PainSpan, ...]: ...

    def session_totals(self) -> SessionTotals: ...

    def pain_timeline(
        self, strict: bool = True
    ) -> Iterator[tuple[datetime, int | None, int | None]]: ...

    def start_session(
        self,
        started_at: datetime,
        plan: Mapping[str, object],
        pain_before: int | None,
        *,
        flare: bool = False,
    ) -> int: ...

    def recent_pains(self, limit: int = 5) -> list[int]: ...

    def record_checkin(self, at: datetime, peg: Sequence[int], pgic: int) -> int: ...

    def checkins(self) -> list[CheckinRecord]: ...

    def checkin_ends(self) -> tuple[CheckinRecord | None, CheckinRecord | None]: ...

    def finish_session(
        self,
        session_id: int,
        ended_at: datetime,
        points: Sequence[str],
        pain_after: int | None,
        completed: bool,
        ended_by: str,
    ) -> None: ...

    def forget(self) -> None: ...

    def close(self) -> None: ...

    def setting(self, key: str) -> str | None: ...

    def remember(self, key: str, value: str, at: datetime) -> None: ...


class NoHistory:
    """The history when the file cannot be used: reads find nothing, writes raise the
    problem (so the flow says "nothing recorded" and why, once)."""

    def __init__(self, problem: StoreError, path: Path) -> None:
        self.problem = problem
        self.path = path

    def record_check(self, *args: Any, **kwargs: Any) -> int:
        raise self.problem

    def last_check(self, since: datetime, until: datetime | None = None) -> CheckRecord | None:
        return None

    def progress_window(self) -> ProgressWindow:
        return empty_window()

    def checks(self, strict: bool = True) -> Records[CheckRecord]:
        from hipguide.store import Records

        return Records()

    def sessions(self, strict: bool = True, *, plans: bool = True) -> list[SessionRecord]:
        return []

    def recent_sessions(self, limit: int = 20, *, strict: bool = True) -> Records[SessionRecord]:
        from hipguide.store import Records

        return Records()

    def session_count(self) -> int:
        return 0

    def recent_checks(self, limit: int = 20, *, strict: bool = True) -> Records[CheckRecord]:
        from hipguide.store import Records

        return Records()

    def check_count(self) -> int:
        return 0

    def pain_spans(self, columns: int) -> tuple[PainSpan, ...]:
        return ()

    def session_totals(self) -> SessionTotals:
        from hipguide.store import SessionTotals

        return SessionTotals(0, 0, 0, 0.0)

    def pain_timeline(
        self, strict: bool = True
    ) -> Iterator[tuple[datetime, int | None, int | None]]:
        return iter(())

    def start_session(self, *args: Any, **kwargs: Any) -> int:
        raise self.problem

    def recent_pains(self, limit: int = 5) -> list[int]:
        return []

    def record_checkin(self, *args: Any, **kwargs: Any) -> int:
        raise self.problem

    def checkins(self) -> list[CheckinRecord]:
        return []

    def checkin_ends(self) -> tuple[CheckinRecord | None, CheckinRecord | None]:
        return None, None

    def finish_session(self, *args: Any, **kwargs: Any) -> None:
        raise self.problem

    def forget(self) -> None:
        raise self.problem

    def close(self) -> None:
        return None

    def setting(self, key: str) -> str | None:
        return None

    def remember(self, key: str, value: str, at: datetime) -> None:
        raise self.problem


def empty_window() -> ProgressWindow:
    """The progress window of a history with no sessions."""
    from hipguide.store import ProgressWindow

    return ProgressWindow(0, None, None, (), ())


class GuardedHistory:
    """The history as ``check`` and ``routine`` use it: it never costs a verdict.

    The reads made before a verdict (:meth:`last_check`, :meth:`progress_window`) never
    raise: should the file fail to be read (damage found late, a lock held too long),
    they find nothing and keep the problem. From then on nothing is written either:
    every write raises that problem, so the flow says once that nothing was recorded and
    why, and nothing is recorded after the person was told it would not be. Every other
    call goes to the history as it is (``history`` reads strictly and reports a bad row).
    """

    def __init__(self, history: History) -> None:
        self._history = history
        self.path = history.path
        self.problem: StoreError | None = None

    def last_check(self, since: datetime, until: datetime | None = None) -> CheckRecord | None:
        if self.problem is not None:
            return None
        try:
            return self._history.last_check(since, until)
        except StoreError as problem:
            self.problem = problem
            return None

    def progress_window(self) -> ProgressWindow:
        if self.problem is not None:
            return empty_window()
        try:
            return self._history.progress_window()
        except StoreError as problem:
            self.problem = problem
            return empty_window()

    def _writable(self) -> History:
        if self.problem is not None:
            raise self.problem
        return self._history

    def record_check(
        self,
        at: datetime,
        answers: Mapping[str, str],
        tier: str,
        derived: Mapping[str, str] | None = None,
    ) -> int:
        return self._writable().record_check(at, answers, tier, derived)

    def start_session(
        self,
        started_at: datetime,
        plan: Mapping[str, object],
        pain_before: int | None,
        *,
        flare: bool = False,
    ) -> int:
        return self._writable().start_session(started_at, plan, pain_before, flare=flare)

    def recent_pains(self, limit: int = 5) -> list[int]:
        if self.problem is not None:
            return []
        try:
            return self._history.recent_pains(limit)
        except StoreError as problem:
            self.problem = problem
            return []

    def checkin_ends(self) -> tuple[CheckinRecord | None, CheckinRecord | None]:
        if self.problem is not None:
            return None, None
        try:
            return self._history.checkin_ends()
        except StoreError as problem:
            self.problem = problem
            return None, None

    def record_checkin(self, at: datetime, peg: Sequence[int], pgic: int) -> int:
        return self._writable().record_checkin(at, peg, pgic)

    def checkins(self) -> list[CheckinRecord]:
        return self._history.checkins()

    def finish_session(
        self,
        session_id: int,
        ended_at: datetime,
        points: Sequence[str],
        pain_after: int | None,
        completed: bool,
        ended_by: str,
    ) -> None:
        self._writable().finish_session(
            session_id, ended_at, points, pain_after, completed, ended_by
        )

    def remember(self, key: str, value: str, at: datetime) -> None:
        self._writable().remember(key, value, at)

    def setting(self, key: str) -> str | None:
        if self.problem is not None:
            return None
        try:
            return self._history.setting(key)
        except StoreError as problem:
            self.problem = problem
            return None

    def checks(self, strict: bool = True) -> Records[CheckRecord]:
        return self._history.checks(strict)

    def sessions(self, strict: bool = True, *, plans: bool = True) -> list[SessionRecord]:
        return self._history.sessions(strict, plans=plans)

    def recent_sessions(self, limit: int = 20, *, strict: bool = True) -> Records[SessionRecord]:
        return self._history.recent_sessions(limit, strict=strict)

    def session_count(self) -> int:
        return self._history.session_count()

    def recent_checks(self, limit: int = 20, *, strict: bool = True) -> Records[CheckRecord]:
        return self._history.recent_checks(limit, strict=strict)

    def check_count(self) -> int:
        return self._history.check_count()

    def pain_spans(self, columns: int) -> tuple[PainSpan, ...]:
        return self._history.pain_spans(columns)

    def session_totals(self) -> SessionTotals:
        return self._history.session_totals()

    def pain_timeline(
        self, strict: bool = True
    ) -> Iterator[tuple[datetime, int | None, int | None]]:
        return self._history.pain_timeline(strict)

    def forget(self) -> None:
        self._history.forget()

    def close(self) -> None:
        self._history.close()


def guarded(history: History | NoHistory) -> History:
    """``history`` as a :class:`GuardedHistory` (a :class:`NoHistory` stays as it is)."""
    if isinstance(history, (GuardedHistory, NoHistory)):
        return history
    return GuardedHistory(history)


def open_history(home: Path) -> History | NoHistory:
    """The history in ``home`` (guarded: see :class:`GuardedHistory`), or a
    :class:`NoHistory` holding why it cannot be used."""
    from hipguide.store import Store, history_path

    try:
        return GuardedHistory(Store.open(home))
    except StoreError as problem:
        return NoHistory(problem, history_path(home))
