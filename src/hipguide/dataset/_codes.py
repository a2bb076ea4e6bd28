"""The canonical spelling of a point code."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-_]+")
_CODE = re.compile(r"([A-Z]+)0*(\d+)")


def normalize_code(text: str) -> str:
    """Canonical form of a point code: ``gb-30``, ``GB 30`` and ``GB030`` give ``GB30``."""
    compact = _SEPARATORS.sub("", text).upper()
    match = _CODE.fullmatch(compact)
    return f"{match.group(1)}{match.group(2)}" if match else compact
