"""Plain-data (JSON-ready) forms of the dataset's records. Pure, no I/O."""

from __future__ import annotations

from typing import Any

from hipguide.models import Condition, Point


def point_to_dict(point: Point) -> dict[str, Any]:
    """A point as the ``points --json`` contract gives it (DESIGN.md section 3)."""
    data = _plain(point)
    assert isinstance(data, dict)
    return data


def _plain(value: Any) -> Any:
    """Records become dicts and tuples lists, all the way down."""
    if isinstance(value, tuple):
        if hasattr(value, "_asdict"):
            return {key: _plain(item) for key, item in value._asdict().items()}
        return [_plain(item) for item in value]
    return value


def condition_to_dict(condition: Condition) -> dict[str, Any]:
    """A condition as the ``conditions --json`` contract gives it."""
    return {
        "id": condition.id,
        "name": condition.name,
        "aliases": list(condition.aliases),
        "summary": condition.summary,
        "signs": list(condition.signs),
        "points": [{"point": r.point, "role": r.role} for r in condition.points],
        "self_care": list(condition.self_care),
        "can_help": condition.can_help,
        "limits": condition.limits,
        "sources": list(condition.sources),
    }
