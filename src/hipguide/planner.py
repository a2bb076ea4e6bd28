"""Routine planning: from where and why it hurts to an ordered list of presses.

Pure logic: no I/O, no clock. The timeline (presses, side switches, rests) is
defined here once, so the plan's ``total_seconds`` and the session engine agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from hipguide.dataset import Dataset
from hipguide.errors import UsageError
from hipguide.models import REGIONS, Point, PointRole, Role

Side = Literal["left", "right"]
SegmentKind = Literal["press", "switch", "rest"]

#: Seconds of rest between two different points.
REST_SECONDS = 10
#: Seconds to change hands when the same point is pressed on the other side.
SWITCH_SECONDS = 5


@dataclass(frozen=True)
class Step:
    """One press on one side."""

    point: str
    side: Side
    seconds: int
    pressure: Literal["light", "moderate", "firm"]
    role: Literal["local", "distal", "mirror"]


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

#: Role order: a point named with several roles keeps the first of these; steps follow it.
ROLE_ORDER: tuple[Role, ...] = ("local", "distal", "mirror")
#: The caution effects the planner applies (triage.yaml ``effect`` values).
NO_PREGNANCY_AVOID = "no_pregnancy_avoid"
LIGHT_NO_DEEP = "light_no_deep"

_SIDES: tuple[Side, ...] = ("left", "right")


@dataclass(frozen=True)
class PlanRequest:
    """What the person asks for: where it hurts, on which side, why, and for how long."""

    areas: tuple[str, ...]
    side: Literal["left", "right", "both"]
    condition: str | None = None
    minutes: float = 10
    press_seconds: int | None = None
    skip_regions: tuple[str, ...] = ()
    skip_points: tuple[str, ...] = ()
    rest_seconds: int = REST_SECONDS


class CautionLike(Protocol):
    """A caution that changes the routine (``triage.CautionNote`` fits)."""

    @property
    def id(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def effect(self) -> str | None: ...


@dataclass(frozen=True)
class Exclusion:
    """A candidate point left out of the plan, and why in plain words."""

    point: str
    reason: str


@dataclass(frozen=True)
class Plan:
    """An ordered routine: the presses, their cost in seconds, and what was left out."""

    steps: tuple[Step, ...]
    total_seconds: int
    budget_seconds: int
    excluded: tuple[Exclusion, ...]
    tier: str
    cautions: tuple[CautionLike, ...]
    rest_seconds: int = REST_SECONDS
    switch_seconds: int = SWITCH_SECONDS

    @property
    def points(self) -> tuple[str, ...]:
        """The codes pressed, in order, each once."""
        return tuple(dict.fromkeys(step.point for step in self.steps))


@dataclass(frozen=True)
class _Candidate:
    point: Point
    role: Role
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
    cautions: Sequence[CautionLike] = (),
) -> Plan:
    """Choose, filter, place and fit the points of a routine for ``request``.

    Candidates come from the requested areas and the condition, best supported first;
    cautions and skipped points remove some (each recorded as an :class:`Exclusion`);
    the rest go in while they fit ``request.minutes``. Steps run local, distal, then
    mirror points. Raises :class:`~hipguide.errors.UsageError` for an unknown id.
    """
    _validate(dataset, request)
    effects = {caution.effect for caution in cautions if caution.effect}
    light_only = LIGHT_NO_DEEP in effects
    budget = max(0, math.floor(request.minutes * 60))
    rest = request.rest_seconds
    switch = min(SWITCH_SECONDS, rest)

    excluded: list[Exclusion] = []
    kept: list[_Candidate] = []
    skip_points = {_resolve_code(dataset, code) for code in request.skip_points}
    for candidate in _candidates(dataset, request):
        reasons = _caution_reasons(candidate.point, effects, request, skip_points)
        if reasons:
            excluded.append(Exclusion(candidate.point.code, "; ".join(reasons)))
        else:
            kept.append(candidate)

    blocks = {
        c.point.code: _steps_for(c, request.side, request.press_seconds, light_only) for c in kept
    }
    chosen: list[_Candidate] = []
    used = 0

    def try_add(candidate: _Candidate) -> None:
        nonlocal used
        cost = total_seconds(blocks[candidate.point.code], rest, switch) + (rest if chosen else 0)
        if used + cost <= budget:
            chosen.append(candidate)
            used += cost

    for role in ROLE_ORDER:
        best = next((c for c in kept if c.role == role), None)
        if best is not None:
            try_add(best)
    for candidate in kept:
        if candidate not in chosen:
            try_add(candidate)

    minutes = f"{request.minutes:g}"
    excluded.extend(
        Exclusion(c.point.code, f"left out to fit the {minutes}-minute budget")
        for c in kept
        if c not in chosen
    )
    ordered = sorted(chosen, key=lambda c: (ROLE_ORDER.index(c.role), c.sort_key))
    steps = tuple(step for c in ordered for step in blocks[c.point.code])
    return Plan(
        steps=steps,
        total_seconds=total_seconds(steps, rest, switch),
        budget_seconds=budget,
        excluded=tuple(excluded),
        tier=tier,
        cautions=tuple(cautions),
        rest_seconds=rest,
        switch_seconds=switch,
    )


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as the JSON document of DESIGN.md ("Plan JSON"), plus ``budget_seconds``."""
    return {
        "steps": [
            {
                "point": step.point,
                "side": step.side,
                "seconds": step.seconds,
                "pressure": step.pressure,
                "role": step.role,
            }
            for step in plan.steps
        ],
        "total_seconds": plan.total_seconds,
        "budget_seconds": plan.budget_seconds,
        "rest_seconds": plan.rest_seconds,
        "excluded": [{"point": e.point, "reason": e.reason} for e in plan.excluded],
        "tier": plan.tier,
        "cautions": [{"id": c.id, "text": c.text, "effect": c.effect} for c in plan.cautions],
    }


