"""Looking things up: points by any name, conditions by id or alias."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hipguide.errors import NoMatchError, UnknownChoice

if TYPE_CHECKING:
    from hipguide.dataset import Dataset
    from hipguide.models import Condition, Point
    from hipguide.search import MatchKind


@dataclass(frozen=True)
class PointsRequest:
    """``hipguide points [QUERY] [--condition ID] [--region R]``."""

    query: str = ""
    condition: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class PointsOutcome:
    """The points found; ``one`` is True when a query named exactly one point."""

    request: PointsRequest
    points: tuple[Point, ...]
    kind: MatchKind | None = None
    matched_name: str = ""

    @property
    def one(self) -> bool:
        """Whether the query found exactly one point (its card is shown)."""
        return bool(self.request.query) and len(self.points) == 1


def find_points(request: PointsRequest, dataset: Dataset) -> PointsOutcome:
    """The points a query names, within the filters; NoMatchError (exit 1) when none."""
    from hipguide.search import filter_points, find_point

    if request.condition is not None:
        _known(request.condition, [c.id for c in dataset.conditions], "condition", "--condition")
    if request.region is not None:
        _known(request.region, [r.id for r in dataset.regions], "region", "--region")
    candidates = filter_points(dataset, condition=request.condition, region=request.region)
    text = request.query.strip()
    if not text:
        return PointsOutcome(request, candidates)
    result = find_point(dataset, text)
    allowed = {p.code for p in candidates}
    found = tuple(p for p in result.points if p.code in allowed)
    if not found:
        hint = (
            f"Did you mean: {', '.join(result.suggestions)}?"
            if result.suggestions
            else "Run 'hipguide points' to list every point."
        )
        if result.points and (request.condition or request.region):
            codes = ", ".join(p.code for p in result.points)
            hint = f"{codes} exists but not with these filters."
        raise NoMatchError(f"No point matches '{text}'.", hint)
    return PointsOutcome(request, found, result.kind, result.matched_name)


def find_condition(condition_id: str, dataset: Dataset) -> Condition:
    """The condition an id or alias names (any case); UnknownChoice otherwise."""
    by_alias = {a.casefold(): c.id for c in dataset.conditions for a in c.aliases}
    wanted = by_alias.get(condition_id.casefold(), condition_id)
    _known(wanted, [c.id for c in dataset.conditions], "condition", "ID")
    return dataset.condition(wanted)


def _known(value: str, valid: list[str], what: str, option: str) -> None:
    if value not in valid:
        raise UnknownChoice(what, value, valid, option=option)
