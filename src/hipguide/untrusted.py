"""Reading files that come from outside: answer files and datasets (DESIGN.md section 6).

Everything here assumes the file was written by someone who wants hipguide to hang,
eat memory or say the wrong thing, and turns each of those attempts into one line
naming the file and what to do:

- :func:`read_limited` reads a regular file only (a named pipe, a device such as
  ``/dev/zero``, a socket or a folder is refused at once, without blocking) and only
  up to a size limit, checked before reading and again while reading.
- :func:`load_yaml_untrusted` parses YAML event by event into plain data, so that
  nesting, aliases and the work done stay bounded, and refuses duplicate keys.
- :func:`load_json_untrusted` does the same for JSON.
- :func:`read_answers` puts them together for ``--answers FILE``.

A value the parsers can build but that is not plain data (a date, binary data, a set,
a tagged value, a number too large) comes back as an :class:`UnsupportedValue`, so
that the caller, who knows which field wanted what, can say "wrong type". Error
messages quote at most :data:`QUOTE_LIMIT` characters of any value, with control
and format characters escaped.
"""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path
from typing import Any, Literal

from hipguide.errors import HipguideError, UsageError
from hipguide.records import dataclass, field

#: The most characters of an offending value an error message shows.
QUOTE_LIMIT = 80
#: How deeply lists and mappings may nest inside one another.
MAX_DEPTH = 32
#: Whole numbers with more digits than this are not numbers any field wants.
MAX_INT_DIGITS = 18
#: In a dataset, aliases may add at most this many values in all.
ALIAS_NODE_LIMIT = 10_000
#: The size limit of an answers file.
ANSWERS_LIMIT = 64 * 1024

ANSWERS_HINT = (
    "An answers file maps question ids to yes, no or unsure, one per line, such as "
    "'injury: no' (see 'hipguide check --questions')."
)

ErrorClass = type[HipguideError]

_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
_READ_CHUNK = 64 * 1024


# --- showing values in messages ------------------------------------------------------------


