"""Find points from whatever a person types: a code in any format, pinyin, hanzi, an
English name, or a plain word for a region, a condition or a use.

Pure logic over a :class:`~hipguide.dataset.Dataset`: no I/O, no sentences. The order
of trust, each step tried only when the one before found nothing:

1. **a code** (``GB30``, ``gb-30``, ``GB 30``, ``GB030``, ``SJ14``, ``Lv3``, ``UB54``,
   ``Gallbladder 30``, ``88.12``, ``Tung 88.12``): letters that ``channels.yaml`` knows as
   a channel's id, old code prefix or name, then a number. It finds that code or an alias
   of it and nothing else (an alias the data gives wins over what it would read as): a
   code the dataset does not have is ``none``, never the point with the closest spelling;
2. **an exact name**: pinyin (tone marks, tone numbers and spaces ignored; ü typed as
   ``ü``, ``v`` or ``u:``, or as plain ``u``), hanzi (simplified, traditional, variants),
   the full English name;
3. **a plain word**: a condition (its id, name or aliases), a region (its id, name or
   ``words``), or a use (a phrase inside a point's ``indications``);
4. **partial**: every point whose names hold all the query's words;
5. **fuzzy**: a typo close to exactly one point's name. A typo of a plain word, or one
   close to several names, is only suggested.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from hipguide.dataset import Dataset, normalize_code
from hipguide.models import Channel, Point

if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:  # records quicker to define than NamedTuple, as the dataset's (see hipguide.models)
    from hipguide.models import Record

#: ``region``, ``condition`` and ``use`` are plain words; their ``matched_name`` is the
#: region's id, the condition's id, or the phrase of the use.
MatchKind = Literal["exact", "partial", "fuzzy", "region", "condition", "use", "none"]
PLAIN_WORDS: tuple[MatchKind, ...] = ("region", "condition", "use")

#: A typo closer than this to exactly one point's name is taken as that point.
FUZZY_ACCEPT = 0.84
#: Names at least this close are offered as "did you mean".
FUZZY_SUGGEST = 0.55
#: A name at most this much less close than the closest is as likely as it: a typo
#: that close to two names is only suggested.
FUZZY_TIE = 0.05
#: At most this many suggestions.
MAX_SUGGESTIONS = 5
#: A use (a phrase of the indications) is looked for only from this many characters.
MIN_USE_LENGTH = 4
#: A channel number longer than this is beyond every channel (and never parsed).
MAX_NUMBER_DIGITS = 4

# Patterns are compiled on first use (``re`` keeps them): a lookup by code never pays for
# the ones it does not need.
_TUNG = r"(?:(?P<prefix>[a-z]+)[\s\-_.]*)?(?P<book>\d+)\.(?P<point>\d+)"
_LETTERS_THEN_NUMBER = r"(?P<prefix>[a-z]+(?:[\s\-_]+[a-z]+)*)[\s\-_.]*(?P<number>\d+)"
#: Looks like a code even when its letters are no channel's: never taken as a typo.
_CODE_LIKE = r"[a-z]{1,4}\W*\d+|\d+\.\d+"
#: A tone number ends a pinyin syllable: one digit after its vowel, n, g or r.
_TONE_NUMBER = r"(?<=[aeiouvngr])[1-5](?![0-9])"
_WORDS = r"[\s,;/]+"


class CodeReading(Record):
    """What a query that reads as a code names: the canonical ``code`` (``GB41``,
    ``88.12``), its ``channel`` id, and whether the number lies within the channel's
    points (``in_range``: from 1 to the channel's ``last``, or from 1 up when it gives
    none)."""

    code: str
    channel: str
    in_range: bool


class Suggestion(Record):
    """A name close to what was typed, and what it names: a point (``target`` is its
    code), a region or a condition (its id)."""

    name: str
    kind: Literal["point", "region", "condition"]
    target: str


class SearchResult(Record):
    """What a query found.

    ``kind`` is ``exact`` (a code, alias, pinyin, hanzi or full English name),
    a plain word (``region``, ``condition``, ``use``), ``partial`` (words found inside
    names), ``fuzzy`` (a typo of exactly one name) or ``none``. ``matched_name`` is the
    name that matched (for a plain word: the region's or condition's id, or the use).
    ``code`` is set when the query reads as a code, found or not. ``suggestions`` are
    offered when nothing matched.
    """

    query: str
    kind: MatchKind
    points: tuple[Point, ...]
    suggestions: tuple[Suggestion, ...] = ()
    matched_name: str = ""
    code: CodeReading | None = None


class IndexEntry(Record):
    """One name a point is found by; ``pinyin`` names lose their tone numbers too."""

    point: Point
    name: str
    pinyin: bool = False


# --- folding ---------------------------------------------------------------------------------


def fold_text(text: str) -> str:
    """Lower case, tone marks removed, ü (and ``u:``) as ``v``; only letters, digits and
    hanzi kept. Digits stay: a tone number is stripped only from pinyin
    (:func:`fold_pinyin`), never from a code."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    decomposed = decomposed.replace("u\u0308", "v").replace("u:", "v")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in bare if ch.isalnum())


