"""Immutable records for the dataset in ``data/``.

Each YAML file maps onto these records field for field. The loader
(:mod:`hipguide.dataset`) builds them by reading the type hints: a field with no
default is required, a field with a default is optional, and any key not named
here is rejected. ``Literal`` hints list the values a field accepts.

The records behave as ``typing.NamedTuple`` classes (type checkers see them as
such) but are built by :class:`_Record`, which makes a class in a few
microseconds: every ``hipguide`` start creates all of them, and a frozen
dataclass costs about a millisecond each, a ``NamedTuple`` a quarter of that.
"""

from __future__ import annotations

import inspect
from operator import itemgetter
from typing import TYPE_CHECKING, Any, ClassVar, Literal


class _Record(tuple):  # type: ignore[type-arg]
    """A tuple with named fields, declared like a ``NamedTuple`` (annotations, defaults)."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _field_defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = tuple(inspect.get_annotations(cls))
        cls._fields = names
        cls._field_defaults = {name: cls.__dict__[name] for name in names if name in cls.__dict__}
        for index, name in enumerate(names):
            setattr(cls, name, property(itemgetter(index)))

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        fields = cls._fields
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__}() takes {len(fields)} fields, got {len(args)}")
        values = list(args)
        for name in fields[len(args) :]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in cls._field_defaults:
                values.append(cls._field_defaults[name])
            else:
                raise TypeError(f"{cls.__name__}() missing field {name!r}")
        if kwargs:
            raise TypeError(f"{cls.__name__}() has no field {next(iter(kwargs))!r}")
        return tuple.__new__(cls, values)

    def __getnewargs__(self) -> tuple[Any, ...]:
        return tuple(self)

    def __repr__(self) -> str:
        pairs = ", ".join(f"{name}={value!r}" for name, value in self._asdict().items())
        return f"{type(self).__name__}({pairs})"

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))

    def _replace(self, **changes: Any) -> Any:
        return type(self)(**{**self._asdict(), **changes})


if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:
    Record = _Record

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
#: Views of the ASCII body map (``hipguide.ui.bodymap``).
View = Literal["front", "back", "side", "leg-outer", "leg-inner", "foot", "hand", "shoulder"]
#: Vector figures: the stems of ``data/figures/*.svg``.
FigureView = Literal[
    "body-front",
    "body-back",
    "body-left",
    "body-right",
    "leg-outer",
    "leg-inner",
    "foot-top",
    "foot-inner",
    "hand",
    "shoulder",
]
SourceKind = Literal["seed", "standard", "nhs", "nice"]

#: Regions in body order, head to toe, for listings.
REGIONS: tuple[str, ...] = Region.__args__  # type: ignore[attr-defined]


class Source(Record):
    """A cited source: a seed article, a standard, or a health-service page."""

    id: str
    kind: SourceKind
    title: str
    url: str = ""
    file: str = ""
    note: str = ""


class Location(Record):
    """Where a point lies: the anatomical text and the lay person's way to find it."""

    standard: str
    self_find: str


class Technique(Record):
    """How to press a point."""

    pressure: Pressure
    seconds: int
    method: str


class FigurePosition(Record):
    """Where the point lies in a vector figure: its file stem and the mark's position in
    that figure's own coordinates (viewBox units), on the side the figure shows (the
    person's left, except in ``body-right``)."""

    view: FigureView
    x: int
    y: int


class Figure(Record):
    """Where the point is drawn: a view of the ASCII body map and the mark's column/row,
    and (``svg``) its place in the vector figure."""

    view: View
    x: int
    y: int
    svg: FigurePosition | None = None

    def __repr__(self) -> str:
        pairs = ", ".join(
            f"{name}={value!r}"
            for name, value in self._asdict().items()
            if name not in self._field_defaults or value != self._field_defaults[name]
        )
        return f"{type(self).__name__}({pairs})"


class Point(Record):
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


class PointRole(Record):
    """A point and the part it plays in a routine."""

    point: str
    role: Role


class Condition(Record):
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


class Area(Record):
    """A painful area (``routine --area``) and the points that serve it."""

    id: str
    name: str
    description: str
    channels: tuple[str, ...]
    points: tuple[PointRole, ...]
    sources: tuple[str, ...]


class Question(Record):
    """One red-flag or caution question of the check."""

    id: str
    tier: Tier
    text: str
    help: str
    advice: str
    sources: tuple[str, ...]
    effect: CautionEffect | None = None


class Combination(Record):
    """An escalation: when every group has at least one yes (or unsure), the tier rises."""

    id: str
    groups: tuple[tuple[str, ...], ...]
    tier: Tier
    text: str
    advice: str
    sources: tuple[str, ...]


class TierText(Record):
    """How a verdict tier is told to the person."""

    id: Literal["emergency", "urgent", "soon", "self-care"]
    headline: str
    action: str


class Triage(Record):
    """The whole red-flag check."""

    emergency_number: str
    tiers: tuple[TierText, ...]
    questions: tuple[Question, ...]
    combinations: tuple[Combination, ...]
    reminder: str
