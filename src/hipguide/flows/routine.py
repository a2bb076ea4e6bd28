"""A guided pressing session as a use case: the gate, where it hurts, the plan, the
timed session, and what is recorded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from hipguide.errors import Interrupted, StoreError, UnknownChoice, UsageError
from hipguide.flows.check import CheckRequest
from hipguide.flows.gate import GateOutcome, pass_gate
from hipguide.flows.ports import (
    FlareFound,
    History,
    LighterChosen,
    NoPrompter,
    NotRecorded,
    PlanReady,
    Prompter,
    Screen,
)
from hipguide.planner import Plan, PlanRequest, plan_routine
from hipguide.records import dataclass, field, replace

if TYPE_CHECKING:
    from hipguide.clock import Clock
    from hipguide.dataset import Dataset
    from hipguide.flows.checkin import CheckinOutcome
    from hipguide.session import Command, EndedBy, SessionResult

SIDES = ("left", "right", "both")
#: The time budget a routine may have, in minutes, and how long one press may last.
MINUTES = (1, 60)
PRESS_SECONDS = (1, 600)
#: The longest find step where no key can come (no terminal), and the most it may be set to.
FIND_SECONDS = 5.0
MAX_FIND_SECONDS = 600.0
#: The remembered answers about position and reach, as the history keeps them.
LYING, FOOT_REACH = "lying", "foot_reach"

Status = Literal["refused", "declined", "planned", "ran"]


@dataclass(frozen=True)
class RoutineRequest:
    """The options of ``hipguide routine``, as given (the flow checks them)."""

    areas: tuple[str, ...] = ()
    side: str | None = None
    condition: str | None = None
    minutes: float = 10
    press_seconds: int | None = None
    rest_seconds: int = 10
    plan_only: bool = False
    quiet: bool = False
    pain_before: int | None = None
    pain_after: int | None = None
    skip_areas: tuple[str, ...] = ()
    skip_points: tuple[str, ...] = ()
    check: CheckRequest = field(default_factory=CheckRequest)
    accept_risk: bool = False
    lying: bool | None = None
    foot_reach: bool | None = None
    find_seconds: float | None = None
    speak: bool = False
    #: With a flare-up: True takes the lighter routine, False keeps the usual one, None
    #: asks (and where no one can answer, takes the lighter one).
    flare_plan: bool | None = None


@dataclass(frozen=True)
class RunSummary:
    """A session that ran, as the history keeps it; ``id`` is None when not recorded."""

    id: int | None
    started_at: datetime
    ended_at: datetime
    points: tuple[str, ...]
    pain_before: int | None
    pain_after: int | None
    completed: bool
    ended_by: EndedBy
    active_seconds: float
    problem: StoreError | None = None
    flare: bool = False


@dataclass(frozen=True)
class RoutineOutcome:
    """How it went: ``refused`` or ``declined`` at the gate, ``planned`` (``--plan``) or
    ``ran``. ``interrupted`` is set when Ctrl-C ended the session; ``flare`` when the pain
    before it showed a flare-up (``plan.flare`` says whether the lighter routine was
    taken)."""

    status: Status
    gate: GateOutcome
    plan: Plan | None = None
    summary: RunSummary | None = None
    interrupted: bool = False
    flare: bool = False

    @property
    def exit_code(self) -> int:
        """The verdict's exit code at the gate; 130 after Ctrl-C; else 0."""
        from hipguide.errors import ExitCode

        if self.status in ("refused", "declined"):
            return self.gate.verdict.exit_code
        return int(ExitCode.INTERRUPTED) if self.interrupted else 0


def run_routine(
    request: RoutineRequest,
    *,
    dataset: Dataset,
    prompter: Prompter,
    screen: Screen,
    clock: Clock,
    store: History,
) -> RoutineOutcome:
    """Check the options, pass the gate, ask where and which side, plan, and run."""
    prepared = prepare_routine(
        request, dataset=dataset, prompter=prompter, screen=screen, clock=clock, store=store
    )
    gate, plan = prepared.gate, prepared.plan
    if gate.decision != "go":
        return RoutineOutcome(gate.decision, gate)
    assert plan is not None  # the gate let it go, so it was planned
    flare = prepared.flare
    if request.plan_only:
        return RoutineOutcome("planned", gate, plan, flare=flare)
    screen.show(PlanReady(plan))
    prompter.ready_to_start()  # the first step's screen replaces the plan's
    before = (prepared.pain_before, flare)
    outcome = _run(request, plan, gate, before, prompter, screen, clock, store)
    return replace(outcome, flare=flare)