def fold_pinyin(text: str) -> str:
    """:func:`fold_text`, and tone numbers removed (``huan2 tiao4`` gives ``huantiao``).
    A tone number is one digit attached to its syllable: ``huantiao 3`` keeps its 3."""
    return "".join(re.sub(_TONE_NUMBER, "", fold_text(word)) for word in re.split(_WORDS, text))


def phrase(text: str) -> str:
    """A plain word or phrase as compared: lower case, tone marks removed, every run of
    other characters one space (``Lower-Back`` gives ``lower back``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[^\W_]+", bare))


# --- codes -----------------------------------------------------------------------------------


def channel_prefixes(dataset: Dataset) -> dict[str, Channel]:
    """Every way a code may begin, folded, to its channel: the id, the old code prefixes
    and the names (``gb``, ``sj``, ``sanjiao``, ``urinarybladder``). The first channel to
    claim a prefix keeps it."""
    prefixes: dict[str, Channel] = {}
    for channel in dataset.channels:
        for name in (channel.id, *channel.old_codes, channel.name, *channel.other_names):
            prefixes.setdefault(fold_text(name), channel)
    return prefixes


def read_code(dataset: Dataset, text: str) -> CodeReading | None:
    """The code ``text`` reads as, or None when it does not read as one.

    Letters then a number read as a code when ``channels.yaml`` knows the letters (an
    id, an old prefix or a channel name: ``SJ14``, ``Lv3``, ``Gallbladder 30``); a
    dotted number (``88.12``, ``Tung 88.12``) is a code of the Tung namespace.
    """
    compact = unicodedata.normalize("NFKC", text).strip().casefold()
    prefixes = channel_prefixes(dataset)
    tung = re.fullmatch(_TUNG, compact)
    if tung is not None:
        channel = next((c for c in dataset.channels if c.namespace == "tung"), None)
        prefix = tung["prefix"]
        if channel is None or (prefix is not None and prefixes.get(prefix) != channel):
            return None
        return CodeReading(f"{int(tung['book'])}.{tung['point']}", channel.id, True)
    match = re.fullmatch(_LETTERS_THEN_NUMBER, compact)
    if match is None:
        return None
    found = prefixes.get(fold_text(match["prefix"]))
    if found is None or found.namespace != "who":
        return None
    digits = _bare_number(match["number"])
    if len(digits) > MAX_NUMBER_DIGITS:
        return CodeReading(f"{found.id}{digits}", found.id, False)
    number = int(digits)
    in_range = number >= 1 and (found.last == 0 or number <= found.last)
    return CodeReading(f"{found.id}{number}", found.id, in_range)


def _bare_number(digits: str) -> str:
    """A number without its leading zeros (``030`` gives ``30``, ``000`` gives ``0``)."""
    return digits.lstrip("0") or "0"


def _by_code(dataset: Dataset, query: str, reading: CodeReading) -> SearchResult:
    """The point a code names, or none with suggestions among the codes."""
    point = dataset.point_by_code(reading.code)
    if point is not None:
        return SearchResult(
            query, "exact", (point,), matched_name=_code_name(point, query), code=reading
        )
    from hipguide.suggest import ranked

    same_channel = {
        fold_text(p.code): p.code
        for p in dataset.points
        if dataset.channel(p.channel).id == reading.channel
    }
    close = ranked(fold_text(reading.code), same_channel, FUZZY_SUGGEST)
    suggestions = tuple(Suggestion(same_channel[k], "point", same_channel[k]) for _, k in close)
    return SearchResult(query, "none", (), suggestions[:MAX_SUGGESTIONS], code=reading)


def _code_name(point: Point, query: str) -> str:
    """The point's code or alias that ``query`` spells; else its code."""
    wanted = normalize_code(query)
    return next((n for n in point.aliases if normalize_code(n) == wanted), point.code)


# --- names -----------------------------------------------------------------------------------


