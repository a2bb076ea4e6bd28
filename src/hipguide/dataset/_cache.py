"""The validated dataset, kept between runs as plain data in the user's cache folder.

Parsing YAML costs more than a lookup may, so a dataset that validated is written
here and read back on the next run. The file holds data, never code: marshal of plain
values (text, numbers, true/false, nothing, tuples; never pickle), every value checked
by :func:`_plain` before use, read only when it is a regular file of the user's own in
a folder of the user's own, and only after its key (the hipguide version, the record
layout made from every record's annotations, the dataset folder and each file's size
and modification time) matches and its checksum agrees. A damaged, foreign or stale
cache is ignored and written again; a cache that cannot be written costs only speed
(:mod:`hipguide.cachefile` reads and writes the file).

Records are stored by class, a field that holds records holding their row numbers
(see :func:`_encode`), so that reading them back needs no type hints.

Reading a cache imports nothing beyond what Python has loaded at start (no typing, no
pathlib): folders are text here, and the loader wraps them in a Path for its callers.
"""

from __future__ import annotations

import marshal
import os

from hipguide import __version__, config

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection
    from pathlib import PurePath
    from typing import Any

#: Bump when the stored form changes in a way the layout fingerprint does not show.
CACHE_FORMAT = 5
#: A cache file larger than this is not ours.
MAX_CACHE_BYTES = 8_000_000


def cache_key(folder: str | PurePath, files: tuple[str, ...], layout: str) -> str:
    """The key a cache must match: version, layout and the state of every file.

    "" when a file cannot be read (the full load then reports it).
    """
    folder = os.path.realpath(folder)
    parts = [f"hipguide {__version__} cache {CACHE_FORMAT} layout {layout}", folder]
    for name in files:
        try:
            info = os.stat(os.path.join(folder, name))
        except OSError:
            return ""
        parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


def cache_file(key: str) -> str:
    """The cache file for a dataset folder (one file per folder)."""
    from hipguide.cachefile import checksum

    folder_part = key.split("|", 2)[1]
    name = f"dataset-{checksum(folder_part.encode('utf-8', 'surrogateescape')):08x}.cache"
    return os.path.join(config.cache_folder(), name)


def read(key: str, records: dict[str, type]) -> dict[str, Any] | None:
    """The stored fields for ``key``, rebuilt into records; None if there is no usable cache.

    ``records`` maps record class names to the classes the layout may name.
    """
    from hipguide import cachefile

    try:
        body = cachefile.read(cache_file(key), key, MAX_CACHE_BYTES)
        if body is None:
            return None
        return _rebuild(marshal.loads(body), records)
    except Exception:  # any fault at all means: parse the YAML instead
        return None


def write(key: str, fields: dict[str, Any], layout: dict[str, Any]) -> None:
    """Store ``fields`` (top-level name to record or tuple of records) under ``key``."""
    store(key, marshal.dumps(_encode(fields, layout)))


def store(key: str, body: bytes) -> None:
    """Store a body already in the stored form (marshal of :func:`_encode`'s) under ``key``."""
    from hipguide import cachefile

    try:
        target = cache_file(key)
    except Exception:  # no home to keep a cache in
        return
    cachefile.write(target, key, body)


def layout_of(records: dict[str, type], top: dict[str, Any]) -> dict[str, Any]:
    """The layout for the cache: for each record class, how each field is rebuilt.

    A field is ``"v"`` (plain value; lists become tuples), ``"r:Name"`` (a record),
    ``"o:Name"`` (a record or null) or ``"t:Name"`` (a tuple of records). ``top`` maps
    each top-level name to its type hint.
    """
    import typing

    from hipguide.models import type_hints

    def kind(hint: Any) -> str:
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if isinstance(hint, type) and hint.__name__ in records:
            return f"r:{hint.__name__}"
        if origin is tuple and args and isinstance(args[0], type) and args[0].__name__ in records:
            return f"t:{args[0].__name__}"
        named = [a for a in args if isinstance(a, type) and a.__name__ in records]
        if named and type(None) in args:
            return f"o:{named[0].__name__}"
        return "v"

    classes = {}
    for name, cls in records.items():
        hints = type_hints(cls)
        classes[name] = [kind(hints[field]) for field in cls._fields]  # type: ignore[attr-defined]
    return {"records": classes, "top": {name: kind(hint) for name, hint in top.items()}}


# The stored form is by record class, in an order in which every class comes after the
# classes its fields refer to: for each class, its name, its number of fields, which
# fields refer to records (field number, "r" a record, "o" a record or null, "t" a
# tuple of records, and the class referred to) and the rows of all its records, one
# tuple of field values each, a reference being the row number of the record in its
# own class's rows. Reading it back is then a few C-level maps per class rather than a
# Python call per value: on a slow machine, a few hundred Python calls cost as much as
# the whole cached load may.