def escape(text: str) -> str:
    """``text`` with every control, format or other unprintable character as an escape
    (``\\x1b``, ``\\u202e``), so that it stays on one line and cannot act on a terminal."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``value`` for an error message: text in single quotes, escaped, and cut to at most
    ``limit`` characters of the value (``...`` marks a cut)."""
    if isinstance(value, str):
        return f"'{clip(value, limit)}'"
    if isinstance(value, UnsupportedValue):
        return value.describe(limit)
    return _cut(escape(_short_repr(value, limit)), limit)


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` escaped (see :func:`escape`) and cut to at most ``limit`` characters,
    ``...`` marking a cut: a name from outside, fit to stand in a message."""
    return _cut(escape(text), limit)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: max(limit - 3, 0)] + "..."


#: The kinds of character (Unicode general categories) that text from outside may not
#: hold: controls (C0, DEL and C1: escape sequences start with one), format characters
#: (bidi controls U+202A-U+202E and U+2066-U+2069, zero-width characters U+200B-U+200D,
#: the byte-order mark U+FEFF, the soft hyphen), lone surrogates, and the line and
#: paragraph separators.
UNSAFE_CATEGORIES = {
    "Cc": "control character",
    "Cf": "format character",
    "Cs": "lone surrogate",
    "Zl": "line separator",
    "Zp": "paragraph separator",
}


def unsafe_character(text: str) -> str | None:
    """The first character of ``text`` in :data:`UNSAFE_CATEGORIES`, or None."""
    if text.isprintable():  # false for every one of those kinds: the usual case is quick
        return None
    import unicodedata

    for character in text:
        if unicodedata.category(character) in UNSAFE_CATEGORIES:
            return character
    return None


def describe_character(character: str) -> str:
    """``the control character U+001B``: what kind of character it is, and its code point."""
    import unicodedata

    kind = UNSAFE_CATEGORIES.get(unicodedata.category(character), "character")
    return f"the {kind} U+{ord(character):04X}"


def _short_repr(value: object, limit: int) -> str:
    import reprlib

    shortener = reprlib.Repr()
    shortener.maxlevel = 2
    shortener.maxstring = shortener.maxother = shortener.maxlong = limit
    shortener.maxlist = shortener.maxdict = shortener.maxtuple = shortener.maxset = 6
    try:
        return shortener.repr(value)
    except ValueError:  # an int too long to turn into text
        return "a number too large"


def describe(value: object) -> str:
    """What kind of value this is, for a "wrong type" message: ``a list``, ``a number (5)``."""
    if value is None:
        return "nothing"
    if isinstance(value, UnsupportedValue):
        return value.describe()
    if isinstance(value, bool):
        return f"true/false ({'true' if value else 'false'})"
    if isinstance(value, (int, float)):
        return f"a number ({quote(value)})"
    if isinstance(value, str):
        return f"text ({quote(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} ({quote(value)})"


@dataclass(frozen=True)
class UnsupportedValue:
    """A value the file spells but hipguide does not take: ``kind`` says what it is
    (``a date``, ``binary data``, ``a number too large``), ``text`` is how it was written."""

    kind: str
    text: str
    line: int | None = field(default=None, compare=False)

    def describe(self, limit: int = QUOTE_LIMIT) -> str:
        """``a date ('2024-01-01')``: the kind and at most ``limit`` characters of the text."""
        return f"{self.kind} ({quote(self.text, limit)})" if self.text else self.kind

    def __repr__(self) -> str:
        return self.describe()


# --- reading bytes -------------------------------------------------------------------------


def read_limited(
    path: Path | str,
    *,
    limit: int,
    what: str,
    error: ErrorClass = UsageError,
    hint: str = "",
) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    The file is opened without blocking and checked before anything is read: a named
    pipe, a device, a socket or a folder is refused at once, and so is a file over
    ``limit`` bytes; one that grows past it while being read is refused too. Every
    problem raises ``error`` (a :class:`UsageError` unless told otherwise) whose
    message starts with ``what`` and the path, e.g. ``"Answers file /tmp/a.yaml"``;
    ``hint``, when given, replaces the built-in next step.
    """
    label = f"{what} {escape(str(path))}"

    def fail(problem: str, next_step: str) -> HipguideError:
        return error(f"{label} {problem}.", hint or next_step)

    try:
        descriptor = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_NOCTTY | _O_BINARY)
    except FileNotFoundError:
        raise fail("not found", "Check the path and try again.") from None
    except IsADirectoryError:
        raise fail("is a folder, not a file", "Give the path of a file.") from None
    except PermissionError:
        if os.path.isdir(path):  # Windows refuses to open a folder this way
            raise fail("is a folder, not a file", "Give the path of a file.") from None
        raise fail("cannot be read (permission denied)", "Check its permissions.") from None
    except OSError as exc:
        raise fail(f"cannot be opened ({exc.strerror or exc})", "Check the path.") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise fail(
                f"is {_file_kind(info.st_mode)}, not a regular file",
                "Save the content to a file and give that file's path.",
            )
        if info.st_size > limit:
            raise fail(
                f"is {info.st_size:,} bytes, more than the limit of {limit:,}",
                "Check that this is the right file.",
            )
        data = _read_at_most(descriptor, limit + 1)
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror or exc})", "Check the file.") from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise fail(
            f"grew past the limit of {limit:,} bytes while being read",
            "Give a file that is not being written to.",
        )
    return data


def _read_at_most(descriptor: int, count: int) -> bytes:
    chunks: list[bytes] = []
    remaining = count
    while remaining > 0:
        chunk = os.read(descriptor, min(remaining, _READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def decode_text(data: bytes, *, name: str, error: ErrorClass = UsageError, hint: str = "") -> str:
    """``data`` as UTF-8 text (a leading byte-order mark dropped); other bytes are an
    ``error`` naming ``name`` and the line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(
            f"{name}, line {line}: not UTF-8 text.", hint or "Save the file as UTF-8."
        ) from None
    return text.removeprefix("\ufeff")


# --- YAML ----------------------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _BOOL, _NULL, _FLOAT = (f"{_TAG}{n}" for n in ("str", "int", "bool", "null", "float"))
_DEFAULT_COLLECTIONS = frozenset({None, "!", f"{_TAG}map", f"{_TAG}seq"})
_SCALAR_KINDS = {
    f"{_TAG}timestamp": "a date and time",
    f"{_TAG}binary": "binary data",
    f"{_TAG}merge": "a merge key",
    f"{_TAG}value": "a value key",
    f"{_TAG}yaml": "a YAML marker",
}
_COLLECTION_KINDS = {
    f"{_TAG}set": "a set",
    f"{_TAG}omap": "an ordered mapping",
    f"{_TAG}pairs": "a list of pairs",
}
_BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


class _Frame:
    """A list or mapping being built from the events between its start and its end."""

    __slots__ = ("anchor", "container", "has_key", "key", "key_line", "kind", "line", "size")

    def __init__(self, container: Any, anchor: str | None, kind: str | None, line: int) -> None:
        self.container = container
        self.anchor = anchor
        self.kind = kind  # what to report instead, for a set or another tagged collection
        self.line = line
        self.size = 1  # values inside it, itself included, aliases counted expanded
        self.has_key = False
        self.key: Any = None
        self.key_line = 0


class _YamlReader:
    """Plain data from the parser's events, with every limit checked as it goes."""

    def __init__(
        self,
        yaml: Any,
        *,
        name: str,
        aliases: Literal["refuse"] | int,
        floats: bool,
        max_depth: int,
        alias_nodes: int,
        error: ErrorClass,
        hint: str,
    ) -> None:
        self._yaml = yaml
        self._name = name
        self._aliases = aliases
        self._floats = floats
        self._max_depth = max_depth
        self._alias_nodes = alias_nodes
        self._error = error
        self._hint = hint
        self._resolvers: dict[Any, list[tuple[str, Any]]] = (
            yaml.resolver.Resolver.yaml_implicit_resolvers
        )
        self._anchors: dict[str, tuple[Any, int]] = {}
        self._alias_uses = 0
        self._expanded = 0

    def fail(self, line: int, problem: str) -> HipguideError:
        return self._error(f"{self._name}, line {line + 1}: {problem}.", self._hint)

    def read(self, parser: Any) -> Any:
        yaml = self._yaml
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        document_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
        stack: list[_Frame] = []
        result: list[Any] = []
        documents = 0
        while True:
            event = parser.get_event()
            kind = event.__class__
            if kind is scalar_event:
                value = self._scalar(event)
                if event.anchor is not None:
                    self._anchors[event.anchor] = (value, 1)
                self._add(stack, result, value, 1, event.start_mark.line)
            elif kind is mapping_start or kind is sequence_start:
                line = event.start_mark.line
                if len(stack) >= self._max_depth:
                    raise self.fail(line, f"nested more than {self._max_depth} levels deep")
                tag = event.tag
                collection_kind = None
                if tag not in _DEFAULT_COLLECTIONS:
                    collection_kind = _COLLECTION_KINDS.get(tag, f"a value tagged {tag}")
                container: Any = {} if kind is mapping_start else []
                stack.append(_Frame(container, event.anchor, collection_kind, line))
            elif kind is mapping_end or kind is sequence_end:
                frame = stack.pop()
                value = frame.container
                if frame.kind is not None:
                    value = UnsupportedValue(frame.kind, "", frame.line + 1)
                if frame.anchor is not None:
                    self._anchors[frame.anchor] = (value, frame.size)
                self._add(stack, result, value, frame.size, frame.line)
            elif kind is alias_event:
                value, size = self._alias(event)
                self._add(stack, result, value, size, event.start_mark.line)
            elif kind is document_start:
                documents += 1
                if documents > 1:
                    raise self.fail(event.start_mark.line, "holds more than one YAML document")
            elif kind is stream_end:
                return result[0] if result else None

    def _add(
        self, stack: list[_Frame], result: list[Any], value: Any, size: int, line: int
    ) -> None:
        if not stack:
            result.append(value)
            return
        frame = stack[-1]
        frame.size += size
        container = frame.container
        if container.__class__ is list:
            container.append(value)
        elif not frame.has_key:
            if isinstance(value, (list, dict)):
                raise self.fail(line, "a key must be plain text, not a list or a mapping")
            if isinstance(value, UnsupportedValue) and value.kind == "a merge key":
                raise self.fail(line, "merge keys ('<<') are not supported; write the keys out")
            frame.key, frame.key_line, frame.has_key = value, line, True
        else:
            key = frame.key
            if key in container:
                raise self.fail(
                    frame.key_line,
                    f"duplicate key {quote(key)} (each key may appear only once)",
                )
            container[key] = value
            frame.has_key = False

    def _alias(self, event: Any) -> tuple[Any, int]:
        line = event.start_mark.line
        if self._aliases == "refuse":
            raise self.fail(
                line, f"uses the YAML alias *{escape(str(event.anchor))}; aliases are not allowed"
            )
        self._alias_uses += 1
        if self._alias_uses > self._aliases:
            raise self.fail(line, f"uses more than {self._aliases} YAML aliases")
        found = self._anchors.get(event.anchor)
        if found is None:
            raise self.fail(
                line, f"the alias *{escape(str(event.anchor))} names no anchor defined before it"
            )
        value, size = found
        self._expanded += size
        if self._expanded > self._alias_nodes:
            raise self.fail(line, f"YAML aliases expand to more than {self._alias_nodes:,} values")
        return value, size

    def _scalar(self, event: Any) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return value  # quoted: always text
            tag = self._resolve(value)
        if tag == _STR:
            return value
        line = event.start_mark.line
        if tag == _INT:
            number = _yaml_int(value)
            if number is None:
                raise self.fail(line, f"{quote(value)} is tagged !!int but is not a whole number")
            if isinstance(number, UnsupportedValue):
                return UnsupportedValue(number.kind, value, line + 1)
            return number
        if tag == _BOOL:
            flag = _BOOLS.get(value.lower())
            if flag is None:
                raise self.fail(line, f"{quote(value)} is tagged !!bool but is not true or false")
            return flag
        if tag == _NULL:
            return None
        if tag == _FLOAT:
            if not self._floats:
                return UnsupportedValue("a decimal number", value, line + 1)
            decimal = _yaml_float(value)
            if decimal is None:
                raise self.fail(line, f"{quote(value)} is tagged !!float but is not a number")
            return decimal
        kind = _SCALAR_KINDS.get(tag, f"a value tagged {tag}")
        if tag == f"{_TAG}timestamp" and _DATE_ONLY.fullmatch(value):
            kind = "a date"
        return UnsupportedValue(kind, value, line + 1)

    def _resolve(self, value: str) -> str:
        """The tag YAML 1.1 gives a plain scalar, as PyYAML's resolver decides it."""
        for tag, pattern in self._resolvers.get(value[:1], ()):
            if pattern.match(value):
                return tag
        return _STR


def _yaml_int(text: str) -> int | UnsupportedValue | None:
    """A YAML 1.1 integer (``12``, ``0x1F``, ``017``, ``0b11``, ``1:30``) as PyYAML reads it;
    one of more than :data:`MAX_INT_DIGITS` digits comes back unsupported; not a number, None."""
    clean = text.replace("_", "")
    sign = -1 if clean[:1] == "-" else 1
    if clean[:1] in ("-", "+"):
        clean = clean[1:]
    if len(clean) > 3 * MAX_INT_DIGITS:
        return UnsupportedValue("a number too large", text)
    try:
        if clean.startswith("0b"):
            number = int(clean[2:], 2)
        elif clean.startswith("0x"):
            number = int(clean[2:], 16)
        elif ":" in clean:
            number = 0
            for part in clean.split(":"):
                number = number * 60 + int(part)
        elif len(clean) > 1 and clean[0] == "0":
            number = int(clean, 8)
        else:
            number = int(clean)
    except ValueError:
        return None
    if number >= 10**MAX_INT_DIGITS:
        return UnsupportedValue("a number too large", text)
    return sign * number


def _yaml_float(text: str) -> float | None:
    """A YAML 1.1 float (``1.5``, ``.inf``, ``1:30.5``) as PyYAML reads it; else None."""
    clean = text.replace("_", "").lower()
    sign = -1.0 if clean[:1] == "-" else 1.0
    if clean[:1] in ("-", "+"):
        clean = clean[1:]
    try:
        if clean == ".inf":
            return sign * math.inf
        if clean == ".nan":
            return math.nan
        if ":" in clean:
            number = 0.0
            for part in clean.split(":"):
                number = number * 60 + float(part)
            return sign * number
        return sign * float(clean)
    except ValueError:
        return None


def load_yaml_untrusted(
    text: str,
    *,
    name: str,
    aliases: Literal["refuse"] | int = "refuse",
    floats: bool = False,
    max_depth: int = MAX_DEPTH,
    alias_nodes: int = ALIAS_NODE_LIMIT,
    error: ErrorClass = UsageError,
    hint: str = "",
) -> Any:
    """Plain data from one YAML document: dicts, lists, str, int, bool and None (and
    float when ``floats``); ``None`` for an empty document.

    Read with PyYAML's safe parser (the C one where present) event by event, so no
    limit depends on Python's recursion limit: lists and mappings nest at most
    ``max_depth`` deep; ``aliases="refuse"`` refuses every alias, a number allows that
    many uses adding at most ``alias_nodes`` values in all; a key given twice in one
    mapping is an error naming the key and its line. A whole number over
    :data:`MAX_INT_DIGITS` digits, a date, binary data, a set and any other tagged value
    comes back as an :class:`UnsupportedValue`. An alias gives the very object its
    anchor gave, as PyYAML does. Each problem raises ``error``, its message starting
    with ``name`` (the file) and the line.
    """
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    reader = _YamlReader(
        yaml,
        name=name,
        aliases=aliases,
        floats=floats,
        max_depth=max_depth,
        alias_nodes=alias_nodes,
        error=error,
        hint=hint,
    )
    try:
        parser = loader_class(text)
    except yaml.YAMLError as exc:  # the pure-Python reader checks characters at once
        raise _yaml_error(exc, text, name, error, hint, max_depth) from None
    try:
        return reader.read(parser)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, name, error, hint, max_depth) from None
    finally:
        parser.dispose()


def _yaml_error(
    exc: Any, text: str, name: str, error: ErrorClass, hint: str, max_depth: int
) -> HipguideError:
    import yaml

    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in problem:  # libyaml's own limit, far above ours
            return error(f"{name}{where}: nested more than {max_depth} levels deep.", hint)
        return error(
            f"{name}{where}: not valid YAML: {escape(problem)}.",
            hint or "Check the file's syntax.",
        )
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        character = exc.character
        shown = f"{character:#04x}" if isinstance(character, int) else quote(character)
        return error(
            f"{name}, line {line}: the character {shown} is not allowed in YAML.",
            hint or "Remove it or write it as an escape in a double-quoted string.",
        )
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return error(f"{name}: not valid YAML: {escape(first)}.", hint or "Check the file's syntax.")


# --- JSON ----------------------------------------------------------------------------------

#: A JSON string, or a bracket outside one: enough to measure nesting before parsing.
_JSON_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def load_json_untrusted(
    text: str,
    *,
    name: str,
    floats: bool = False,
    max_depth: int = MAX_DEPTH,
    error: ErrorClass = UsageError,
    hint: str = "",
) -> Any:
    """Plain data from a JSON document, with the limits of :func:`load_yaml_untrusted`:
    nesting at most ``max_depth`` deep (measured before parsing), a key given twice in
    one object is an error, a number over :data:`MAX_INT_DIGITS` digits (and a decimal
    number unless ``floats``) comes back as an :class:`UnsupportedValue`, and ``NaN`` or
    ``Infinity`` is an error. Each problem raises ``error`` naming ``name``."""
    import json

    next_step = hint or "Check the file's syntax."

    def fail(problem: str, next_step: str = hint) -> HipguideError:
        return error(f"{name}{problem}.", next_step)

    depth = 0
    for match in _JSON_NESTING.finditer(text):
        token = match.group()
        if token == "[" or token == "{":
            depth += 1
            if depth > max_depth:
                line = text.count("\n", 0, match.start()) + 1
                raise fail(f", line {line}: nested more than {max_depth} levels deep")
        elif token == "]" or token == "}":
            depth -= 1

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise fail(f": duplicate key {quote(key)} (each key may appear only once)")
            result[key] = value
        return result

    def integer(digits: str) -> int | UnsupportedValue:
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            return UnsupportedValue("a number too large", digits)
        return int(digits)

    def decimal(digits: str) -> float | UnsupportedValue:
        return float(digits) if floats else UnsupportedValue("a decimal number", digits)

    def constant(word: str) -> Any:
        raise fail(f": {word} is not a number JSON allows")

    try:
        return json.loads(
            text,
            object_pairs_hook=pairs,
            parse_int=integer,
            parse_float=decimal,
            parse_constant=constant,
        )
    except json.JSONDecodeError as exc:
        raise fail(f", line {exc.lineno}: not valid JSON: {escape(exc.msg)}", next_step) from None
    except RecursionError:  # pragma: no cover - the nesting is measured first
        raise fail(f": nested more than {max_depth} levels deep") from None


# --- answers files -------------------------------------------------------------------------


def read_answers(path: Path, limit: int = ANSWERS_LIMIT) -> dict[str, str | bool]:
    """The raw map of an ``--answers`` file: question id to text or true/false.

    At most ``limit`` bytes of a regular file; JSON when the name ends in ``.json``,
    else YAML without aliases; duplicate keys, deep nesting and any value that is not
    text or true/false are errors naming the file and the key. An empty YAML file is
    an empty map. Whether the ids and answers mean anything is for the triage to say.
    Raises :class:`UsageError` (exit 2).
    """
    data = read_limited(path, limit=limit, what="Answers file", hint="")
    name = f"Answers file {escape(str(path))}"
    text = decode_text(data, name=name, hint=ANSWERS_HINT)
    if path.suffix.lower() == ".json":
        raw = load_json_untrusted(text, name=name, hint=ANSWERS_HINT)
    else:
        raw = load_yaml_untrusted(text, name=name, aliases="refuse", hint=ANSWERS_HINT)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise UsageError(
            f"{name} must map question ids to answers, not hold {describe(raw)}.", ANSWERS_HINT
        )
    answers: dict[str, str | bool] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            raise UsageError(f"{name}: the key {quote(key)} is not a question id.", ANSWERS_HINT)
        if not isinstance(value, (str, bool)):
            raise UsageError(
                f"{name}: the answer to {quote(key)} must be yes, no or unsure, "
                f"not {describe(value)}.",
                ANSWERS_HINT,
            )
        answers[key] = value
    return answers
