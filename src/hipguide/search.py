"""Find a point from whatever a person types: a code in any format, pinyin, hanzi, English.

Pure logic over a :class:`~hipguide.dataset.Dataset`: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, NamedTuple

from hipguide.dataset import Dataset, normalize_code
from hipguide.models import Point

MatchKind = Literal["exact", "partial", "fuzzy", "none"]

#: A typo closer than this to exactly one point's name is taken as that point.
FUZZY_ACCEPT = 0.84
#: Names at least this close are offered as "did you mean".
FUZZY_SUGGEST = 0.55


class SearchResult(NamedTuple):
    """What a query found.

    ``kind`` is ``exact`` (a code, alias, pinyin, hanzi or full English name),
    ``partial`` (words found inside names), ``fuzzy`` (a typo of exactly one
    name) or ``none``. ``suggestions`` are names to offer when nothing matched.
    """

    query: str
    kind: MatchKind
    points: tuple[Point, ...]
    suggestions: tuple[str, ...] = ()
    matched_name: str = ""


def fold_text(text: str) -> str:
    """Lower case, tone marks and tone numbers removed, only letters, digits and hanzi kept."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("ü", "v").replace("u:", "v")
    bare = re.sub(r"(?<=[a-z])[1-5]", "", bare)  # tone numbers: huan2tiao4
    return "".join(ch for ch in bare if ch.isalnum())


def _names(point: Point, dataset: Dataset) -> Iterable[tuple[str, str]]:
    """(kind, text) pairs a point can be found by."""
    yield "code", point.code
    for alias in point.aliases:
        yield "alias", alias
    yield "pinyin", point.pinyin
    yield "hanzi", point.hanzi
    if point.hanzi_traditional:
        yield "hanzi", point.hanzi_traditional
    yield from (("hanzi", variant) for variant in point.hanzi_variants)
    yield "english", point.english
    number = _code_number(point)
    if number and point.namespace == "who":
        for channel in (point.channel, *dataset.channel(point.channel).other_names):
            yield "channel", f"{channel} {number}"  # "Gallbladder 30"


def _code_number(point: Point) -> str:
    match = re.search(r"\d+(\.\d+)?$", point.code)
    return match.group() if match else ""


def _index(dataset: Dataset) -> dict[str, list[tuple[Point, str]]]:
    index: dict[str, list[tuple[Point, str]]] = {}
    for point in dataset.points:
        for kind, name in _names(point, dataset):
            keys = {fold_text(name)}
            if kind in ("code", "alias"):
                keys.add(fold_text(normalize_code(name)))
            for key in keys:
                entries = index.setdefault(key, [])
                if all(p.code != point.code for p, _ in entries):
                    entries.append((point, name))
    return index


def _unique(points: Iterable[Point]) -> tuple[Point, ...]:
    seen: dict[str, Point] = {}
    for point in points:
        seen.setdefault(point.code, point)
    return tuple(seen.values())


def find_point(dataset: Dataset, query: str) -> SearchResult:
    """Resolve ``query`` to one point, several candidates, or suggestions.

    Order of trust: exact code/alias/name, then every point whose names contain
    all the query's words, then a typo that is close to exactly one point.
    """
    text = query.strip()
    by_code = dataset.point_by_code(text) if text else None
    if by_code is not None:
        return SearchResult(query, "exact", (by_code,), matched_name=text)
    index = _index(dataset)
    keys = {fold_text(text), fold_text(normalize_code(text))} - {""}
    if not keys:
        return SearchResult(query, "none", ())
    exact = [entry for key in keys for entry in index.get(key, [])]
    if exact:
        return SearchResult(query, "exact", _unique(p for p, _ in exact), matched_name=exact[0][1])

    words = [fold_text(w) for w in re.split(r"[\s,;/]+", text) if fold_text(w)]
    names = [w for w in words if not w.isdigit() and (len(w) >= 3 or not w.isascii())]
    numbers = [w for w in words if w.isdigit()]
    partial = [
        point
        for point in dataset.points
        if names
        and all(
            any(word in fold_text(name) for _, name in _names(point, dataset)) for word in names
        )
        # a number in the query must be the point's number: "San Jiao 14" is not SP6
        and all(number.lstrip("0") == _code_number(point) for number in numbers)
    ]
    if partial:
        return SearchResult(query, "partial", _unique(partial))

    from hipguide.suggest import ranked

    scored: list[tuple[float, Point, str]] = []
    for probe in sorted(keys):
        for ratio, key in ranked(probe, index, FUZZY_SUGGEST):
            scored.extend((ratio, point, name) for point, name in index[key])
    scored.sort(key=lambda item: -item[0])
    if scored:
        best_ratio, best_point, best_name = scored[0]
        rivals = {p.code for r, p, _ in scored if r >= best_ratio - 0.05}
        looks_like_code = re.fullmatch(r"[A-Za-z]{1,4}\W*\d+|\d+\.\d+", text) is not None
        numbers_agree = all(n.lstrip("0") == _code_number(best_point) for n in numbers)
        if (
            best_ratio >= FUZZY_ACCEPT
            and rivals == {best_point.code}
            and not looks_like_code
            and numbers_agree
        ):
            return SearchResult(query, "fuzzy", (best_point,), matched_name=best_name)
    suggestions: list[str] = []
    for _, point, name in scored:
        label = point.code if name == point.code else f"{name} ({point.code})"
        if label not in suggestions:
            suggestions.append(label)
    return SearchResult(query, "none", (), tuple(suggestions[:5]))


def filter_points(
    dataset: Dataset, *, condition: str | None = None, region: str | None = None
) -> tuple[Point, ...]:
    """Points used for ``condition`` (in its order) and/or lying in ``region``."""
    points: Iterable[Point] = dataset.points
    if condition is not None:
        points = [dataset.point(role.point) for role in dataset.condition(condition).points]
    if region is not None:
        points = [p for p in points if p.region == region]
    return _unique(points)
