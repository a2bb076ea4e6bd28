"""The base of the picture modules' small records: :mod:`hipguide.models`' named tuple,
which makes a class many times faster than ``typing.NamedTuple`` (every picture drawn
at start-up creates them all). Type checkers see a ``NamedTuple``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:
    from hipguide.models import _Record as Record

__all__ = ["Record"]
