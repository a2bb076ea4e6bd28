"""Routine planning: from where and why it hurts to an ordered list of presses.

Pure logic: no I/O, no clock. The timeline (presses, side switches, rests) is
defined here once, so the plan's ``total_seconds`` and the session engine agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Side = Literal["left", "right"]
SegmentKind = Literal["press", "switch", "rest"]

#: Seconds of rest between two different points.
REST_SECONDS = 10
#: Seconds to change hands when the same point is pressed on the other side.
SWITCH_SECONDS = 5


@dataclass(frozen=True)
class Step:
    """One press on one side."""

    point: str
    side: Side
    seconds: int
    pressure: Literal["light", "moderate", "firm"]
    role: Literal["local", "distal", "mirror"]


@dataclass(frozen=True)
class Segment:
    """One stretch of the session timeline."""

    kind: SegmentKind
    step: int  # index of the step this segment belongs to (the next step, for switch/rest)
    seconds: int


def timeline(
    steps: tuple[Step, ...] | list[Step],
    rest_seconds: int = REST_SECONDS,
    switch_seconds: int = SWITCH_SECONDS,
) -> list[Segment]:
    """Lay out a session: each press, with a switch or a rest before the next one.

    A step that presses the same point as the one before it (on the other side)
    is preceded by a "switch" segment; any other step after the first by a "rest".
    """
    segments: list[Segment] = []
    for index, step in enumerate(steps):
        if index:
            previous = steps[index - 1]
            if previous.point == step.point:
                segments.append(Segment("switch", index, switch_seconds))
            else:
                segments.append(Segment("rest", index, rest_seconds))
        segments.append(Segment("press", index, step.seconds))
    return segments


def total_seconds(
    steps: tuple[Step, ...] | list[Step],
    rest_seconds: int = REST_SECONDS,
    switch_seconds: int = SWITCH_SECONDS,
) -> int:
    """The whole planned session in seconds: presses, switches and rests."""
    return sum(segment.seconds for segment in timeline(steps, rest_seconds, switch_seconds))
