"""The red-flag check as a use case: answers in (given or asked), verdict out, recorded.

Answers come from ``--answers FILE``, then ``--answer ID=VALUE`` (which wins), then the
prompter for whatever is still open. The history adds ``no_improvement`` when the
progress rule says so, and records the check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hipguide.errors import StoreError, UsageError
from hipguide.flows.answers import ANSWER_HINT, preset_answers
from hipguide.flows.ports import CannotAsk, EmergencyFound, History, NotRecorded, Prompter, Screen
from hipguide.models import CAUTION
from hipguide.triage import Answer, Verdict, assess, is_decisive, missing, ordered_questions

if TYPE_CHECKING:
    from hipguide.clock import Clock
    from hipguide.dataset import Dataset


@dataclass(frozen=True)
class CheckRequest:
    """What the command line gave: answers ahead, an answers file, an emergency number."""

    answer_items: tuple[str, ...] = ()
    answers_file: Path | None = None
    emergency_number: str | None = None


@dataclass(frozen=True)
class CheckOutcome:
    """The verdict, and whether it reached the history (``problem`` says why not)."""

    verdict: Verdict
    recorded: bool
    problem: StoreError | None = None


def run_check(
    request: CheckRequest,
    *,
    dataset: Dataset,
    prompter: Prompter,
    screen: Screen,
    clock: Clock,
    store: History,
) -> CheckOutcome:
    """Complete the answers (asking what is open), assess them, and record the check."""
    answers = preset_answers(dataset.triage, request.answer_items, request.answers_file)
    derived = derived_answers(store)
    verdict = complete_and_assess(dataset, answers, derived, prompter, screen)
    return record_check(verdict, clock, store, screen)


def derived_answers(store: History) -> dict[str, Any]:
    """``no_improvement`` forced to yes, with the progress as why, when the history shows
    no progress."""
    from hipguide.progress import assess_progress

    progress = assess_progress(store.sessions())
    return {"no_improvement": progress} if progress.stalled else {}


def complete_and_assess(
    dataset: Dataset,
    answers: dict[str, Answer],
    derived: dict[str, Any],
    prompter: Prompter,
    screen: Screen,
) -> Verdict:
    """Ask the questions still open (none the history answered) unless the answers
    already show an emergency, then assess."""
    triage = dataset.triage
    given = {key: value for key, value in answers.items() if key not in derived}
    still_open = [q for q in missing(triage, given) if q not in derived]
    if still_open and not is_decisive(triage, given):
        try:
            given = ask_open(dataset, given, prompter, screen, skip=derived)
        except CannotAsk as cannot:
            raise _unanswered(still_open, cannot) from None
    return assess(triage, given, derived=derived)


def record_check(verdict: Verdict, clock: Clock, store: History, screen: Screen) -> CheckOutcome:
    """Keep the check in the history; a history that cannot take it costs no verdict."""
    derived = {key: "progress" for key in verdict.derived}
    try:
        store.record_check(clock.now(), dict(verdict.answers), verdict.tier, derived)
    except StoreError as problem:
        screen.show(NotRecorded(problem))
        return CheckOutcome(verdict, recorded=False, problem=problem)
    return CheckOutcome(verdict, recorded=True)


def ask_open(
    dataset: Dataset,
    answers: dict[str, Answer],
    prompter: Prompter,
    screen: Screen,
    skip: Iterable[str] = (),
) -> dict[str, Answer]:
    """Ask the open questions, tier by tier (most serious first); stop at an emergency.
    Questions in ``skip`` (answered by the history) are not asked.

    Each tier's questions are shown together and asked as one "does any of these
    apply?"; only a yes or not-sure opens them one by one. Cautions, and anything that
    is not a tier, are always asked one by one: they change the routine.
    """
    triage = dataset.triage
    result = dict(answers)
    skipped = set(skip)
    open_questions = [
        q for q in ordered_questions(triage) if q.id not in result and q.id not in skipped
    ]
    total = len(open_questions)
    asked = 0
    tiers = {tier.id: tier for tier in triage.tiers}
    kinds = list(dict.fromkeys(q.tier for q in open_questions))
    for kind in kinds:
        if is_decisive(triage, result):
            break
        group = [q for q in open_questions if q.tier == kind]
        tier = tiers.get(kind)
        if tier is not None and len(group) > 1 and kind != CAUTION:
            reply = prompter.answer_group(tier, group, asked + 1, total)
            if reply == "no":
                result.update({q.id: "no" for q in group})
                asked += len(group)
                continue
        for question in group:
            asked += 1
            result[question.id] = prompter.answer_question(question, asked, total)
            if is_decisive(triage, result):
                screen.show(EmergencyFound())
                break
    return result


def _unanswered(still_open: list[str], cannot: CannotAsk) -> UsageError:
    ids = ", ".join(still_open)
    if cannot.no_input:
        return UsageError(f"Unanswered question(s) with --no-input: {ids}.", ANSWER_HINT)
    return UsageError(
        f"No terminal to ask the questions on (unanswered: {ids}).",
        f"{ANSWER_HINT} Or use --no-input to fail instead of asking.",
    )
