"""The validated dataset, kept between runs as plain data in the user's cache folder.

Parsing YAML costs more than a lookup may, so a dataset that validated is written
here and read back on the next run. The file holds data, never code: JSON, read only
when it is a regular file of the user's own in a folder of the user's own, and only
after its first line (the key: the hipguide version, the record layout, the dataset
folder and each file's size and modification time) matches and its checksum agrees.
A damaged, foreign or stale cache is ignored and written again; a cache that cannot
be written costs only speed (:mod:`hipguide.cachefile` reads and writes the file).

Each record is stored as the list of its field values; the file also carries the
layout (which fields hold records) so that reading it back needs no type hints.

Reading a cache imports nothing beyond what Python has loaded at start (no typing, no
pathlib): folders are text here, and the loader wraps them in a Path for its callers.
"""

from __future__ import annotations

import marshal
import os

from hipguide import __version__, config

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import PurePath
    from typing import Any

    Builder = Callable[[Any], Any]

#: Bump when the stored form changes in a way the layout fingerprint does not show.
CACHE_FORMAT = 3
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
    from hipguide import cachefile

    try:
        target = cache_file(key)
    except Exception:  # no home to keep a cache in
        return
    body = marshal.dumps(
        {"layout": layout, "fields": {name: _plain(value) for name, value in fields.items()}}
    )
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


def _rebuild(document: dict[str, Any], records: dict[str, type]) -> dict[str, Any]:
    layout = document["layout"]
    builders: dict[str, Builder] = {}

    def convert(kind: str) -> Builder:
        if kind == "v":
            return _freeze
        mode, _, name = kind.partition(":")
        if name not in records:
            raise ValueError(f"unknown record {name!r}")
        if mode == "r":
            return lambda value: builders[name](value)
        if mode == "o":
            return lambda value: None if value is None else builders[name](value)
        if mode == "t":
            return lambda value: tuple(map(builders[name], value))
        raise ValueError(f"unknown field kind {kind!r}")

    for name, kinds in layout["records"].items():
        cls = records[name]
        if len(kinds) != len(cls._fields):  # type: ignore[attr-defined]
            raise ValueError(f"layout of {name} does not match")
        converters = tuple(map(convert, kinds))
        builders[name] = _builder(cls, converters)
    return {name: convert(kind)(document["fields"][name]) for name, kind in layout["top"].items()}


def _builder(cls: type, converters: tuple[Builder, ...]) -> Builder:
    make = tuple.__new__
    count = len(converters)

    def build(values: tuple[Any, ...]) -> Any:
        if type(values) is not tuple or len(values) != count:
            raise ValueError(f"a {cls.__name__} record of the wrong shape")
        return make(cls, [conv(value) for conv, value in zip(converters, values, strict=True)])

    return build


_SCALARS = frozenset({str, int, bool, float, type(None)})


def _freeze(value: Any) -> Any:
    """A plain value as stored: text, a number, true/false, nothing, or a tuple of
    those; anything else marshal could have built (a code object, bytes, a set) is not
    what the dataset holds, and the cache is not used."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple:
        for item in value:
            _freeze(item)
        return value
    raise ValueError(f"not a plain value: {kind.__name__}")


def _plain(value: Any) -> Any:
    """Records become plain tuples, all the way down (marshal stores only exact types)."""
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    return value
