"""A printable routine card as a use case: the routine's options, the same gate and plan
as ``routine --plan``, and the check the card rests on. The page itself is drawn at
the edge (:mod:`hipguide.ui.html`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from hipguide.errors import UsageError
from hipguide.flows.ports import History, Prompter, Screen
from hipguide.flows.routine import RoutineRequest, prepare_routine
from hipguide.records import dataclass, replace

if TYPE_CHECKING:
    from hipguide.clock import Clock
    from hipguide.dataset import Dataset
    from hipguide.flows.gate import GateOutcome
    from hipguide.planner import Plan, PlanRequest

CardStatus = Literal["made", "refused", "declined"]

#: The most points one printed page holds with pictures large enough to find them by.
MAX_POINTS = 8


@dataclass(frozen=True)
class CardRequest:
    """What the card is planned from: the routine's options, as given."""

    routine: RoutineRequest


@dataclass(frozen=True)
class CardOutcome:
    """The gate the card went through and, when it let the card be made, its plan.

    ``checked_at`` is when the check it rests on was made (a reused one, or the new
    one); ``made_at`` is when the card was planned; ``planned`` is what the plan was
    made from (the areas and side, given or asked).
    """

    gate: GateOutcome
    plan: Plan | None
    checked_at: datetime
    made_at: datetime
    planned: PlanRequest | None = None

    @property
    def status(self) -> CardStatus:
        """``made``, or the gate's ``refused`` / ``declined``."""
        decision = self.gate.decision
        return "made" if decision == "go" else decision

    @property
    def exit_code(self) -> int:
        """The verdict's exit code when the gate stopped the card; else 0."""
        return 0 if self.status == "made" else self.gate.verdict.exit_code


def plan_card(
    request: CardRequest,
    *,
    dataset: Dataset,
    prompter: Prompter,
    screen: Screen,
    clock: Clock,
    store: History,
) -> CardOutcome:
    """Check the options, pass the gate (a recent check or a new one) and plan, as
    ``routine --plan`` does; an emergency, urgent or declined verdict gives no plan.
    A plan of more points than a page holds is a usage error."""
    prepared = prepare_routine(
        replace(request.routine, plan_only=True),  # a card is planned, never run
        dataset=dataset,
        prompter=prompter,
        screen=screen,
        clock=clock,
        store=store,
    )
    plan = prepared.plan
    if plan is not None and len(plan.points) > MAX_POINTS:
        raise UsageError(
            f"A card has room for {MAX_POINTS} points; this plan has {len(plan.points)}.",
            "Give fewer --minutes or fewer --area (the plan keeps the most useful points "
            "first), or make one card for each area.",
        )
    now = clock.now()
    reused = prepared.gate.reused
    return CardOutcome(
        gate=prepared.gate,
        plan=plan,
        checked_at=reused.at if reused is not None else now,
        made_at=now,
        planned=prepared.planned,
    )
