"""The weekly check-in as a use case: the PEG and the PGIC (given or asked), recorded, and
what the check-in rule now says.

The PEG (Krebs et al. 2009) is three 0-10 items about the past week: average pain, and
how much pain interfered with enjoyment of life and with general activity. The Patient
Global Impression of Change (after Guy 1976; Hurst and Bolton 2004) is one answer from 1
(very much improved) through 4 (no change) to 7 (very much worse). Their wording is in
``data/routine.yaml`` (``checkin``); the rule is :func:`hipguide.progress.assess_checkins`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from hipguide.errors import StoreError, UsageError
from hipguide.flows.ports import History, NotRecorded, Prompter, Screen
from hipguide.progress import PEG_RANGE, PGIC_RANGE, CheckinProgress, assess_checkins
from hipguide.records import dataclass

if TYPE_CHECKING:
    from hipguide.clock import Clock
    from hipguide.dataset import Dataset

PEG_HINT = "Give --peg three whole numbers from 0 to 10, separated by commas, e.g. --peg 6,5,7."
PGIC_HINT = (
    "Give --pgic a whole number from 1 (very much improved) through 4 (no change) "
    "to 7 (very much worse)."
)


@dataclass(frozen=True)
class CheckinRequest:
    """The options of ``hipguide checkin`` as typed (the flow checks them)."""

    peg: str | None = None
    pgic: str | None = None


@dataclass(frozen=True)
class CheckinOutcome:
    """The check-in, its id in the history (None when it could not be recorded, and
    ``problem`` says why), and the check-in rule's verdict including it."""

    at: datetime
    peg: tuple[int, int, int]
    pgic: int
    progress: CheckinProgress
    id: int | None = None
    problem: StoreError | None = None


@dataclass(frozen=True)
class _Entered:
    """A check-in as given, before it is recorded (what the rule reads of one)."""

    at: datetime
    peg: tuple[int, int, int]
    pgic: int


def parse_peg(text: str) -> tuple[int, int, int]:
    """``"6,5,7"`` as the PEG's three items; UsageError naming the range otherwise."""
    parts = [part.strip() for part in text.split(",")]
    low, high = PEG_RANGE
    shown = text if len(text) <= 40 else text[:39] + "…"
    if len(parts) != 3:
        raise UsageError(
            f"--peg takes three numbers (average pain, enjoyment of life, general activity), "
            f"not {len(parts)}: '{shown}'.",
            PEG_HINT,
        )
    values = []
    for part in parts:
        if not _small_number(part) or not low <= int(part) <= high:
            raise UsageError(
                f"Each --peg number is a whole number from {low} to {high}, not '{part[:20]}'.",
                PEG_HINT,
            )
        values.append(int(part))
    pain, enjoyment, activity = values
    return pain, enjoyment, activity


def _small_number(text: str) -> bool:
    """ASCII digits, few enough to read as a number at once."""
    return text.isascii() and text.isdigit() and len(text) <= 6


def parse_pgic(text: str) -> int:
    """``"3"`` as the PGIC; UsageError naming the range otherwise."""
    value = text.strip()
    low, high = PGIC_RANGE
    if not _small_number(value) or not low <= int(value) <= high:
        raise UsageError(
            f"--pgic is a whole number from {low} to {high}, not '{value[:20]}'.", PGIC_HINT
        )
    return int(value)


def run_checkin(
    request: CheckinRequest,
    *,
    dataset: Dataset,
    prompter: Prompter,
    screen: Screen,
    clock: Clock,
    store: History,
) -> CheckinOutcome:
    """Check the options, ask what they leave open, record the check-in, and judge."""
    peg = parse_peg(request.peg) if request.peg is not None else None
    pgic = parse_pgic(request.pgic) if request.pgic is not None else None
    measures = dataset.rules.checkin
    if peg is None:
        peg = prompter.checkin_peg(measures.peg)
    if pgic is None:
        pgic = prompter.checkin_pgic(measures.pgic)
    return record_checkin(peg, pgic, screen=screen, clock=clock, store=store)


def record_checkin(
    peg: tuple[int, int, int], pgic: int, *, screen: Screen, clock: Clock, store: History
) -> CheckinOutcome:
    """Keep the check-in in the history (a history that cannot take it says why, once)
    and apply the rule to the first check-in and this one."""
    try:
        first, _ = store.checkin_ends()
    except StoreError:
        first = None  # the write below reports the problem
    entered = _Entered(clock.now(), peg, pgic)
    progress = assess_checkins(first or entered, entered if first is not None else None)
    try:
        checkin_id = store.record_checkin(entered.at, peg, pgic)
    except StoreError as problem:
        screen.show(NotRecorded(problem))
        return CheckinOutcome(entered.at, peg, pgic, progress, problem=problem)
    return CheckinOutcome(entered.at, peg, pgic, progress, id=checkin_id)