def _validate(dataset: Dataset, request: PlanRequest) -> None:
    areas = [area.id for area in dataset.areas]
    _need_known("area", request.areas, areas)
    if request.condition is not None:
        _need_known("condition", (request.condition,), [c.id for c in dataset.conditions])
    if not request.areas and request.condition is None:
        raise UsageError(
            "Name at least one painful area or a condition to plan a routine.",
            f"Areas: {', '.join(areas)}.",
        )
    if request.side not in ("left", "right", "both"):
        raise UsageError(f"Unknown side '{request.side}'.", "Use left, right or both.")
    _need_known("region", request.skip_regions, list(REGIONS))
    for code in request.skip_points:
        _resolve_code(dataset, code)
    if not math.isfinite(request.minutes) or request.minutes < 0:
        raise UsageError(
            f"The time budget must be a number of minutes, not {request.minutes:g}.",
            "Give --minutes a positive number such as 10.",
        )
    if request.press_seconds is not None and request.press_seconds <= 0:
        raise UsageError(
            f"A press must last at least one second, not {request.press_seconds}.",
            "Give --press-seconds a positive whole number such as 60.",
        )


def _need_known(kind: str, given: Iterable[str], valid: list[str]) -> None:
    unknown = [value for value in given if value not in valid]
    if unknown:
        raise UsageError(f"Unknown {kind} '{unknown[0]}'.", f"Valid {kind}s: {', '.join(valid)}.")


def _resolve_code(dataset: Dataset, code: str) -> str:
    """The canonical code of a point named by its code or any alias, in any spelling."""
    point = dataset.point_by_code(code)
    if point is None:
        raise UsageError(
            f"Unknown point '{code}'.",
            f"Valid points: {', '.join(point.code for point in dataset.points)}.",
        )
    return point.code


def _candidates(dataset: Dataset, request: PlanRequest) -> list[_Candidate]:
    """Every point the areas and the condition name, best supported first."""
    lists: list[tuple[tuple[PointRole, ...], bool]] = [
        (dataset.area(area_id).points, False) for area_id in dict.fromkeys(request.areas)
    ]
    if request.condition is not None:
        lists.append((dataset.condition(request.condition).points, True))
    roles: dict[str, Role] = {}
    positions: dict[str, int] = {}
    named: set[str] = set()
    for entries, by_condition in lists:
        for position, entry in enumerate(entries):
            code = entry.point
            if code not in roles or ROLE_ORDER.index(entry.role) < ROLE_ORDER.index(roles[code]):
                roles[code] = entry.role
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
        for code, role in roles.items()
    ]
    return sorted(candidates, key=lambda c: c.sort_key)


def _seed_sources(dataset: Dataset, point: Point) -> int:
    return sum(1 for ref in point.sources if dataset.source(ref).kind == "seed")


def _caution_reasons(
    point: Point, effects: set[str], request: PlanRequest, skip_points: set[str]
) -> list[str]:
    """Plain reasons why the cautions and the person's skips remove ``point``."""
    reasons: list[str] = []
    if NO_PREGNANCY_AVOID in effects and point.pregnancy == "avoid":
        reasons.append("traditionally avoided in pregnancy")
    if LIGHT_NO_DEEP in effects and point.depth == "deep":
        reasons.append("a deep point, and the blood-thinner caution allows light pressure only")
    # The skin caution (skip_area) works through skip_regions; a region the person names
    # is skipped even without that answer, since pressing there is what they asked to avoid.
    if point.region in request.skip_regions:
        reasons.append(f"skin problem in the {point.region} area")
    if point.code in skip_points:
        reasons.append("skipped at your request")
    return reasons


def _steps_for(
    candidate: _Candidate,
    pain: Literal["left", "right", "both"],
    press_seconds: int | None,
    light_only: bool,
) -> tuple[Step, ...]:
    """The presses of one point: its sides in left-right order, so they run back to back."""
    point = candidate.point
    painful: tuple[Side, ...] = _SIDES if pain == "both" else (pain,)
    if candidate.role == "local":
        sides = painful
    elif candidate.role == "distal":
        sides = _SIDES
    else:
        sides = tuple(side for side in _SIDES if side not in painful) or _SIDES
    if not point.bilateral:
        sides = sides[:1] if candidate.role == "mirror" else painful[:1]
    seconds = press_seconds if press_seconds is not None else point.technique.seconds
    pressure = "light" if light_only else point.technique.pressure
    return tuple(Step(point.code, side, seconds, pressure, candidate.role) for side in sides)