def point_names(point: Point, dataset: Dataset) -> Iterator[tuple[IndexEntry, str]]:
    """Every name ``point`` is found by, with the folded key it is found under.

    Pinyin is found with ü folded to ``v`` and, as people often type it, to ``u``.
    """
    for name in (point.code, *point.aliases):
        yield IndexEntry(point, name), fold_text(name)
    pinyin = IndexEntry(point, point.pinyin, pinyin=True)
    yield pinyin, fold_text(point.pinyin)
    yield pinyin, fold_text(point.pinyin).replace("v", "u")
    for name in (point.hanzi, point.hanzi_traditional, *point.hanzi_variants, point.english):
        yield IndexEntry(point, name), fold_text(name)
    number = _code_number(point)
    if number and point.namespace == "who":
        channel = dataset.channel(point.channel)
        for name in (channel.name, *channel.other_names):
            text = f"{name} {number}"  # "Gallbladder 30", as articles write it
            yield IndexEntry(point, text), fold_text(text)


def _code_number(point: Point) -> str:
    match = re.search(r"\d+(\.\d+)?$", point.code)
    return match.group() if match else ""


def name_index(dataset: Dataset) -> dict[str, tuple[IndexEntry, ...]]:
    """Folded key to the names found under it, in dataset order, each point at most
    once per key (the first of its names that folds to the key)."""
    index: dict[str, list[IndexEntry]] = {}
    for point in dataset.points:
        for entry, key in point_names(point, dataset):
            if not key:
                continue
            entries = index.setdefault(key, [])
            if all(e.point.code != point.code for e in entries):
                entries.append(entry)
    return {key: tuple(entries) for key, entries in index.items()}


def _unique(points: Iterable[Point]) -> tuple[Point, ...]:
    seen: dict[str, Point] = {}
    for point in points:
        seen.setdefault(point.code, point)
    return tuple(seen.values())


def _exact(index: dict[str, tuple[IndexEntry, ...]], text: str) -> list[IndexEntry]:
    """Names equal to ``text``; with tone numbers removed, pinyin only."""
    found = list(index.get(fold_text(text), ()))
    found += [e for e in index.get(fold_pinyin(text), ()) if e.pinyin]
    return found


# --- plain words -----------------------------------------------------------------------------


def plain_words(dataset: Dataset) -> dict[str, tuple[MatchKind, str]]:
    """Every plain word, as a :func:`phrase`, to what it names: ``("condition", id)`` for
    a condition's id, name and aliases, ``("region", id)`` for a region's id, name and
    words. A condition keeps a word that a region also claims."""
    words: dict[str, tuple[MatchKind, str]] = {}
    for condition in dataset.conditions:
        for name in (condition.id, condition.name, *condition.aliases):
            words.setdefault(phrase(name), ("condition", condition.id))
    for region in dataset.regions:
        for name in (region.id, region.name, *region.words):
            words.setdefault(phrase(name), ("region", region.id))
    words.pop("", None)
    return words


def _mentions(indications: Iterable[str], wanted: Iterable[str]) -> bool:
    """Whether one of ``wanted`` (phrases) stands as whole words in an indication."""
    padded = [f" {phrase(text)} " for text in indications]
    return any(f" {word} " in text for word in wanted for text in padded)


def region_points(dataset: Dataset, region_id: str) -> tuple[Point, ...]:
    """The points of a region in a person's sense: those lying in it, then those whose
    uses name it or one of its words (``hip pain (distal point)``), in dataset order."""
    region = dataset.region(region_id)
    names = [phrase(name) for name in (region.name, *region.words)]
    lying = [p for p in dataset.points if p.region == region_id]
    used = [p for p in dataset.points if _mentions(p.indications, names)]
    return _unique([*lying, *used])


def use_points(dataset: Dataset, use: str) -> tuple[Point, ...]:
    """The points whose indications hold ``use`` (a phrase) as whole words."""
    if len(use) < MIN_USE_LENGTH:
        return ()
    return tuple(p for p in dataset.points if _mentions(p.indications, [use]))


def _by_plain_word(dataset: Dataset, query: str, text: str) -> SearchResult | None:
    wanted = phrase(text)
    named = plain_words(dataset).get(wanted)
    if named is not None:
        kind, ident = named
        if kind == "condition":
            points = filter_points(dataset, condition=ident)
        else:
            points = region_points(dataset, ident)
        return SearchResult(query, kind, points, matched_name=ident)
    used = use_points(dataset, wanted)
    if used:
        return SearchResult(query, "use", used, matched_name=wanted)
    return None


# --- partial and fuzzy -----------------------------------------------------------------------


