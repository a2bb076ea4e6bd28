"""Plain-data (JSON-ready) forms of the dataset's records. Pure, no I/O."""

from __future__ import annotations

from typing import Any

from hipguide.models import Condition, Point


def point_to_dict(point: Point) -> dict[str, Any]:
    """A point as the ``points --json`` contract gives it (DESIGN.md section 3)."""
    return _record(point)


def condition_to_dict(condition: Condition) -> dict[str, Any]:
    """A condition as the ``conditions --json`` contract gives it."""
    return _record(condition)


def _record(record: Point | Condition) -> dict[str, Any]:
    data = _plain(record)
    assert isinstance(data, dict)
    return data


def _plain(value: Any) -> Any:
    """Records become dicts and tuples lists, all the way down."""
    if isinstance(value, tuple):
        if hasattr(value, "_asdict"):
            return {key: _plain(item) for key, item in value._asdict().items()}
        return [_plain(item) for item in value]
    return value
