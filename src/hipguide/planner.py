"""Routine planning: from where and why it hurts to an ordered list of presses.

Pure logic: no I/O, no clock, no sentences. The roles and the sides they are pressed
on, the pressure levels and what each caution leaves out or caps all come from
``data/routine.yaml``; what was left out is told as codes (:class:`Why`), worded by
:mod:`hipguide.ui.text`. The timeline (presses, side switches, rests) is defined here
once, so the plan's ``total_seconds`` and the session engine agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from hipguide.dataset import Dataset
from hipguide.models import Effect, LeaveOut, Point, PointFilter, PointRole
from hipguide.records import dataclass, replace

Side = Literal["left", "right"]
SegmentKind = Literal["press", "switch", "rest"]

#: Seconds of rest between two different points.
REST_SECONDS = 10
#: Seconds to change hands when the same point is pressed on the other side.
SWITCH_SECONDS = 5
#: The source named by the pressure cap of a flare-up's lighter routine.
FLARE_CAP = "flare"


@dataclass(frozen=True)
class Step:
    """One press on one side."""

    point: str
    side: Side
    seconds: int
    pressure: Literal["light", "moderate", "firm"]
    role: str
    instead: bool = False  # pressed the point's seated or standing way (``reach.instead``)


@dataclass(frozen=True)
class Segment:
    """One stretch of the session timeline."""

    kind: SegmentKind
    step: int  # index of the step this segment belongs to (the next step, for switch/rest)
    seconds: int


def timeline(
    steps: tuple[Step, ...] | list[Step],
    rest_seconds: int = REST_SECONDS,
    switch_seconds: int = SWITCH_SECONDS,
) -> list[Segment]:
    """Lay out a session: each press, with a switch or a rest before the next one.

    A step that presses the same point as the one before it (on the other side)
    is preceded by a "switch" segment; any other step after the first by a "rest".
    """
    segments: list[Segment] = []
    for index, step in enumerate(steps):
        if index:
            previous = steps[index - 1]
            if previous.point == step.point:
                segments.append(Segment("switch", index, switch_seconds))
            else:
                segments.append(Segment("rest", index, rest_seconds))
        segments.append(Segment("press", index, step.seconds))
    return segments


def total_seconds(
    steps: tuple[Step, ...] | list[Step],
    rest_seconds: int = REST_SECONDS,
    switch_seconds: int = SWITCH_SECONDS,
) -> int:
    """The whole planned session in seconds: presses, switches and rests."""
    return sum(segment.seconds for segment in timeline(steps, rest_seconds, switch_seconds))


# --- planning a routine ----------------------------------------------------------------------

_SIDES: tuple[Side, ...] = ("left", "right")


@dataclass(frozen=True)
class PlanRequest:
    """What the person asks for: where it hurts, on which side, why, and for how long.

    Every id must be the dataset's (the flows check what a person typed first).
    """

    areas: tuple[str, ...]
    side: Literal["left", "right", "both"]
    condition: str | None = None
    minutes: float = 10
    press_seconds: int | None = None
    skip_regions: tuple[str, ...] = ()
    skip_points: tuple[str, ...] = ()
    rest_seconds: int = REST_SECONDS
    can_lie: bool = True
    can_reach_feet: bool = True
    flare: bool = False  # the lighter routine of a flare-up (``routine.yaml`` "flare")


@dataclass(frozen=True)
class Why:
    """One reason a point was left out.

    ``kind`` is ``caution`` (``effect`` left it out by its ``rule``-th leave-out rule),
    ``skin`` (a skin problem in ``region``), ``skipped`` (the person asked), ``lying``
    (it is pressed lying on the side or front, which the person cannot, and it has no
    other way), ``feet`` (it needs the foot within reach, which the person cannot) or
    ``budget`` (it did not fit ``minutes``).
    """

    kind: Literal["caution", "skin", "skipped", "lying", "feet", "budget"]
    effect: str = ""
    rule: int = 0
    region: str = ""
    minutes: float = 0.0


@dataclass(frozen=True)
class Exclusion:
    """A candidate point left out of the plan, and every reason why."""

    point: str
    why: tuple[Why, ...]


@dataclass(frozen=True)
class AppliedCap:
    """A pressure cap that shaped the plan: where it came from (a caution question's id,
    or the verdict's tier), the most it allows, which points it covers (``where``:
    None for every point) and the points whose pressure it lowered."""

    source: str
    max: str
    where: PointFilter | None
    lowered: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """An ordered routine: the presses, their cost in seconds, and what was left out.

    ``cautions`` are the ids of the check's caution questions that shaped it, ``caps``
    every pressure cap in force (from those cautions and from the verdict's tier).
    ``total_seconds`` counts presses, side switches and rests, not the time a person
    takes to find each point before pressing it.
    """

    steps: tuple[Step, ...]
    total_seconds: int
    budget_seconds: int
    excluded: tuple[Exclusion, ...]
    tier: str
    cautions: tuple[str, ...]
    rest_seconds: int = REST_SECONDS
    switch_seconds: int = SWITCH_SECONDS
    caps: tuple[AppliedCap, ...] = ()
    flare: bool = False

    @property
    def points(self) -> tuple[str, ...]:
        """The codes pressed, in order, each once."""
        return tuple(dict.fromkeys(step.point for step in self.steps))


@dataclass(frozen=True)
class _Candidate:
    point: Point
    role: str
    named_by_condition: bool
    position: int
    seed_sources: int

    @property
    def sort_key(self) -> tuple[bool, int, int, str]:
        return (not self.named_by_condition, self.position, -self.seed_sources, self.point.code)


def plan_routine(
    dataset: Dataset,
    request: PlanRequest,
    *,
    tier: str = "self-care",
    cautions: Sequence[str] = (),
) -> Plan:
    """Choose, filter, place and fit the points of a routine for ``request``.

    Candidates come from the requested areas and the condition, best supported first;
    the effects of ``cautions`` (caution question ids), the skipped points and what the
    person cannot do (lie on the side, reach the feet) remove some, each recorded as an
    :class:`Exclusion`. The rest are capped in pressure (the strictest cap of the
    cautions and of ``tier`` wins) and go in while they fit ``request.minutes``: first
    the best point of the role kept longest, then one point of each role that must keep
    one, then every role in the order it is kept. Steps follow the roles' order.

    With ``request.flare`` the plan is the lighter routine of a flare-up: the same points,
    every press capped at the ``flare`` block's pressure and shortened by
    :func:`flare_seconds`.
    """
    effects = _effects(dataset, cautions)
    caps = _caps(dataset, cautions, tier)
    if request.flare:
        caps.append(AppliedCap(FLARE_CAP, dataset.rules.flare.pressure, None, ()))
    roles = [role.id for role in dataset.rules.roles]
    pressures = dataset.rules.pressures
    budget = max(0, math.floor(request.minutes * 60))
    rest = request.rest_seconds
    switch = min(SWITCH_SECONDS, rest)

    excluded: list[Exclusion] = []
    kept: list[_Candidate] = []
    skip_points = set(request.skip_points)
    for candidate in _candidates(dataset, request, roles):
        why = _leave_out(candidate.point, effects, request, skip_points)
        if why:
            excluded.append(Exclusion(candidate.point.code, why))
        else:
            kept.append(candidate)

    lowered: dict[int, list[str]] = {index: [] for index in range(len(caps))}
    blocks = {}
    for c in kept:
        pressure, by = _pressure(c.point, caps, pressures)
        for index in by:
            lowered[index].append(c.point.code)
        blocks[c.point.code] = _steps_for(c, dataset, request, pressure)
    chosen = _fit(kept, blocks, dataset, budget, rest, switch)

    over_budget = (Why("budget", minutes=request.minutes),)
    excluded.extend(Exclusion(c.point.code, over_budget) for c in kept if c not in chosen)
    ordered = sorted(chosen, key=lambda c: (roles.index(c.role), c.sort_key))
    steps = tuple(step for c in ordered for step in blocks[c.point.code])
    if request.flare:
        # The lighter routine keeps the points the usual one would press, each shorter.
        steps = tuple(replace(step, seconds=flare_seconds(dataset, step.seconds)) for step in steps)
    # each point planned, by the place of its first press
    planned = {code: place for place, code in enumerate(dict.fromkeys(s.point for s in steps))}
    first_press = planned.__getitem__
    return Plan(
        steps=steps,
        total_seconds=total_seconds(steps, rest, switch),
        budget_seconds=budget,
        excluded=tuple(excluded),
        tier=tier,
        cautions=tuple(cautions),
        rest_seconds=rest,
        switch_seconds=switch,
        caps=tuple(
            # the points in the order the plan presses them
            replace(cap, lowered=tuple(sorted(set(lowered[i]) & planned.keys(), key=first_press)))
            for i, cap in enumerate(caps)
        ),
        flare=request.flare,
    )


def flare_seconds(dataset: Dataset, seconds: int) -> int:
    """A press of the lighter routine: ``seconds_percent`` of ``seconds``, rounded up, but
    at least ``min_seconds``, and never longer than ``seconds`` itself."""
    rule = dataset.rules.flare
    shorter = math.ceil(seconds * rule.seconds_percent / 100)
    return min(seconds, max(rule.min_seconds, shorter))


def _fit(
    kept: list[_Candidate],
    blocks: dict[str, tuple[Step, ...]],
    dataset: Dataset,
    budget: int,
    rest: int,
    switch: int,
) -> list[_Candidate]:
    """The candidates that go in: the best of the role kept longest first, then one of
    each role that keeps at least one, then the rest by role (kept longest first) and
    support, each only if it still fits the budget. Once a point of a role does not fit,
    no role that is kept for less gets a point: they are the ones dropped first."""
    by_keep = sorted(dataset.rules.roles, key=lambda role: -role.keep)
    chosen: list[_Candidate] = []
    used = 0

    def try_add(candidate: _Candidate | None) -> None:
        nonlocal used
        if candidate is None or candidate in chosen:
            return
        cost = total_seconds(blocks[candidate.point.code], rest, switch) + (rest if chosen else 0)
        if used + cost <= budget:
            chosen.append(candidate)
            used += cost

    def best(role: str) -> _Candidate | None:
        return next((c for c in kept if c.role == role), None)

    if by_keep:
        try_add(best(by_keep[0].id))
    for role in by_keep:
        if role.at_least_one:
            try_add(best(role.id))
    for role in by_keep:
        of_role = [c for c in kept if c.role == role.id]
        for candidate in of_role:
            try_add(candidate)
        if any(c not in chosen for c in of_role):
            break
    return chosen


def plan_record(plan: Plan) -> dict[str, object]:
    """The plan as plain data (codes and numbers), as the history keeps it."""
    from hipguide.records import asdict

    return asdict(plan)


def _caps(dataset: Dataset, cautions: Sequence[str], tier: str) -> list[AppliedCap]:
    """Every pressure cap in force: each caution's, then the tier's."""
    caps = [
        AppliedCap(question_id, cap.max, cap.where, ())
        for question_id in cautions
        for effect in _effects(dataset, (question_id,))
        for cap in effect.caps
    ]
    tier_cap = dataset.tier(tier).cap
    if tier_cap is not None:
        caps.append(AppliedCap(tier, tier_cap, None, ()))
    return caps


def _effects(dataset: Dataset, cautions: Sequence[str]) -> list[Effect]:
    """The effects of the caution questions, in the order the cautions came."""
    effects = []
    for question_id in cautions:
        effect_id = dataset.question(question_id).effect
        if effect_id:
            effects.append(dataset.effect(effect_id))
    return effects


def candidate_codes(
    dataset: Dataset, areas: Sequence[str], condition: str | None
) -> tuple[str, ...]:
    """Every point the areas and the condition name (before any caution or budget)."""
    roles = [role.id for role in dataset.rules.roles]
    request = PlanRequest(areas=tuple(areas), side="left", condition=condition)
    return tuple(c.point.code for c in _candidates(dataset, request, roles))


def _candidates(dataset: Dataset, request: PlanRequest, roles: list[str]) -> list[_Candidate]:
    """Every point the areas and the condition name, best supported first."""
    lists: list[tuple[tuple[PointRole, ...], bool]] = [
        (dataset.area(area_id).points, False) for area_id in dict.fromkeys(request.areas)
    ]
    if request.condition is not None:
        lists.append((dataset.condition(request.condition).points, True))
    chosen_roles: dict[str, str] = {}
    positions: dict[str, int] = {}
    named: set[str] = set()
    for entries, by_condition in lists:
        for position, entry in enumerate(entries):
            code = entry.point
            known = chosen_roles.get(code)
            if known is None or roles.index(entry.role) < roles.index(known):
                chosen_roles[code] = entry.role
            positions[code] = min(positions.get(code, position), position)
            if by_condition:
                named.add(code)
    candidates = [
        _Candidate(
            point=dataset.point(code),
            role=role,
            named_by_condition=code in named,
            position=positions[code],
            seed_sources=_seed_sources(dataset, dataset.point(code)),
        )
        for code, role in chosen_roles.items()
    ]
    return sorted(candidates, key=lambda c: c.sort_key)


def _seed_sources(dataset: Dataset, point: Point) -> int:
    return sum(1 for ref in point.sources if dataset.source(ref).kind == "seed")


def _matches(point: Point, rule: LeaveOut | PointFilter) -> bool:
    """Whether ``point`` has every attribute the rule lists (a rule listing none: all)."""
    return (not rule.pregnancy or point.pregnancy in rule.pregnancy) and (
        not rule.depth or point.depth in rule.depth
    )


def _leave_out(
    point: Point, effects: Sequence[Effect], request: PlanRequest, skip_points: set[str]
) -> tuple[Why, ...]:
    """Why the cautions, the person's skips and reach remove ``point`` (empty: it stays)."""
    why: list[Why] = []
    for effect in effects:
        for index, rule in enumerate(effect.leave_out):
            if _matches(point, rule):
                why.append(Why("caution", effect=effect.id, rule=index))
                break
    # The skin caution works through skip_regions; a region the person names is skipped
    # even without that answer, since pressing there is what they asked to avoid.
    if point.region in request.skip_regions:
        why.append(Why("skin", region=point.region))
    if point.code in skip_points:
        why.append(Why("skipped"))
    reach = point.reach
    if reach is not None:
        if reach.lying and not request.can_lie and reach.instead is None:
            why.append(Why("lying"))
        if reach.foot and not request.can_reach_feet:
            why.append(Why("feet"))
    return tuple(why)


def _pressure(
    point: Point, caps: Sequence[AppliedCap], pressures: Sequence[str]
) -> tuple[str, list[int]]:
    """The point's own pressure, lowered to the strictest cap that covers it, and the
    indexes of the caps that lowered it."""
    own = pressures.index(point.technique.pressure)
    covering = [
        (i, pressures.index(cap.max))
        for i, cap in enumerate(caps)
        if cap.where is None or _matches(point, cap.where)
    ]
    level = min([own, *(limit for _, limit in covering)])
    return pressures[level], [i for i, limit in covering if limit < own]


def _steps_for(
    candidate: _Candidate, dataset: Dataset, request: PlanRequest, pressure: str
) -> tuple[Step, ...]:
    """The presses of one point: its sides in left-right order, so they run back to back."""
    point = candidate.point
    pain = request.side
    painful: tuple[Side, ...] = _SIDES if pain == "both" else (pain,)
    sides_rule = dataset.role(candidate.role).sides
    if sides_rule == "painful":
        sides = painful
    elif sides_rule == "both":
        sides = _SIDES
    else:
        sides = tuple(side for side in _SIDES if side not in painful) or _SIDES
    if not point.bilateral:
        sides = sides[:1] if sides_rule == "opposite" else painful[:1]
    seconds = (
        request.press_seconds if request.press_seconds is not None else point.technique.seconds
    )
    reach = point.reach
    instead = bool(reach and reach.lying and not request.can_lie and reach.instead)
    return tuple(
        Step(point.code, side, seconds, pressure, candidate.role, instead)  # type: ignore[arg-type]
        for side in sides
    )