@dataclass(frozen=True)
class PreparedRoutine:
    """The gate a routine passed (or not) and, when it may go ahead, its plan, what it
    was planned from (the areas and side, asked or given), the pain before it and
    whether that was a flare-up."""

    gate: GateOutcome
    plan: Plan | None = None
    planned: PlanRequest | None = None
    pain_before: int | None = None
    flare: bool = False


def prepare_routine(
    request: RoutineRequest,
    *,
    dataset: Dataset,
    prompter: Prompter,
    screen: Screen,
    clock: Clock,
    store: History,
) -> PreparedRoutine:
    """Check the options, pass the gate, ask where and which side, and plan: everything
    before a session runs (``routine --plan`` and ``card`` stop here). The plan is None
    when the gate refused or the person declined.

    The gate comes first, so that a person it refuses is asked nothing about the
    routine; where no one can be asked, a missing ``--area`` or ``--side`` is an error
    before any check is made."""
    plan_request = _checked(request, dataset)
    where = _where(request, plan_request, dataset, prompter) if _no_one(prompter) else None
    gate = pass_gate(
        request.check,
        accept_risk=request.accept_risk,
        dataset=dataset,
        prompter=prompter,
        screen=screen,
        clock=clock,
        store=store,
    )
    if gate.decision != "go":
        return PreparedRoutine(gate)
    areas, side, condition = where or _where(request, plan_request, dataset, prompter)
    skip_regions = plan_request.skip_regions
    skin = any(
        dataset.effect(effect).skin
        for effect in (dataset.question(c).effect for c in gate.verdict.cautions)
        if effect
    )
    if skin and not (skip_regions or plan_request.skip_points):
        skip_regions = tuple(prompter.choose_skin_regions(dataset.regions))
    can_lie, can_reach_feet = _reach(request, dataset, areas, condition, prompter, clock, store)
    pain_before = request.pain_before
    if pain_before is None and not request.plan_only:
        pain_before = prompter.pain("before")  # before the plan: a flare-up changes it
    flare, lighter = _flare(request, pain_before, prompter, screen, store)
    final = PlanRequest(
        areas=areas,
        side=side,
        condition=condition,
        minutes=plan_request.minutes,
        press_seconds=plan_request.press_seconds,
        skip_regions=skip_regions,
        skip_points=plan_request.skip_points,
        rest_seconds=plan_request.rest_seconds,
        can_lie=can_lie,
        can_reach_feet=can_reach_feet,
        flare=lighter,
    )
    plan = plan_routine(dataset, final, tier=gate.verdict.tier, cautions=gate.verdict.cautions)
    if not plan.steps:
        raise UsageError(
            f"No press fits in {request.minutes:g} minute(s) with these choices.",
            "Give more --minutes, a shorter --press-seconds, or fewer skipped areas.",
        )
    return PreparedRoutine(gate, plan, final, pain_before, flare)


def _no_one(prompter: Prompter) -> bool:
    """Whether no one can answer a question (``--no-input``, or no terminal)."""
    return isinstance(prompter, NoPrompter)


def _where(
    request: RoutineRequest, plan_request: PlanRequest, dataset: Dataset, prompter: Prompter
) -> tuple[tuple[str, ...], Literal["left", "right", "both"], str | None]:
    """The painful areas, the side and the cause: as given, else asked (the cause only
    when the areas were asked)."""
    areas = plan_request.areas or tuple(prompter.choose_areas(dataset.areas))
    side = plan_request.side if request.side else _side(prompter.choose_side())
    condition = plan_request.condition
    if condition is None and not plan_request.areas:  # asked with where it hurts
        condition = _known_condition(prompter.choose_condition(dataset.conditions), dataset)
    return areas, side, condition


def _known_condition(chosen: str | None, dataset: Dataset) -> str | None:
    """The condition a prompter chose, when it is one of the dataset's."""
    return chosen if chosen in {c.id for c in dataset.conditions} else None


def _flare(
    request: RoutineRequest,
    pain_before: int | None,
    prompter: Prompter,
    screen: Screen,
    store: History,
) -> tuple[bool, bool]:
    """Whether the pain now is a flare-up, and whether the lighter routine is taken: as
    ``--flare-plan``/``--no-flare-plan`` say, else as the person answers, else (no one to
    ask) the lighter one. What helps meanwhile is shown first."""
    from hipguide.progress import FLARE_USUAL_OF, detect_flare

    if pain_before is None:
        return False, False
    try:
        recent = store.recent_pains(FLARE_USUAL_OF)
    except StoreError:  # a history that cannot be read finds no flare-up
        recent = []
    check = detect_flare(pain_before, recent)
    if not check.flare:
        return False, False
    screen.show(FlareFound(check))
    lighter, by_default = request.flare_plan, False
    if lighter is None:
        lighter = prompter.take_lighter(check)
        if lighter is None:
            lighter, by_default = True, True
    screen.show(LighterChosen(lighter, by_default))
    return True, lighter


