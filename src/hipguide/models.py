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

#: Read by type checkers only: the records are built without importing :mod:`typing`,
#: which costs more than a cached load of the whole dataset may (DESIGN.md section 5).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, Literal

try:  # the field accessor of collections.namedtuple, without importing collections
    from _collections import _tuplegetter  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - another Python

    def _tuplegetter(index: int, doc: str | None) -> Any:
        from operator import itemgetter

        return property(itemgetter(index), doc=doc)


class _RecordType(type):
    """Makes a record class as ``typing.NamedTuple`` does: no instance dictionary
    (``__slots__ = ()``), and an accessor for each field of the class's own annotations,
    in order (what ``inspect.get_annotations`` gives, without importing inspect: every
    start of hipguide makes these classes), all put in the class's namespace before the
    class is made, which costs less than setting them on it afterwards."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> _RecordType:
        namespace.setdefault("__slots__", ())
        # The fields of a record class (the base's own annotations are no fields).
        record = any(isinstance(base, _RecordType) for base in bases)
        names = tuple(namespace.get("__annotations__", ())) if record else ()
        if names:
            namespace["_fields"] = names
            namespace["_field_defaults"] = {n: namespace[n] for n in names if n in namespace}
            for index, field in enumerate(names):
                namespace[field] = _tuplegetter(index, None)
        return super().__new__(mcs, name, bases, namespace)


class _Record(tuple, metaclass=_RecordType):  # type: ignore[type-arg]
    """A tuple with named fields, declared like a ``NamedTuple`` (annotations, defaults)."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _field_defaults: ClassVar[dict[str, Any]] = {}

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


#: The values each ``Literal`` alias below accepts, kept at run time without
#: :mod:`typing` (a test holds them equal to the aliases). The loader reads the hints
#: with these names resolved by :func:`type_hints`.
CHOICES: dict[str, tuple[str, ...]] = {
    "Pressure": ("light", "moderate", "firm"),
    "Depth": ("superficial", "deep"),
    "Pregnancy": ("avoid", "caution", "ok"),
    "Namespace": ("who", "tung"),
    "SourceKind": ("seed", "standard", "nhs", "nice", "guideline", "trial", "measure"),
    "Sides": ("painful", "both", "opposite"),
}

if TYPE_CHECKING:
    from typing import NamedTuple as Record

    Pressure = Literal["light", "moderate", "firm"]
    Depth = Literal["superficial", "deep"]
    Pregnancy = Literal["avoid", "caution", "ok"]
    Namespace = Literal["who", "tung"]
    SourceKind = Literal["seed", "standard", "nhs", "nice", "guideline", "trial", "measure"]
    #: Which sides a role presses: the painful one(s), both, or the opposite one(s).
    Sides = Literal["painful", "both", "opposite"]
else:
    Record = _Record

    def __getattr__(name: str) -> Any:
        """The ``Literal`` aliases, made when first asked for (``models.Pressure``)."""
        if name in CHOICES:
            from typing import Literal

            alias = Literal[CHOICES[name]]
            globals()[name] = alias
            return alias
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_HINTS: dict[type, dict[str, Any]] = {}


def type_hints(record_type: type) -> dict[str, Any]:
    """The type hints of a record's own fields, evaluated once per class (imports
    :mod:`typing`: only the validating load and the cache writer need them)."""
    hints = _HINTS.get(record_type)
    if hints is None:
        import typing

        names: dict[str, Any] = {"Literal": typing.Literal}
        names.update((name, typing.Literal[choices]) for name, choices in CHOICES.items())
        # As typing.get_type_hints evaluates them, but only the class's own: the base's
        # ClassVar annotations would need typing's names, and are no fields.
        own = record_type.__dict__.get("__annotations__", {})  # noqa: RUF063
        hints = {name: eval(text, globals(), names) for name, text in own.items()}
        _HINTS[record_type] = hints
    return dict(hints)


#: Question kinds that are not verdict tiers: a caution changes the routine, a modifier
#: changes how other answers count.
CAUTION = "caution"
MODIFIER = "modifier"


class Source(Record):
    """A cited source: a seed article, a standard, or a health-service page."""

    id: str
    kind: SourceKind
    title: str
    url: str = ""
    file: str = ""
    note: str = ""
    publisher: str = ""


class Location(Record):
    """Where a point lies: the anatomical text, the lay person's way to find it, and a
    one-line reminder of it (``short``) for the routine's step screen."""

    standard: str
    self_find: str
    short: str = ""


class Technique(Record):
    """How to press a point."""

    pressure: Pressure
    seconds: int
    method: str


class Method(Record):
    """Another way to find and press a point: for someone who cannot lie on the side or
    front, a seated or standing one (a ball against a wall, say)."""

    find: str
    method: str


class Reach(Record):
    """What pressing a point asks of the body: lying on the side or front for its usual
    method (``lying``), bringing the foot up within reach (``foot``), and a seated or
    standing way to do it instead (``instead``), where one exists."""

    lying: bool = False
    foot: bool = False
    instead: Method | None = None


class Figure(Record):
    """Where the point is drawn: a figure of the dataset's ``figures`` folder (its file
    stem, e.g. ``body-back``) and the mark's position in that figure's own coordinates
    (viewBox units), on the side the figure shows (the person's left, except in a figure
    of the right side such as ``body-right``). The loader checks that the figure exists
    and that the position lies inside it."""

    view: str
    x: int
    y: int


