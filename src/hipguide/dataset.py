"""Load and validate the YAML dataset in ``data/``.

One entry point, :func:`load_dataset`. Each file is read with PyYAML's safe loader
(the C one where present) and turned into the records of :mod:`hipguide.models`
by reading their type hints. Every fault raises :class:`~hipguide.errors.DataError`
naming the file, the entry, the field and, for YAML syntax errors, the line.

Parsing YAML costs more than a lookup may (PyYAML's constructor is pure Python),
so a dataset that validated is kept in the user's cache folder, keyed by each
file's path, size and modification time and by the hipguide version; any change
to the files, or a cache that cannot be read, means a full load again.
"""

from __future__ import annotations

import contextlib
import os
import re
import types
import typing
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

from hipguide import __version__, config
from hipguide.errors import DataError
from hipguide.models import Area, Condition, Point, Source, Triage

#: The files of a dataset, each with the record type of its entries.
FILES: dict[str, type] = {
    "sources.yaml": Source,
    "points.yaml": Point,
    "conditions.yaml": Condition,
    "areas.yaml": Area,
    "triage.yaml": Triage,
}
#: No dataset file is anywhere near this; a bigger one is a mistake, not data.
MAX_FILE_BYTES = 2_000_000
#: Bump when the cached form changes.
CACHE_FORMAT = 1

_HINT = "Fix the file, or unset HIPGUIDE_DATA to use the shipped dataset."
T = TypeVar("T")


def normalize_code(text: str) -> str:
    """Canonical form of a point code: ``gb-30``, ``GB 30`` and ``GB030`` give ``GB30``."""
    compact = re.sub(r"[\s\-_]+", "", text).upper()
    match = re.fullmatch(r"([A-Z]+)0*(\d+)", compact)
    return f"{match.group(1)}{match.group(2)}" if match else compact


class Dataset:
    """The whole validated dataset, with lookups by code or id."""

    __slots__ = (
        "_areas",
        "_codes",
        "_conditions",
        "_points",
        "_sources",
        "areas",
        "conditions",
        "directory",
        "points",
        "sources",
        "triage",
    )

    def __init__(
        self,
        directory: Path,
        sources: tuple[Source, ...],
        points: tuple[Point, ...],
        conditions: tuple[Condition, ...],
        areas: tuple[Area, ...],
        triage: Triage,
    ) -> None:
        self.directory = directory
        self.sources = sources
        self.points = points
        self.conditions = conditions
        self.areas = areas
        self.triage = triage
        self._points = {p.code: p for p in points}
        self._codes = {normalize_code(n): p for p in points for n in (p.code, *p.aliases)}
        self._conditions = {c.id: c for c in conditions}
        self._areas = {a.id: a for a in areas}
        self._sources = {s.id: s for s in sources}

    def point(self, code: str) -> Point:
        """The point with this WHO (or Tung) code; KeyError if there is none."""
        return self._points[code]

    def point_by_code(self, text: str) -> Point | None:
        """The point whose code or alias is ``text`` in any format (``gb-30``, ``SJ14``)."""
        return self._codes.get(normalize_code(text))

    def condition(self, condition_id: str) -> Condition:
        """The condition with this id; KeyError if there is none."""
        return self._conditions[condition_id]

    def area(self, area_id: str) -> Area:
        """The painful area with this id; KeyError if there is none."""
        return self._areas[area_id]

    def source(self, source_id: str) -> Source:
        """The source with this id; KeyError if there is none."""
        return self._sources[source_id]


def load_dataset(directory: Path | None = None) -> Dataset:
    """Read, validate and cross-check every file of the dataset in ``directory``.

    A dataset that validated before, with its files unchanged since, comes from the
    cache instead.
    """
    folder = directory if directory is not None else config.data_dir()
    if not folder.is_dir():
        raise DataError(f"Dataset folder {folder} does not exist.", _HINT)
    key = _cache_key(folder)
    cached = _read_cache(folder, key) if key else None
    if cached is not None:
        return cached
    dataset = load_dataset_uncached(folder)
    if key:
        _write_cache(folder, key, dataset)
    return dataset


def load_dataset_uncached(folder: Path) -> Dataset:
    """Parse and validate every file of the dataset in ``folder``, ignoring any cache."""
    import yaml

    records: dict[str, Any] = {}
    for name, record_type in FILES.items():
        path = folder / name
        document = _read_yaml(path, yaml)
        if record_type is Triage:
            records[name] = _build(Triage, document, _Where(path.name, "", ""))
        else:
            records[name] = _build_list(path.name, document, record_type)
    dataset = Dataset(
        directory=folder,
        sources=records["sources.yaml"],
        points=records["points.yaml"],
        conditions=records["conditions.yaml"],
        areas=records["areas.yaml"],
        triage=records["triage.yaml"],
    )
    _check_references(dataset)
    return dataset


# --- the cache -----------------------------------------------------------------------------


