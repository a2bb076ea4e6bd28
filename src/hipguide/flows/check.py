"""The red-flag check as a use case: answers in (given or asked), verdict out, recorded.

Answers come from each ``--answers FILE``, then ``--answer ID=VALUE`` (a question given
again only as cautiously or more: see :func:`~hipguide.flows.answers.preset_answers`),
then the prompter for whatever is still open. The history adds ``no_improvement`` when the
progress rule says so, and records the check.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hipguide.errors import StoreError, UsageError
from hipguide.flows.answers import ANSWER_HINT, preset_answers
from hipguide.flows.ports import (
    SCRIPT_HINT,
    CannotAsk,
    EmergencyFound,
    History,
    NotRecorded,
    Prompter,
    Screen,
    guarded,
)
from hipguide.models import CAUTION, MODIFIER, Question
from hipguide.records import dataclass
from hipguide.triage import (
    Answer,
    Verdict,
    assess,
    is_decisive,
    missing,
    ordered_questions,
    relevant,
)

if TYPE_CHECKING:
    from hipguide.clock import Clock
    from hipguide.dataset import Dataset


@dataclass(frozen=True)
class CheckRequest:
    """What the command line gave: answers ahead (``--answer``), the answers files
    (``--answers``, in order), an emergency number."""

    answer_items: tuple[str, ...] = ()
    answers_files: tuple[Path, ...] = ()
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
    """Complete the answers (asking what is open), assess them, and record the check.

    The history never costs the verdict: one that cannot be read is not used, and the
    check then says that nothing was recorded, and why (see :func:`guarded`).
    """
    answers = preset_answers(dataset.triage, request.answer_items, request.answers_files)
    history = guarded(store)
    derived = derived_answers(history)
    verdict = complete_and_assess(dataset, answers, derived, prompter, screen)
    return record_check(verdict, clock, history, screen)


def derived_answers(store: History) -> dict[str, Any]:
    """``no_improvement`` forced to yes, with the progress as why, when the history shows
    no progress: by the check-ins while two of them are 28 days or more apart, else by
    the pain before the sessions.

    Reads only what the rules need (the first and the latest check-in, and
    :meth:`History.progress_window`, which passes over any row it cannot read), never the
    whole history. A history that cannot be read at all raises :class:`StoreError`,
    unless it is :func:`guarded`.
    """
    from hipguide.progress import assess_checkins, assess_window

    try:
        by_checkins = assess_checkins(*store.checkin_ends())
    except StoreError:  # a history that cannot be read costs no verdict
        by_checkins = None
    if by_checkins is not None and by_checkins.applies:
        return {"no_improvement": by_checkins} if by_checkins.stalled else {}
    window = store.progress_window()
    progress = assess_window(
        window.sessions, window.first_at, window.last_at, window.first_pains, window.last_pains
    )
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
    """Keep the check in the history, with the measure behind each answer the history
    gave (``checkins`` or ``sessions``); a history that cannot take it costs no verdict."""
    from hipguide.progress import CheckinProgress

    derived = {
        key: "checkins" if isinstance(why, CheckinProgress) else "sessions"
        for key, why in verdict.derived.items()
    }
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

    The questions come in asking order (:func:`~hipguide.triage.ordered_questions`), a
    run of one kind at a time: a caution that opens an emergency question comes straight
    after the emergency questions. Each tier's questions are shown together and asked as
    one "does any of these apply?"; only a yes or not-sure opens them one by one.
    Cautions are always asked one by one: they change the routine. A question ``after``
    another is asked right after that one is answered yes or unsure, and a modifier at
    the end, when a background question was answered yes or unsure.
    """
    asker = _Asker(dataset, dict(answers), prompter, set(skip))
    if asker.follow_ups():
        screen.show(EmergencyFound())
        return asker.result
    tiers = {tier.id: tier for tier in dataset.triage.tiers}
    main = [q for q in asker.open() if not q.after and q.tier != MODIFIER]
    asker.total = len(main)
    for kind, run in groupby(main, key=lambda q: q.tier):  # each run of one kind, in order
        if is_decisive(dataset.triage, asker.result):
            return asker.result
        group = list(run)
        tier = tiers.get(kind)
        if tier is not None and len(group) > 1 and kind != CAUTION:
            reply = prompter.answer_group(tier, group, asker.asked + 1, asker.total)
            if reply == "no":
                asker.result.update({q.id: "no" for q in group})
                asker.asked += len(group)
                continue
        for question in group:
            if asker.ask(question) or asker.follow_ups():
                screen.show(EmergencyFound())
                return asker.result
    for question in asker.open():  # the modifiers, now that the answers they modify are in
        if question.tier == MODIFIER and relevant(question, dataset.triage, asker.result):
            asker.total += 1
            asker.ask(question)
    return asker.result


class _Asker:
    """The answers so far, and how many questions have been asked of how many."""

    def __init__(
        self, dataset: Dataset, result: dict[str, Answer], prompter: Prompter, skip: set[str]
    ) -> None:
        self.triage = dataset.triage
        self.result = result
        self.prompter = prompter
        self.skip = skip
        self.asked = 0
        self.total = 0

    def open(self) -> list[Question]:
        """The questions with no answer yet, in asking order (none the history answered)."""
        return [
            q
            for q in ordered_questions(self.triage)
            if q.id not in self.result and q.id not in self.skip
        ]

    def ask(self, question: Question) -> bool:
        """Ask one question; True when the answers now show an emergency."""
        self.asked += 1
        self.total = max(self.total, self.asked)
        self.result[question.id] = self.prompter.answer_question(question, self.asked, self.total)
        return is_decisive(self.triage, self.result)

    def follow_ups(self) -> bool:
        """Ask every question that an answer so far has opened (``after`` it); True when
        one shows an emergency."""
        while True:
            opened = [q for q in self.open() if q.after and relevant(q, self.triage, self.result)]
            if not opened:
                return False
            self.total += 1
            if self.ask(opened[0]):
                return True


def _unanswered(still_open: list[str], cannot: CannotAsk) -> UsageError:
    ids = ", ".join(still_open)
    if cannot.no_input:
        return UsageError(f"Unanswered question(s) with --no-input: {ids}.", ANSWER_HINT)
    return UsageError(
        f"No terminal to ask the questions on (unanswered: {ids}).",
        f"{ANSWER_HINT} {SCRIPT_HINT}",
    )