class Point(Record):
    """One acupressure point."""

    code: str
    namespace: Namespace
    aliases: tuple[str, ...]
    pinyin: str
    hanzi: str
    english: str
    channel: str
    region: str
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
    hanzi_variants: tuple[str, ...] = ()
    chosen_by: str = ""
    reach: Reach | None = None


class PointRole(Record):
    """A point and the part it plays in a routine (a ``routine.yaml`` role id)."""

    point: str
    role: str


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
    plain: str = ""


class Question(Record):
    """One question of the check: a red flag (``tier`` is a verdict tier) or a caution.

    ``unsure`` overrides the tier that "not sure" gives (the tier's own ``unsure``).
    A caution's ``effect`` is a ``routine.yaml`` effect id.
    """

    id: str
    tier: str
    text: str
    help: str
    advice: str
    sources: tuple[str, ...]
    effect: str | None = None
    unsure: str | None = None
    background: bool = False
    after: str = ""


class Combination(Record):
    """An escalation: when every group has at least one yes (or unsure), the tier rises."""

    id: str
    groups: tuple[tuple[str, ...], ...]
    tier: str
    text: str
    advice: str
    sources: tuple[str, ...]


class Tier(Record):
    """A verdict tier: its rank, exit code, how it is told, and what it means for a
    routine (``go``; ``confirm``: only after the person agrees; ``refuse``)."""

    id: str
    rank: int
    exit_code: int
    label: str
    headline: str
    action: str
    heading: str = ""
    unsure: str | None = None
    unsure_advice: str = ""
    routine: Literal["go", "confirm", "refuse"] = "go"
    cap: Pressure | None = None
    cap_reason: str = ""


class PressingSafely(Record):
    """What pressing too hard can do, and the signs that mean stop."""

    side_effects: str
    stop_signs: str
    sources: tuple[str, ...]


class Triage(Record):
    """The whole red-flag check."""

    emergency_number: str
    tiers: tuple[Tier, ...]
    questions: tuple[Question, ...]
    combinations: tuple[Combination, ...]
    reminder: str
    pressing_safely: PressingSafely | None = None


class Region(Record):
    """A body region where points lie; ``words`` are the other plain words a person may
    use for it (``hipguide points knee``)."""

    id: str
    name: str
    words: tuple[str, ...] = ()


class Channel(Record):
    """A channel (meridian): its code prefix, names and older code prefixes."""

    id: str
    name: str
    other_names: tuple[str, ...] = ()
    old_codes: tuple[str, ...] = ()
    last: int = 0
    namespace: Namespace = "who"


class Role(Record):
    """The part a point plays in a routine, the sides it is pressed on, and how a short
    time budget treats it: roles with a higher ``keep`` are dropped last, and a role
    with ``at_least_one`` keeps one point whenever the budget allows."""

    id: str
    sides: Sides
    label: str
    keep: int = 0
    at_least_one: bool = False


class LeaveOut(Record):
    """A rule of an effect that leaves points out: those matching every listed field."""

    reason: str
    pregnancy: tuple[Pregnancy, ...] = ()
    depth: tuple[Depth, ...] = ()


class PointFilter(Record):
    """Which points a cap applies to: those matching every listed field (none: all)."""

    pregnancy: tuple[Pregnancy, ...] = ()
    depth: tuple[Depth, ...] = ()


class Cap(Record):
    """At most this pressure, for the points ``where`` names (None: every point)."""

    max: Pressure
    where: PointFilter | None = None


class Effect(Record):
    """What a caution does to a routine."""

    id: str
    label: str
    leave_out: tuple[LeaveOut, ...] = ()
    caps: tuple[Cap, ...] = ()
    skin: bool = False


class Course(Record):
    """How often to press, and for how long, after the trials of self-acupressure."""

    next_session: str
    sources: tuple[str, ...]


class Flare(Record):
    """The lighter routine for a flare-up: every press at most ``pressure``, and
    ``seconds_percent`` of its usual length but never under ``min_seconds`` (nor longer
    than usual); what helps meanwhile, and when to check again."""

    label: str
    pressure: Pressure
    seconds_percent: int
    min_seconds: int
    meanwhile: str
    check_again: str
    sources: tuple[str, ...]


class PegItem(Record):
    """One item of the PEG: its id, the question, and what 0 and 10 mean."""

    id: str
    text: str
    low: str
    high: str


class Peg(Record):
    """The PEG scale: three 0-10 items about the past week."""

    intro: str
    items: tuple[PegItem, ...]
    sources: tuple[str, ...]


class PgicChoice(Record):
    """One answer of the Patient Global Impression of Change (1 to 7)."""

    value: int
    label: str


class Pgic(Record):
    """The Patient Global Impression of Change: one question, seven answers."""

    question: str
    choices: tuple[PgicChoice, ...]
    sources: tuple[str, ...]


class Checkin(Record):
    """The weekly check-in's measures, and the sources behind the size of change the
    progress rule looks for."""

    peg: Peg
    pgic: Pgic
    change_sources: tuple[str, ...]
    citation: str


class Rules(Record):
    """``routine.yaml``: pressure levels, roles, caution effects, the course advice, the
    flare-up plan and the check-in's measures."""

    pressures: tuple[Pressure, ...]
    roles: tuple[Role, ...]
    effects: tuple[Effect, ...]
    course: Course
    flare: Flare
    checkin: Checkin
