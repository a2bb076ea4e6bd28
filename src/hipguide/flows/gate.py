"""The red-flag gate before any pressing: a recent check or a new one, and whether a
routine may go ahead. Shared by ``routine`` (and everything planned like it)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from hipguide.flows.answers import preset_answers
from hipguide.flows.check import (
    CheckRequest,
    complete_and_assess,
    derived_answers,
    record_check,
)
from hipguide.flows.ports import (
    CautionsApply,
    CheckIncomplete,
    CheckReused,
    History,
    Prompter,
    Screen,
    VerdictShown,
    guarded,
)
from hipguide.records import dataclass
from hipguide.triage import assess, is_decisive, missing

if TYPE_CHECKING:
    from hipguide.clock import Clock
    from hipguide.dataset import Dataset
    from hipguide.store import CheckRecord
    from hipguide.triage import Verdict

#: A check recorded this recently may stand in for a new one.
REUSE_HOURS = 24
#: The answers a recorded check may hold; any other value leaves its question open.
ANSWERS = frozenset({"yes", "no", "unsure"})

Decision = Literal["go", "refused", "declined"]


@dataclass(frozen=True)
class GateOutcome:
    """The verdict the routine rests on, the check it came from, and the decision:
    ``go``, ``refused`` (an emergency or urgent sign) or ``declined`` (see a doctor
    soon, and the person did not choose a gentle routine meanwhile)."""

    verdict: Verdict
    decision: Decision
    reused: CheckRecord | None = None


def pass_gate(
    request: CheckRequest,
    *,
    accept_risk: bool,
    dataset: Dataset,
    prompter: Prompter,
    screen: Screen,
    clock: Clock,
    store: History,
) -> GateOutcome:
    """Run the check (or reuse a recent one) and decide whether pressing may start."""
    triage = dataset.triage
    answers = preset_answers(triage, request.answer_items, request.answers_files)
    history = guarded(store)  # a history that cannot be read costs no verdict
    derived = derived_answers(history)  # read the history once, for reuse or a new check
    verdict = None
    reused = None
    if not answers:
        now = clock.now()
        record = history.last_check(now - timedelta(hours=REUSE_HOURS), until=now)
        if record is not None and not (now - timedelta(hours=REUSE_HOURS) <= record.at <= now):
            record = None  # recorded "in the future" (a clock set back): never reused
        if record is not None and record.tier not in {t.id for t in triage.tiers}:
            record = None  # a verdict this dataset does not know: ask again
        if record is not None:
            known = {q.id for q in triage.questions}
            kept = {
                k: v
                for k, v in record.answers.items()
                if k in known and k not in derived and v in ANSWERS
            }
            open_ids = [q for q in missing(triage, kept) if q not in {**record.derived, **derived}]
            if open_ids and not is_decisive(triage, kept):
                screen.show(CheckIncomplete(record))
            elif not prompter.check_changed(record):
                screen.show(CheckReused(record))
                verdict = assess(triage, kept, derived=derived)  # type: ignore[arg-type]
                reused = record
    if verdict is None:
        verdict = complete_and_assess(dataset, answers, derived, prompter, screen)
        record_check(verdict, clock, history, screen)
    policy = dataset.tier(verdict.tier).routine
    if policy == "refuse":
        return GateOutcome(verdict, "refused", reused)
    if policy == "confirm":
        screen.show(VerdictShown(verdict))
        if not (accept_risk or prompter.accept_soon(verdict)):
            return GateOutcome(verdict, "declined", reused)
    elif verdict.cautions:
        screen.show(CautionsApply(verdict.cautions))
    return GateOutcome(verdict, "go", reused)
