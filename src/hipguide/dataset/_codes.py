"""The canonical spelling of a point code.

Written out by hand rather than as a regular expression: every load of the dataset
spells each code and alias this way, and importing :mod:`re` costs more than a cached
load may (a test holds it equal to the pattern ``[\\s\\-_]+`` removed, then
``([A-Z]+)0*(\\d+)``).
"""

from __future__ import annotations


def normalize_code(text: str) -> str:
    """Canonical form of a point code: ``gb-30``, ``GB 30`` and ``GB030`` give ``GB30``."""
    compact = "".join(text.split()).replace("-", "").replace("_", "").upper()
    letters = len(compact) - len(compact.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    digits = compact[letters:]
    if not letters or not digits.isdecimal():
        return compact
    return f"{compact[:letters]}{digits.lstrip('0') or '0'}"
