"""Records from plain data: each value checked against the record's type hints.

A hand-written validator rather than a schema library: it imports in a fraction of a
millisecond (a library would cost more than a lookup may), and its messages name the
file, the entry and the field, which is what a person fixing a dataset needs.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Literal, TypeVar

from hipguide.dataset._yaml import HINT
from hipguide.errors import DataError
from hipguide.models import Channel, Point, Technique, type_hints
from hipguide.untrusted import clip, describe, describe_character, quote, unsafe_character

T = TypeVar("T")


class Where:
    """Where a value sits (file, entry, field path), spelled out only for an error."""

    __slots__ = ("_parent", "_step", "entry", "file")

    def __init__(self, file: str, entry: str, field: str, parent: Where | None = None) -> None:
        self.file, self.entry = file, entry
        self._parent, self._step = parent, field

    @property
    def field(self) -> str:
        if self._parent is None:
            return self._step
        base = self._parent.field
        if self._step.startswith("["):
            return f"{base}{self._step}"
        return f"{base}.{self._step}" if base else self._step

    def at(self, name: str) -> Where:
        return Where(self.file, self.entry, name, self)

    def item(self, index: int) -> Where:
        return Where(self.file, self.entry, f"[{index}]", self)

    def fail(self, problem: str) -> DataError:
        parts = [self.file]
        if self.entry:
            parts.append(f"entry {clip(self.entry, 60)}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return DataError(f"{', '.join(parts)}: {problem}.", HINT)


def _entry_label(index: int, item: Any) -> str:
    if isinstance(item, Mapping):
        key = item.get("code", item.get("id"))
        if isinstance(key, str) or (isinstance(key, int) and not isinstance(key, bool)):
            return f"{clip(str(key), 40)} (#{index + 1})"
    return f"#{index + 1}"


def build_list(file: str, document: Any, record_type: type[T]) -> tuple[T, ...]:
    """The records of a file holding one top-level key (its name) with a list of entries."""
    key = file.removesuffix(".yaml")
    where = Where(file, "", "")
    if not isinstance(document, Mapping) or set(document) != {key}:
        raise where.fail(f"expected one top-level key '{key}:' holding a list")
    items = document[key]
    if not isinstance(items, list) or not items:
        raise where.at(key).fail("expected a non-empty list of entries")
    records = tuple(
        build(record_type, item, Where(file, _entry_label(i, item), ""))
        for i, item in enumerate(items)
    )
    id_field = "code" if record_type is Point else "id"
    check_unique(file, [getattr(r, id_field) for r in records], id_field)
    return records


@cache
def _fields(record_type: Any) -> tuple[tuple[str, Any, bool], ...]:
    hints = type_hints(record_type)
    defaults = record_type._field_defaults
    return tuple((name, hints[name], name not in defaults) for name in record_type._fields)


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")


def build(record_type: type[T], data: Any, where: Where) -> T:
    """One record of ``record_type`` from ``data``; DataError naming ``where`` if it
    does not fit."""
    convert, _ = _converter(typing.cast(Any, record_type))
    return typing.cast(T, convert(data, where))


class _Problem(Exception):
    """A value that does not fit; the container that holds it names the place."""


#: (convert, takes_where): scalars are checked without a place, which is spelled out
#: only when one fails; containers pass each child its place.
Converter = tuple[typing.Callable[..., Any], bool]


@cache
def _converter(hint: Any) -> Converter:
    """The function that checks and converts a plain value for ``hint``, made once."""
    origin = typing.get_origin(hint)
    if hint is str:
        return _to_text, False
    if hint is bool:
        return _to_bool, False
    if hint is int:
        return _to_int, False
    if origin is Literal:
        return _to_choice(typing.get_args(hint)), False
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        inner, nested = _converter(options[0])
        if nested:
            return (lambda value, where: None if value is None else inner(value, where)), True
        return (lambda value: None if value is None else inner(value)), False
    if origin is tuple:
        return _to_tuple(_converter(typing.get_args(hint)[0])), True
    if _is_record(hint):
        return _to_record(hint), True
    raise TypeError(f"cannot check values of type {hint!r}")  # pragma: no cover


def _to_text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Problem(f"expected text, got {_kind(value)}")
    text = value.strip()
    if not text:
        raise _Problem("must not be empty")
    # An escape sequence could retitle or clear the terminal, a bidi control reorder the
    # verdict. Only spaces and line breaks at the ends go unremarked (YAML joins folded
    # text and ends it with one); a line break inside a text is refused too.
    character = unsafe_character(value.strip(" \n"))
    if character is not None:
        raise _Problem(
            f"holds {describe_character(character)}; texts may not hold control or "
            "format characters"
        )
    return text


def _to_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Problem(f"expected true or false, got {_kind(value)}")
    return value


def _to_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Problem(f"expected a whole number, got {_kind(value)}")
    if value < 0:
        raise _Problem("must not be negative")
    return value


def _to_choice(allowed: tuple[Any, ...]) -> typing.Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value not in allowed:
            raise _Problem(f"{quote(value)} is not one of: {', '.join(map(str, allowed))}")
        return value

    return convert


def _to_tuple(item: Converter) -> typing.Callable[[Any, Where], tuple[Any, ...]]:
    convert_item, nested = item

    def convert(value: Any, where: Where) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise where.fail(f"expected a list, got {_kind(value)}")
        if nested:
            return tuple(convert_item(entry, where.item(i)) for i, entry in enumerate(value))
        try:
            return tuple(map(convert_item, value))
        except _Problem as problem:
            index = next(i for i, entry in enumerate(value) if _fails(convert_item, entry))
            raise where.item(index).fail(str(problem)) from None

    return convert


def _fails(convert: typing.Callable[[Any], Any], value: Any) -> bool:
    try:
        convert(value)
    except _Problem:
        return True
    return False


def _to_record(record_type: Any) -> typing.Callable[[Any, Where], Any]:
    fields = tuple(
        (name, *_converter(hint), required) for name, hint, required in _fields(record_type)
    )
    known = frozenset(name for name, _, _, _ in fields)
    rules = {
        name: FIELD_RULES[record_type, name] for name in known if (record_type, name) in FIELD_RULES
    }

    def convert(data: Any, where: Where) -> Any:
        if not isinstance(data, Mapping):
            raise where.fail(f"expected a mapping of fields, got {_kind(data)}")
        unknown = [key for key in data if key not in known]
        if unknown:
            raise where.at(clip(str(unknown[0]), 40)).fail(
                f"unknown field (known fields: {', '.join(sorted(known))})"
            )
        values: dict[str, Any] = {}
        for name, convert_field, nested, required in fields:
            if name in data:
                if nested:
                    values[name] = convert_field(data[name], where.at(name))
                else:
                    try:
                        values[name] = convert_field(data[name])
                    except _Problem as problem:
                        raise where.at(name).fail(str(problem)) from None
                if name in rules:
                    _apply_rule(rules[name], values[name], where.at(name))
            elif required:
                raise where.at(name).fail("missing required field")
        return record_type(**values)

    return convert


def _kind(value: Any) -> str:
    """What a value is, quoting at most 80 characters of it: ``a number (5)``, ``a list``,
    ``a date ('2024-01-01')``."""
    return describe(value)


def _ascii(value: str) -> str:
    if not value.isascii():
        character = next(c for c in value if not c.isascii())
        raise _Problem(
            f"{quote(value)} holds U+{ord(character):04X}; codes are plain ASCII "
            "(letters, digits, dots and dashes)"
        )
    return value


#: The longest press a point's technique may ask for (as ``routine --press-seconds``).
MAX_PRESS_SECONDS = 600


def _press_seconds(value: int) -> int:
    if not 1 <= value <= MAX_PRESS_SECONDS:
        raise _Problem(f"must be from 1 to {MAX_PRESS_SECONDS} seconds, not {value}")
    return value


#: What some fields ask beyond their type: (record, field) to a check of its value (of
#: each item, for a tuple).
FIELD_RULES: dict[tuple[Any, str], typing.Callable[[Any], Any]] = {
    (Point, "code"): _ascii,
    (Point, "aliases"): _ascii,
    (Channel, "id"): _ascii,
    (Channel, "old_codes"): _ascii,
    (Technique, "seconds"): _press_seconds,
}


def _apply_rule(rule: typing.Callable[[Any], Any], value: Any, where: Where) -> None:
    """Check ``value`` (each item of a tuple) with a field's own rule."""
    if not isinstance(value, tuple):
        try:
            rule(value)
        except _Problem as problem:
            raise where.fail(str(problem)) from None
        return
    for index, item in enumerate(value):
        try:
            rule(item)
        except _Problem as problem:
            raise where.item(index).fail(str(problem)) from None


def check_unique(file: str, keys: Iterable[str], what: str) -> None:
    """DataError for the first key that repeats."""
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise DataError(f"{file}, entry {clip(key, 40)}: duplicate {what} {quote(key)}.", HINT)
        seen.add(key)