def _encode(fields: dict[str, Any], layout: dict[str, Any]) -> dict[str, Any]:
    """The stored form of ``fields`` (see above) for a :func:`layout_of` layout."""
    kinds: dict[str, list[str]] = layout["records"]
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in kinds}
    texts: dict[str, str] = {}  # one object for equal texts: marshal stores it once

    def plain(value: Any) -> Any:
        if isinstance(value, tuple):  # records become plain tuples, all the way down
            return tuple(map(plain, value))
        return texts.setdefault(value, value) if type(value) is str else value

    def value_of(kind: str, value: Any) -> Any:
        if kind == "v":
            return plain(value)
        mode, _, name = kind.partition(":")
        if mode == "o" and value is None:
            return None
        if mode == "t":
            return tuple(row_of(name, item) for item in value)
        return row_of(name, value)

    def row_of(name: str, record: Any) -> int:
        row = tuple(map(value_of, kinds[name], record))
        rows[name].append(row)
        return len(rows[name]) - 1

    top = tuple(
        (name, *kind.split(":"), value_of(kind, fields[name]))
        for name, kind in layout["top"].items()
    )
    order: list[str] = []

    def visit(name: str, seen: set[str]) -> None:
        if name in order or name in seen:
            return
        seen.add(name)
        for kind in kinds[name]:
            if kind != "v":
                visit(kind.partition(":")[2], seen)
        order.append(name)

    for name in kinds:
        visit(name, set())
    classes = tuple(
        (
            name,
            len(kinds[name]),
            tuple((i, *kind.split(":")) for i, kind in enumerate(kinds[name]) if kind != "v"),
            tuple(rows[name]),
        )
        for name in order
    )
    return {"classes": classes, "top": top}


def _rebuild(document: dict[str, Any], records: dict[str, type]) -> dict[str, Any]:
    """The top-level fields of a stored form, every record rebuilt; ValueError (or any
    other exception) for a form that is not one :func:`_encode` writes.

    Every field value of every record is checked: a plain value (:func:`_plain`), or a
    row number that :func:`_resolve` makes into the record it numbers."""
    classes, top = document["classes"], document["top"]
    built: dict[str, list[Any]] = {}
    for name, count, refers, rows in classes:
        cls = records[name]
        if count != len(cls._fields) or {*map(type, rows), *map(len, rows)} - {tuple, count}:  # type: ignore[attr-defined]
            raise ValueError(f"{name} records of the wrong shape")
        if rows:
            columns: list[Any] = list(zip(*rows, strict=True))
            referring = {index for index, _, _ in refers}
            for index, column in enumerate(columns):
                if index not in referring:
                    _plain(column)
            for index, mode, target in refers:
                columns[index] = _resolve(mode, columns[index], built[target])
            if refers:
                rows = tuple(zip(*columns, strict=True))
        built[name] = list(map(tuple.__new__, [cls] * len(rows), rows))
    return {name: _resolve(mode, (value,), built[target])[0] for name, mode, target, value in top}


def _resolve(mode: str, column: tuple[Any, ...], target: list[Any]) -> list[Any]:
    """The values of one field for every row, row numbers made into the records of
    ``target`` that they number: ``mode`` "r" a record, "o" a record or null, "t" a
    tuple of records."""
    get = target.__getitem__
    if mode == "r":
        _numbers(column, len(target))
        return list(map(get, column))
    if mode == "o":
        _numbers([number for number in column if number is not None], len(target))
        return [None if number is None else get(number) for number in column]
    if mode == "t":
        if set(map(type, column)) - {tuple}:
            raise ValueError("expected row numbers")
        _numbers([number for numbers in column for number in numbers], len(target))
        return [tuple(map(get, numbers)) for numbers in column]
    raise ValueError(f"unknown field kind {mode!r}")


def _numbers(numbers: Collection[Any], rows: int) -> None:
    """ValueError unless ``numbers`` are row numbers among ``rows`` rows."""
    if numbers and (set(map(type, numbers)) != {int} or min(numbers) < 0 or max(numbers) >= rows):
        raise ValueError("expected row numbers")


#: What a stored value may be: text, a number, true/false, nothing, or a tuple of those.
_PLAIN = frozenset({tuple, str, int, bool, float, type(None)})


def _plain(values: Collection[Any]) -> None:
    """ValueError unless every one of ``values`` is a plain value as stored: text, a
    number, true/false, nothing, or a tuple of those; anything else marshal could have
    built (a code object, bytes, a set, a list) is not what the dataset holds, and the
    cache is not used. Checked a level at a time, by C-level maps: one field of every
    record of a class at once (and nothing imported: not even itertools)."""
    level: Any = values
    while level:
        kinds = set(map(type, level))
        if not kinds <= _PLAIN:
            raise ValueError("not a plain value")
        if tuple not in kinds:
            return
        if kinds != {tuple}:
            level = [value for value in level if type(value) is tuple]
        items: list[Any] = []
        any(map(items.extend, level))  # every tuple's items, in one C-level pass
        level = items
