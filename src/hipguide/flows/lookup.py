"""Looking things up: points by any name, conditions by id or alias."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hipguide.errors import NoMatchError, UnknownChoice
from hipguide.records import dataclass

if TYPE_CHECKING:
    from hipguide.dataset import Dataset
    from hipguide.models import Condition, Point
    from hipguide.search import MatchKind, SearchResult, Suggestion

NO_MATCH = "No point matches '{query}'."
NO_SUCH_POINT = "No point matches '{query}': {code} is not one of the points in this guide."
NO_SUCH_NUMBER = (
    "No point matches '{query}': the points of the {channel} channel are numbered 1 to "
    "{last}, so {code} is not a point."
)
DID_YOU_MEAN = "Did you mean: {names}?"
DID_YOU_MEAN_OTHER = "Did you mean one of these other points: {names}?"
LIST_THEM = "Run 'hipguide points' to list every point."
NOT_WITH_FILTERS = "{codes} exists but not with these filters."


@dataclass(frozen=True)
class PointsRequest:
    """``hipguide points [QUERY] [--condition ID] [--region R]``."""

    query: str = ""
    condition: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class PointsOutcome:
    """The points found; ``kind`` and ``matched_name`` say what the query matched (for
    a plain word: the region's or condition's id, or the use)."""

    request: PointsRequest
    points: tuple[Point, ...]
    kind: MatchKind | None = None
    matched_name: str = ""

    @property
    def one(self) -> bool:
        """Whether the query named exactly one point (its card is shown). A plain word
        always gives a list, even of one point."""
        from hipguide.search import PLAIN_WORDS

        return (
            bool(self.request.query.strip())
            and len(self.points) == 1
            and self.kind not in PLAIN_WORDS
        )


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
        raise _no_match(text, result, dataset)
    return PointsOutcome(request, found, result.kind, result.matched_name)


def _no_match(text: str, result: SearchResult, dataset: Dataset) -> NoMatchError:
    """What to say when a query found nothing (or nothing within the filters); the query
    is shown cut to at most 80 characters."""
    from hipguide.untrusted import clip

    text = clip(text)
    if result.points:
        codes = ", ".join(p.code for p in result.points)
        return NoMatchError(NO_MATCH.format(query=text), NOT_WITH_FILTERS.format(codes=codes))
    reading = result.code
    message = NO_MATCH.format(query=text)
    if reading is not None:
        channel = next(c for c in dataset.channels if c.id == reading.channel)
        if reading.in_range or not channel.last:
            message = NO_SUCH_POINT.format(query=text, code=reading.code)
        else:
            message = NO_SUCH_NUMBER.format(
                query=text, channel=channel.name, last=channel.last, code=reading.code
            )
    if not result.suggestions:
        return NoMatchError(message, LIST_THEM)
    names = ", ".join(_label(s, dataset) for s in result.suggestions)
    template = DID_YOU_MEAN if reading is None else DID_YOU_MEAN_OTHER
    return NoMatchError(message, template.format(names=names))


def _label(suggestion: Suggestion, dataset: Dataset) -> str:
    """``GB31 (Fēngshì)`` for a code, ``Huántiào (GB30)`` for a name, a plain word as it is."""
    if suggestion.kind != "point":
        return suggestion.name
    if suggestion.name == suggestion.target:
        return f"{suggestion.target} ({dataset.point(suggestion.target).pinyin})"
    return f"{suggestion.name} ({suggestion.target})"


def find_condition(condition_id: str, dataset: Dataset) -> Condition:
    """The condition an id or alias names (any case); UnknownChoice otherwise."""
    by_alias = {a.casefold(): c.id for c in dataset.conditions for a in c.aliases}
    wanted = by_alias.get(condition_id.casefold(), condition_id)
    _known(wanted, [c.id for c in dataset.conditions], "condition", "")
    return dataset.condition(wanted)


def _known(value: str, valid: list[str], what: str, option: str) -> None:
    if value not in valid:
        raise UnknownChoice(what, value, valid, option=option)
