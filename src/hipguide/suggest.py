"""The one "did you mean" helper: close spellings among known names. Pure, no I/O.

Used for option values, question ids, command names and point lookups alike, so a
typo meets the same tolerance everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Names at least this similar (difflib's ratio, 0 to 1) are offered.
CUTOFF = 0.6


def ranked(word: str, names: Iterable[str], cutoff: float = CUTOFF) -> list[tuple[float, str]]:
    """Every name at least ``cutoff`` similar to ``word``, most similar first, with its score.

    Ties keep the order of ``names``.
    """
    from difflib import SequenceMatcher

    matcher = SequenceMatcher()
    matcher.set_seq2(word)
    scored: list[tuple[float, int, str]] = []
    for index, name in enumerate(dict.fromkeys(names)):
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff:
            scored.append((ratio, index, name))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(ratio, name) for ratio, _, name in scored]


def close_matches(word: str, names: Iterable[str], n: int = 3, cutoff: float = CUTOFF) -> list[str]:
    """Up to ``n`` names close to ``word``, most similar first (case is ignored)."""
    options = list(names)
    by_folded: dict[str, str] = {}
    for name in options:
        by_folded.setdefault(name.casefold(), name)
    found = ranked(word.casefold(), by_folded, cutoff)
    return [by_folded[name] for _, name in found[:n]]
