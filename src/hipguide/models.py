"""Immutable records for the dataset in ``data/``.

Each YAML file maps onto these records field for field. The loader
(:mod:`hipguide.dataset`) builds them by reading the type hints: a field with no
default is required, a field with a default is optional, and any key not named
here is rejected. ``Literal`` hints list the values a field accepts.

They are ``NamedTuple`` classes rather than dataclasses: creating a frozen
dataclass costs about a millisecond at import, and every ``hipguide`` start pays
for all of them; a ``NamedTuple`` costs a fraction of that.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Pressure = Literal["light", "moderate", "firm"]
Depth = Literal["superficial", "deep"]
Pregnancy = Literal["avoid", "caution", "ok"]
Role = Literal["local", "distal", "mirror"]
Namespace = Literal["who", "tung"]
Tier = Literal["emergency", "urgent", "soon", "caution"]
CautionEffect = Literal["no_pregnancy_avoid", "light_no_deep", "skip_area"]
Region = Literal[
    "lower-back",
    "buttock",
    "hip",
    "groin",
    "thigh",
    "knee",
    "lower-leg",
    "ankle-foot",
    "shoulder",
    "armpit",
    "hand",
]
View = Literal["front", "back", "side", "leg-outer", "leg-inner", "foot", "hand", "shoulder"]
SourceKind = Literal["seed", "standard", "nhs", "nice"]

#: Regions in body order, head to toe, for listings.
REGIONS: tuple[str, ...] = Region.__args__  # type: ignore[attr-defined]


class Source(NamedTuple):
    """A cited source: a seed article, a standard, or a health-service page."""

    id: str
    kind: SourceKind
    title: str
    url: str = ""
    file: str = ""
    note: str = ""


class Location(NamedTuple):
    """Where a point lies: the anatomical text and the lay person's way to find it."""

    standard: str
    self_find: str


class Technique(NamedTuple):
    """How to press a point."""

    pressure: Pressure
    seconds: int
    method: str


class Figure(NamedTuple):
    """Where the point is drawn: a view of the body map and the mark's column/row."""

    view: View
    x: int
    y: int


class Point(NamedTuple):
    """One acupressure point."""

    code: str
    namespace: Namespace
    aliases: tuple[str, ...]
    pinyin: str
    hanzi: str
    english: str
    channel: str
    region: Region
    location: Location
    technique: Technique
    depth: Depth
    cautions: tuple[str, ...]
    pregnancy: Pregnancy
    indications: tuple[str, ...]
    figure: Figure
    sources: tuple[str, ...]
    hanzi_traditional: str = ""
    bilateral: bool = True


class PointRole(NamedTuple):
    """A point and the part it plays in a routine."""

    point: str
    role: Role


class Condition(NamedTuple):
    """A cause of hip pain that the seeds name."""

    id: str
    name: str
    summary: str
    signs: tuple[str, ...]
    points: tuple[PointRole, ...]
    self_care: tuple[str, ...]
    can_help: str
    limits: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()


class Area(NamedTuple):
    """A painful area (``routine --area``) and the points that serve it."""

    id: str
    name: str
    description: str
    channels: tuple[str, ...]
    points: tuple[PointRole, ...]
    sources: tuple[str, ...]


class Question(NamedTuple):
    """One red-flag or caution question of the check."""

    id: str
    tier: Tier
    text: str
    help: str
    advice: str
    sources: tuple[str, ...]
    effect: CautionEffect | None = None


class Combination(NamedTuple):
    """An escalation: when every group has at least one yes (or unsure), the tier rises."""

    id: str
    groups: tuple[tuple[str, ...], ...]
    tier: Tier
    text: str
    advice: str
    sources: tuple[str, ...]


class TierText(NamedTuple):
    """How a verdict tier is told to the person."""

    id: Literal["emergency", "urgent", "soon", "self-care"]
    headline: str
    action: str


class Triage(NamedTuple):
    """The whole red-flag check."""

    emergency_number: str
    tiers: tuple[TierText, ...]
    questions: tuple[Question, ...]
    combinations: tuple[Combination, ...]
    reminder: str