def _partial(dataset: Dataset, text: str) -> tuple[Point, ...]:
    """Every point whose names hold all the query's words. A word that reads as a code
    must be the point's code; a number must be the point's number."""
    words = [w for w in re.split(_WORDS, text) if fold_text(w)]
    codes = [reading.code for w in words if (reading := read_code(dataset, w)) is not None]
    names = [
        w
        for w in words
        if read_code(dataset, w) is None
        and not fold_text(w).isdigit()
        and (len(fold_text(w)) >= 3 or not fold_text(w).isascii())
    ]
    numbers = [_bare_number(fold_text(w)) for w in words if fold_text(w).isdigit()]
    if not names:
        return ()
    found = []
    for point in dataset.points:
        keys = [(entry.pinyin, key) for entry, key in point_names(point, dataset)]
        if (
            all(_holds(keys, word) for word in names)
            and all(dataset.point_by_code(code) == point for code in codes)
            and all(number == _code_number(point) for number in numbers)
        ):
            found.append(point)
    return tuple(found)


def _holds(keys: Sequence[tuple[bool, str]], word: str) -> bool:
    """Whether one of a point's folded names holds ``word`` (without tone numbers: pinyin)."""
    folded, toneless = fold_text(word), fold_pinyin(word)
    return any(folded in key or (pinyin and toneless in key) for pinyin, key in keys)


def _distinct(suggestions: Iterable[Suggestion]) -> tuple[Suggestion, ...]:
    """The first suggestion of each point, region and condition, at most
    :data:`MAX_SUGGESTIONS`."""
    kept: dict[tuple[str, str], Suggestion] = {}
    for suggestion in suggestions:
        kept.setdefault((suggestion.kind, suggestion.target), suggestion)
    return tuple(kept.values())[:MAX_SUGGESTIONS]


def _scored(
    probe: str,
    index: dict[str, tuple[IndexEntry, ...]],
    words: dict[str, tuple[MatchKind, str]],
) -> list[tuple[float, Suggestion]]:
    """Point names and plain words close to ``probe``, with their closeness, the closest
    first (ties in dataset order, point names before plain words)."""
    from hipguide.suggest import ranked

    plain = {fold_text(word): word for word in words}
    scored: list[tuple[float, Suggestion]] = []
    for ratio, key in ranked(probe, [*index, *plain], FUZZY_SUGGEST):
        if key in index:
            scored.extend((ratio, Suggestion(e.name, "point", e.point.code)) for e in index[key])
        else:
            kind, target = words[plain[key]]
            scored.append((ratio, Suggestion(plain[key], kind, target)))  # type: ignore[arg-type]
    return scored


def _fuzzy(dataset: Dataset, query: str, text: str) -> SearchResult:
    """A typo of exactly one point's name, or none with suggestions."""
    index = name_index(dataset)
    words = plain_words(dataset)
    scored = _scored(fold_text(text), index, words)
    toneless = fold_pinyin(text)
    if toneless != fold_text(text):
        pinyin = {k: v for k, v in index.items() if any(e.pinyin for e in v)}
        scored += _scored(toneless, pinyin, {})
        scored.sort(key=lambda item: -item[0])
    if scored:
        best_ratio, best = scored[0]
        rivals = {(s.kind, s.target) for ratio, s in scored if ratio >= best_ratio - FUZZY_TIE}
        numbers = [
            _bare_number(fold_text(w)) for w in re.split(_WORDS, text) if fold_text(w).isdigit()
        ]
        if (
            best.kind == "point"
            and best_ratio >= FUZZY_ACCEPT
            and rivals == {("point", best.target)}
            and re.fullmatch(_CODE_LIKE, text.casefold()) is None
            and all(number == _code_number(dataset.point(best.target)) for number in numbers)
        ):
            point = dataset.point(best.target)
            return SearchResult(query, "fuzzy", (point,), matched_name=best.name)
    return SearchResult(query, "none", (), _distinct(s for _, s in scored))


# --- the lookups -----------------------------------------------------------------------------


def find_point(dataset: Dataset, query: str) -> SearchResult:
    """Resolve ``query`` to one point, the points of a plain word, several candidates,
    or suggestions (see the module's docstring for the order of trust)."""
    text = unicodedata.normalize("NFKC", query).strip()
    if not fold_text(text):
        return SearchResult(query, "none", ())
    reading = read_code(dataset, text)
    by_alias = dataset.point_by_code(text)  # an alias in the data wins, whatever it reads as
    if by_alias is not None:
        name = _code_name(by_alias, text)
        return SearchResult(query, "exact", (by_alias,), matched_name=name, code=reading)
    if reading is not None:
        return _by_code(dataset, query, reading)
    exact = _exact(name_index(dataset), text)
    if exact:
        return SearchResult(
            query, "exact", _unique(e.point for e in exact), matched_name=exact[0].name
        )
    plain = _by_plain_word(dataset, query, text)
    if plain is not None:
        return plain
    partial = _partial(dataset, text)
    if partial:
        return SearchResult(query, "partial", partial)
    return _fuzzy(dataset, query, text)


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