def offer_checkin(
    outcome: RoutineOutcome,
    *,
    dataset: Dataset,
    prompter: Prompter,
    screen: Screen,
    clock: Clock,
    store: History,
) -> CheckinOutcome | None:
    """After a session that ran and was recorded, a week or more after the latest
    check-in: offer the weekly check-in, and record it if taken. Where no one can answer
    (or the terminal went away with a signal), it is not offered."""
    summary = outcome.summary
    if outcome.status != "ran" or outcome.interrupted or summary is None or summary.id is None:
        return None
    from hipguide.flows.checkin import record_checkin
    from hipguide.progress import checkin_due

    if summary.ended_by == "signal":
        return None
    try:
        first, latest = store.checkin_ends()
    except StoreError:
        return None
    last = latest or first
    if last is None or not checkin_due(last.at, clock.now()):
        return None
    if not prompter.offer_checkin(last.at):
        return None
    measures = dataset.rules.checkin
    peg = prompter.checkin_peg(measures.peg)
    pgic = prompter.checkin_pgic(measures.pgic)
    return record_checkin(peg, pgic, screen=screen, clock=clock, store=store)


def _checked(request: RoutineRequest, dataset: Dataset) -> PlanRequest:
    """The request with every id checked against the dataset, before any question."""
    areas = tuple(
        _choose(a, [x.id for x in dataset.areas], "area", "--area") for a in request.areas
    )
    side = _side(request.side) if request.side is not None else "left"
    condition = request.condition
    if condition is not None:
        _choose(condition, [c.id for c in dataset.conditions], "condition", "--condition")
    regions = [r.id for r in dataset.regions]
    skip_regions = tuple(_choose(r, regions, "region", "--skip-area") for r in request.skip_areas)
    skip_points = tuple(_point_code(code, dataset) for code in request.skip_points)
    low, high = MINUTES
    if not (math.isfinite(request.minutes) and low <= request.minutes <= high):
        raise UsageError(
            f"The time budget must be from {low} to {high} minutes, not {request.minutes:g}.",
            "Give --minutes a number such as 10.",
        )
    if request.find_seconds is not None and not (
        math.isfinite(request.find_seconds) and 0 <= request.find_seconds <= MAX_FIND_SECONDS
    ):
        raise UsageError(
            f"The find step lasts from 0 to {MAX_FIND_SECONDS:g} seconds, "
            f"not {request.find_seconds:g}.",
            "Give --find-seconds a number such as 5, or leave it out to press Enter instead.",
        )
    low, high = PRESS_SECONDS
    if request.press_seconds is not None and not low <= request.press_seconds <= high:
        raise UsageError(
            f"A press lasts from {low} to {high} seconds, not {request.press_seconds}.",
            "Give --press-seconds a whole number such as 60.",
        )
    return PlanRequest(
        areas=areas,
        side=side,
        condition=condition,
        minutes=request.minutes,
        press_seconds=request.press_seconds,
        skip_regions=skip_regions,
        skip_points=skip_points,
        rest_seconds=request.rest_seconds,
    )


def _reach(
    request: RoutineRequest,
    dataset: Dataset,
    areas: tuple[str, ...],
    condition: str | None,
    prompter: Prompter,
    clock: Clock,
    store: History,
) -> tuple[bool, bool]:
    """Whether the person can lie on the side or front, and reach their feet: the option,
    else the answer remembered in the history, else asked once (only when a point of this
    routine depends on it) and remembered; unknown means they can."""
    from hipguide.planner import candidate_codes

    points = [dataset.point(code) for code in candidate_codes(dataset, areas, condition)]
    needs = {
        LYING: any(p.reach is not None and p.reach.lying for p in points),
        FOOT_REACH: any(p.reach is not None and p.reach.foot for p in points),
    }
    given = {LYING: request.lying, FOOT_REACH: request.foot_reach}
    ask = {LYING: prompter.can_lie, FOOT_REACH: prompter.can_reach_feet}
    answers: dict[str, bool] = {}
    for key in (LYING, FOOT_REACH):
        value = given[key]
        remembered = store.setting(key)
        if value is None and remembered in ("yes", "no"):
            answers[key] = remembered == "yes"
            continue
        if value is None and needs[key]:
            value = ask[key]()
        if value is None:
            answers[key] = True
            continue
        answers[key] = value
        if remembered != ("yes" if value else "no"):
            with suppress(StoreError):  # a history that cannot remember costs a question
                store.remember(key, "yes" if value else "no", clock.now())
    return answers[LYING], answers[FOOT_REACH]


