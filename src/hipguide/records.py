"""Data classes without the cost of making them: ``dataclass``, ``field``, ``replace`` and
``asdict`` as the standard library's :mod:`dataclasses` spells them, for the records
hipguide's logic and flows pass around.

The standard decorator writes and compiles the source of each class's methods
(``__init__``, ``__eq__``, ``__hash__``, the frozen ``__setattr__``...): about a
millisecond per class, and a run of ``check`` makes some thirty of them before it asks
anything. Here the methods are shared ones that read the class's field list, so making
a class costs microseconds. Type checkers see the standard library's functions (the
names are re-exported from :mod:`dataclasses` for them), so every record is checked as
a data class.

What is kept: fields from the class's annotations in order (a base record's first),
defaults and ``field(default=..., default_factory=..., compare=...)``, keyword and positional
arguments, ``frozen=True`` (assigning raises :class:`FrozenInstanceError`), equality
and, for frozen records, hashing by class and field values, a ``repr`` naming the
fields, and :func:`replace` and :func:`asdict`. What is not: ordering, ``__post_init__``,
``InitVar``, slots and keyword-only fields; hipguide's records use none of them.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import FrozenInstanceError, asdict, dataclass, field, replace
else:

    class FrozenInstanceError(AttributeError):
        """Raised on assigning to a field of a frozen record."""

    _MISSING = object()

    class _Field:
        """A field's default, or the callable that makes one for each record."""

        __slots__ = ("compare", "default", "default_factory")

        def __init__(self, default: object, default_factory: object, compare: bool) -> None:
            self.default = default
            self.default_factory = default_factory
            self.compare = compare

    def field(*, default=_MISSING, default_factory=_MISSING, compare=True):
        """A field with a default value, or with a callable that makes a fresh one;
        ``compare=False`` leaves it out of equality and hashing."""
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot specify both default and default_factory")
        return _Field(default, default_factory, compare)

    def _init(self, *args, **kwargs):
        cls = type(self)
        names = cls.__record_fields__
        if len(args) > len(names):
            raise TypeError(
                f"{cls.__name__}() takes {len(names)} arguments but {len(args)} were given"
            )
        put = object.__setattr__
        for name, value in zip(names, args, strict=False):
            put(self, name, value)
        defaults = cls.__record_defaults__
        for name in names[len(args) :]:
            if name in kwargs:
                put(self, name, kwargs.pop(name))
                continue
            default = defaults.get(name, _MISSING)
            if default is _MISSING:
                raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
            if type(default) is _Field:
                default = default.default_factory()
            put(self, name, default)
        if kwargs:
            name = next(iter(kwargs))
            if name in names:
                raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
            raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {name!r}")

    def _values(self):
        return tuple(getattr(self, name) for name in type(self).__record_compared__)

    def _eq(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self) == _values(other)

    def _hash(self):
        return hash((type(self).__qualname__, *_values(self)))

    def _repr(self):
        pairs = ", ".join(
            f"{name}={getattr(self, name)!r}" for name in type(self).__record_fields__
        )
        return f"{type(self).__qualname__}({pairs})"

    def _frozen_setattr(self, name, value):
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def _frozen_delattr(self, name):
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _make(cls, frozen):
        names = []
        defaults = {}
        uncompared = set()
        for base in reversed(cls.__mro__[1:]):
            for name in getattr(base, "__record_fields__", ()):
                if name not in names:
                    names.append(name)
            defaults.update(getattr(base, "__record_defaults__", {}))
            uncompared.update(getattr(base, "__record_uncompared__", ()))
        own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 (inspect costs more)
        for name, hint in own.items():
            if isinstance(hint, str) and hint.startswith(("ClassVar", "typing.ClassVar")):
                continue
            if name not in names:
                names.append(name)
            value = cls.__dict__.get(name, _MISSING)
            if type(value) is _Field:
                if not value.compare:
                    uncompared.add(name)
                if value.default_factory is not _MISSING:
                    defaults[name] = value
                    delattr(cls, name)
                elif value.default is not _MISSING:
                    defaults[name] = value.default
                    setattr(cls, name, value.default)
                else:
                    delattr(cls, name)
            elif value is not _MISSING:
                defaults[name] = value
        seen_default = False
        for name in names:
            if name in defaults:
                seen_default = True
            elif seen_default:
                raise TypeError(f"non-default argument {name!r} follows default argument")
        cls.__record_fields__ = tuple(names)
        cls.__record_defaults__ = defaults
        cls.__record_uncompared__ = frozenset(uncompared)
        cls.__record_compared__ = tuple(name for name in names if name not in uncompared)
        cls.__match_args__ = tuple(names)
        cls.__init__ = _init
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = _repr
        if "__eq__" not in cls.__dict__:
            cls.__eq__ = _eq
        if frozen:
            cls.__setattr__ = _frozen_setattr
            cls.__delattr__ = _frozen_delattr
            if "__hash__" not in cls.__dict__ or cls.__dict__["__hash__"] is None:
                cls.__hash__ = _hash
        elif "__hash__" not in cls.__dict__:
            cls.__hash__ = None
        return cls

    def dataclass(cls=None, /, *, frozen=False):
        """Make ``cls`` a record: ``@dataclass`` or ``@dataclass(frozen=True)``."""
        if cls is None:
            return lambda cls: _make(cls, frozen)
        return _make(cls, frozen)

    def replace(record, /, **changes):
        """A copy of ``record`` with the given fields changed."""
        names = type(record).__record_fields__
        for name in changes:
            if name not in names:
                raise TypeError(f"{type(record).__name__} has no field {name!r}")
        values = {name: getattr(record, name) for name in names}
        values.update(changes)
        return type(record)(**values)

    def _plain(value):
        if hasattr(type(value), "__record_fields__"):
            return {name: _plain(getattr(value, name)) for name in type(value).__record_fields__}
        if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
            return type(value)(*(_plain(item) for item in value))
        if isinstance(value, (list, tuple)):
            return type(value)(_plain(item) for item in value)
        if isinstance(value, dict):
            return {_plain(key): _plain(item) for key, item in value.items()}
        return value

    def asdict(record):
        """The record as a dict, records inside it too, all the way down (as
        :func:`dataclasses.asdict` gives it)."""
        if not hasattr(type(record), "__record_fields__"):
            raise TypeError("asdict() should be called on record instances")
        return _plain(record)


__all__ = ["FrozenInstanceError", "asdict", "dataclass", "field", "replace"]