def _cache_key(folder: Path) -> str:
    parts = [f"hipguide {__version__} format {CACHE_FORMAT}", str(folder.resolve())]
    for name in FILES:
        try:
            info = (folder / name).stat()
        except OSError:
            return ""  # a missing file: the full load reports it
        parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def _cache_file(key: str) -> Path:
    import zlib

    folder_line = key.split("\n", 2)[1]
    return config.cache_dir() / f"dataset-{zlib.crc32(folder_line.encode()):08x}.pickle"


def _read_cache(folder: Path, key: str) -> Dataset | None:
    import pickle

    try:
        with _cache_file(key).open("rb") as handle:
            stored_key, fields = pickle.load(handle)
        if stored_key != key:
            return None
        return Dataset(folder, *fields)
    except Exception:
        return None


def _write_cache(folder: Path, key: str, dataset: Dataset) -> None:
    import pickle

    try:
        target = _cache_file(key)
    except Exception:  # no home folder to keep a cache in
        return
    fields = (dataset.sources, dataset.points, dataset.conditions, dataset.areas, dataset.triage)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump((key, fields), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except Exception:
        # A cache that cannot be written (read-only home, full disk) costs only speed.
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


# --- reading -------------------------------------------------------------------------------


def _read_yaml(path: Path, yaml: Any) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(
                f"{path.name}: {size:,} bytes is too large to be a dataset file "
                f"(limit {MAX_FILE_BYTES:,}).",
                _HINT,
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path.name}: file missing from {path.parent}.", _HINT) from None
    except IsADirectoryError:
        raise DataError(f"{path.name}: is a folder, not a file.", _HINT) from None
    except PermissionError:
        raise DataError(f"{path.name}: cannot be read (permission denied).", _HINT) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"{path.name}, line {line}: not UTF-8 text.", _HINT) from None
    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader  # C loader where present
    try:
        node = yaml.compose(text, Loader=loader)
        document = None if node is None else _NodeReader(yaml, loader).plain(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError(f"{path.name}{where}: YAML syntax error: {problem}.", _HINT) from None
    except yaml.reader.ReaderError as exc:  # a control character the YAML spec forbids
        line = text.count("\n", 0, exc.position) + 1
        raise DataError(
            f"{path.name}, line {line}: character {exc.character!r} is not allowed in YAML.",
            _HINT,
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"{path.name}: YAML error: {first}.", _HINT) from None
    if document is None:
        raise DataError(f"{path.name}: file is empty.", _HINT)
    return document


class _NodeReader:
    """Plain Python data from a composed YAML node tree.

    PyYAML's own constructor is pure Python and costs more than the parsing; the data
    here needs only mappings, lists, text, whole numbers, booleans and null, so those
    are read straight from the nodes, and anything else goes to the safe constructor.
    """

    _STR = "tag:yaml.org,2002:str"
    _INT = "tag:yaml.org,2002:int"
    _BOOL = "tag:yaml.org,2002:bool"
    _NULL = "tag:yaml.org,2002:null"

    def __init__(self, yaml: Any, loader: Any) -> None:
        self._yaml = yaml
        self._mapping = yaml.MappingNode
        self._sequence = yaml.SequenceNode
        self._loader = loader
        self._constructor: Any = None

    def plain(self, node: Any) -> Any:
        kind = node.__class__
        if kind is self._mapping:
            result = {}
            for key_node, value_node in node.value:
                key = self.plain(key_node)
                try:
                    result[key] = self.plain(value_node)
                except TypeError:  # a list or mapping used as a key
                    raise self._yaml.MarkedYAMLError(
                        problem="a key must be plain text", problem_mark=key_node.start_mark
                    ) from None
            return result
        if kind is self._sequence:
            return [self.plain(item) for item in node.value]
        tag, value = node.tag, node.value
        if tag == self._STR:
            return value
        if tag == self._INT and value.isdigit():
            return int(value)
        if tag == self._BOOL:
            return value.lower() in ("true", "yes", "on")
        if tag == self._NULL:
            return None
        return self._construct(node)

    def _construct(self, node: Any) -> Any:
        """Anything unusual (a float, a date, 0x10, a tag) as the safe loader reads it."""
        if self._constructor is None:
            self._constructor = self._loader("")
        return self._constructor.construct_object(node, deep=True)


# --- building records from plain data --------------------------------------------------------


class _Where:
    """Where a value sits (file, entry, field path), spelled out only for an error."""

    __slots__ = ("_parent", "_step", "entry", "file")

    def __init__(self, file: str, entry: str, field: str, parent: _Where | None = None) -> None:
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

    def at(self, name: str) -> _Where:
        return _Where(self.file, self.entry, name, self)

    def item(self, index: int) -> _Where:
        return _Where(self.file, self.entry, f"[{index}]", self)

    def fail(self, problem: str) -> DataError:
        parts = [self.file]
        if self.entry:
            parts.append(f"entry {self.entry}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return DataError(f"{', '.join(parts)}: {problem}.", _HINT)


def _entry_label(index: int, item: Any) -> str:
    if isinstance(item, Mapping):
        key = item.get("code", item.get("id"))
        if isinstance(key, str | int | float):
            return f"{key} (#{index + 1})"
    return f"#{index + 1}"


def _build_list(file: str, document: Any, record_type: type[T]) -> tuple[T, ...]:
    key = file.removesuffix(".yaml")
    where = _Where(file, "", "")
    if not isinstance(document, Mapping) or set(document) != {key}:
        raise where.fail(f"expected one top-level key '{key}:' holding a list")
    items = document[key]
    if not isinstance(items, list) or not items:
        raise where.at(key).fail("expected a non-empty list of entries")
    records = tuple(
        _build(record_type, item, _Where(file, _entry_label(i, item), ""))
        for i, item in enumerate(items)
    )
    id_field = "code" if record_type is Point else "id"
    _check_unique(file, [getattr(r, id_field) for r in records], id_field)
    return records


@cache
def _fields(record_type: Any) -> tuple[tuple[str, Any, bool], ...]:
    hints = typing.get_type_hints(record_type)
    defaults = record_type._field_defaults
    return tuple((name, hints[name], name not in defaults) for name in record_type._fields)


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")


def _build(record_type: type[T], data: Any, where: _Where) -> T:
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
            raise _Problem(f"{value!r} is not one of: {', '.join(map(str, allowed))}")
        return value

    return convert


def _to_tuple(item: Converter) -> typing.Callable[[Any, _Where], tuple[Any, ...]]:
    convert_item, nested = item

    def convert(value: Any, where: _Where) -> tuple[Any, ...]:
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


def _to_record(record_type: Any) -> typing.Callable[[Any, _Where], Any]:
    fields = tuple(
        (name, *_converter(hint), required) for name, hint, required in _fields(record_type)
    )
    known = frozenset(name for name, _, _, _ in fields)

    def convert(data: Any, where: _Where) -> Any:
        if not isinstance(data, Mapping):
            raise where.fail(f"expected a mapping of fields, got {_kind(data)}")
        unknown = [str(key) for key in data if key not in known]
        if unknown:
            raise where.at(unknown[0]).fail(
                f"unknown field (known fields: {', '.join(sorted(known))})"
            )
        values: dict[str, Any] = {}
        for name, convert_field, nested, required in fields:
            if name in data:
                if nested:
                    values[name] = convert_field(data[name], where.at(name))
                    continue
                try:
                    values[name] = convert_field(data[name])
                except _Problem as problem:
                    raise where.at(name).fail(str(problem)) from None
            elif required:
                raise where.at(name).fail("missing required field")
        return record_type(**values)

    return convert


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    names = {bool: "true/false", int: "a number", float: "a number", str: "text"}
    names |= {list: "a list", dict: "a mapping"}
    return f"{names.get(type(value), type(value).__name__)} ({value!r:.40})"


# --- cross-references ----------------------------------------------------------------------


def _check_unique(file: str, keys: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise DataError(f"{file}, entry {key}: duplicate {what} '{key}'.", _HINT)
        seen.add(key)


def _check_references(ds: Dataset) -> None:
    sources = {s.id for s in ds.sources}
    points = {p.code for p in ds.points}

    def need(file: str, entry: str, field_name: str, ref: str, known: set[str], kind: str) -> None:
        if ref not in known:
            raise _Where(file, entry, field_name).fail(f"unknown {kind} '{ref}'")

    claimed: dict[str, str] = {}
    for p in ds.points:
        for ref in p.sources:
            need("points.yaml", p.code, "sources", ref, sources, "source")
        for name in (p.code, *p.aliases):
            key = normalize_code(name)
            owner = claimed.setdefault(key, p.code)
            if owner != p.code:
                raise _Where("points.yaml", p.code, "aliases").fail(
                    f"'{name}' is already the code or an alias of {owner}"
                )
    for c in ds.conditions:
        for ref in c.sources:
            need("conditions.yaml", c.id, "sources", ref, sources, "source")
        for role in c.points:
            need("conditions.yaml", c.id, "points", role.point, points, "point")
    for a in ds.areas:
        for ref in a.sources:
            need("areas.yaml", a.id, "sources", ref, sources, "source")
        for role in a.points:
            need("areas.yaml", a.id, "points", role.point, points, "point")
    questions = {q.id for q in ds.triage.questions}
    _check_unique("triage.yaml", (q.id for q in ds.triage.questions), "question id")
    for q in ds.triage.questions:
        for ref in q.sources:
            need("triage.yaml", q.id, "sources", ref, sources, "source")
        if (q.tier == "caution") != (q.effect is not None):
            raise _Where("triage.yaml", q.id, "effect").fail(
                "a caution question needs an effect, and only a caution question has one"
            )
    for combo in ds.triage.combinations:
        for ref in combo.sources:
            need("triage.yaml", combo.id, "sources", ref, sources, "source")
        for group in combo.groups:
            for ref in group:
                need("triage.yaml", combo.id, "groups", ref, questions, "question")
    tiers = [t.id for t in ds.triage.tiers]
    missing = {"emergency", "urgent", "soon", "self-care"} - set(tiers)
    if missing:
        raise _Where("triage.yaml", "", "tiers").fail(f"missing tier(s) {', '.join(missing)}")
