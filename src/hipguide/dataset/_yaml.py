"""Reading one YAML file of the dataset into plain data, with its faults as DataError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hipguide.errors import DataError

#: No dataset file is anywhere near this; a bigger one is a mistake, not data.
MAX_FILE_BYTES = 2_000_000
HINT = "Fix the file, or unset HIPGUIDE_DATA to use the shipped dataset."


def read_yaml(path: Path, yaml: Any) -> Any:
    """The plain data (mappings, lists, text, numbers) of the YAML file at ``path``."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(
                f"{path.name}: {size:,} bytes is too large to be a dataset file "
                f"(limit {MAX_FILE_BYTES:,}).",
                HINT,
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path.name}: file missing from {path.parent}.", HINT) from None
    except IsADirectoryError:
        raise DataError(f"{path.name}: is a folder, not a file.", HINT) from None
    except PermissionError:
        raise DataError(f"{path.name}: cannot be read (permission denied).", HINT) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"{path.name}, line {line}: not UTF-8 text.", HINT) from None
    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader  # C loader where present
    try:
        node = yaml.compose(text, Loader=loader)
        document = None if node is None else _NodeReader(yaml, loader).plain(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError(f"{path.name}{where}: YAML syntax error: {problem}.", HINT) from None
    except yaml.reader.ReaderError as exc:  # a control character the YAML spec forbids
        line = text.count("\n", 0, exc.position) + 1
        raise DataError(
            f"{path.name}, line {line}: character {exc.character!r} is not allowed in YAML.",
            HINT,
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"{path.name}: YAML error: {first}.", HINT) from None
    if document is None:
        raise DataError(f"{path.name}: file is empty.", HINT)
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