def _choose(value: str, valid: Sequence[str], what: str, option: str) -> str:
    if value in valid:
        return value
    raise UnknownChoice(what, value, valid, option=option)


def _side(value: str) -> Literal["left", "right", "both"]:
    return _choose(value, SIDES, "side", "--side")  # type: ignore[return-value]


def _point_code(text: str, dataset: Dataset) -> str:
    """The code of the one point ``text`` names (code, alias or name)."""
    from hipguide.search import find_point

    found = find_point(dataset, text)
    if found.kind != "exact" or len(found.points) != 1:
        codes = sorted(p.code for p in dataset.points)
        if not found.points:
            raise UnknownChoice("point", text, codes, option="--skip-point")
        raise UsageError(f"'{text}' names more than one point.", "Give the point's code.")
    return found.points[0].code


def _run(
    request: RoutineRequest,
    plan: Plan,
    gate: GateOutcome,
    before: tuple[int | None, bool],
    prompter: Prompter,
    screen: Screen,
    clock: Clock,
    store: History,
) -> RoutineOutcome:
    """Run the session, record it (even when ended early), and sum it up; ``before`` is
    the pain before it and whether that was a flare-up."""
    from hipguide.planner import plan_record
    from hipguide.session import SessionEngine

    pain_before, flare = before
    started = clock.now()
    session_id: int | None = None
    try:
        session_id = store.start_session(started, plan_record(plan), pain_before, flare=flare)
    except StoreError as problem:
        screen.show(NotRecorded(problem))
    from hipguide.signals import ending_signals

    keys = prompter.keys(clock)
    find_seconds = request.find_seconds
    if not keys.live and find_seconds is None:
        find_seconds = FIND_SECONDS  # no key can come: never wait longer than this
    view = screen.session(plan, quiet=request.quiet, live_keys=keys.live, speak=request.speak)
    interrupted = False
    with ending_signals() as signalled:

        def wait(timeout: float) -> Command | None:
            return "quit" if signalled() else keys.wait_for_command(timeout)

        engine = SessionEngine(
            plan.steps,
            clock,
            rest_seconds=plan.rest_seconds,
            switch_seconds=plan.switch_seconds,
            wait_for_command=wait,
            find=True,
            find_seconds=find_seconds,
        )
        try:
            with keys:
                engine.run(view.handle)
        except KeyboardInterrupt:
            interrupted = True
        except OSError:  # the terminal went away with the signal: the session still counts
            if not signalled():
                raise
            engine.stop("signal")
        finally:
            with suppress(OSError):
                view.close()
        result = engine.result
        assert result is not None
        if signalled() and result.ended_by == "quit":
            result = replace(result, ended_by="signal")
    pain_after = request.pain_after
    if pain_after is None and not interrupted and result.ended_by != "signal":
        try:
            pain_after = prompter.pain("after")
        except Interrupted:
            interrupted = True  # the session is still recorded below
    summary = _finish(session_id, started, plan, result, (pain_before, pain_after), clock, store)
    summary = replace(summary, flare=flare)
    if session_id is not None and summary.id is None and summary.problem is not None:
        screen.show(NotRecorded(summary.problem))
    return RoutineOutcome("ran", gate, plan, summary, interrupted)


def _finish(
    session_id: int | None,
    started: datetime,
    plan: Plan,
    result: SessionResult,
    pain: tuple[int | None, int | None],
    clock: Clock,
    store: History,
) -> RunSummary:
    """Record how the session ended; the summary has the same fields recorded or not."""
    pain_before, pain_after = pain
    points = tuple(dict.fromkeys(plan.steps[i].point for i in result.steps_done))
    ended = clock.now()
    recorded = None
    problem = None
    if session_id is not None:
        try:
            store.finish_session(
                session_id, ended, points, pain_after, result.completed, result.ended_by
            )
            recorded = session_id
        except StoreError as error:
            problem = error
    return RunSummary(
        id=recorded,
        started_at=started,
        ended_at=ended,
        points=points,
        pain_before=pain_before,
        pain_after=pain_after,
        completed=result.completed,
        ended_by=result.ended_by,
        active_seconds=result.active_seconds,
        problem=problem,
    )
