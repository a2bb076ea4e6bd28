"""Reading one YAML file of the dataset into plain data, with its faults as DataError.

A dataset named by ``HIPGUIDE_DATA`` comes from outside, so its files are read as
untrusted input (:mod:`hipguide.untrusted`): only a regular file, at most
:data:`MAX_FILE_BYTES` of it (checked before parsing), UTF-8, a single YAML document
read event by event with bounded nesting, a bounded number of aliases and no key
given twice in one mapping. A value YAML can spell but the dataset never needs (a
date, a decimal number, a number too large, a tagged value) comes back as an
:class:`~hipguide.untrusted.UnsupportedValue` for the validator to call a wrong type.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hipguide.errors import DataError

#: No dataset file is anywhere near this (DESIGN.md section 6); a bigger one is a
#: mistake, not data, and is refused before it is parsed.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: YAML aliases a dataset file may use (the shipped one uses none); they may add at
#: most :data:`hipguide.untrusted.ALIAS_NODE_LIMIT` values in all.
MAX_ALIASES = 100
HINT = "Fix the file, or unset HIPGUIDE_DATA to use the shipped dataset."


def read_yaml(path: Path, yaml: Any = None) -> Any:
    """The plain data (mappings, lists, text, whole numbers, true/false, null) of the
    YAML file at ``path``. ``yaml`` is accepted for callers that already hold the module;
    the untrusted reader imports its own."""
    from hipguide.untrusted import decode_text, load_yaml_untrusted, read_limited

    raw = read_limited(path, limit=MAX_FILE_BYTES, what="Dataset file", error=DataError, hint=HINT)
    text = decode_text(raw, name=path.name, error=DataError, hint=HINT)
    document = load_yaml_untrusted(
        text, name=path.name, aliases=MAX_ALIASES, error=DataError, hint=HINT
    )
    if document is None:
        raise DataError(f"{path.name}: file is empty.", HINT)
    return document
