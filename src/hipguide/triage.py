"""The red-flag check: from answers to a verdict.

Pure logic: no I/O, no screen, no clock, no sentences. The questions, tiers (their
ranks and what "not sure" gives), escalations and cautions all come from
``data/triage.yaml`` (:class:`hipguide.models.Triage`); this module applies the rules of
DESIGN.md section 3 and returns ids and tiers. The words for them live in
:mod:`hipguide.ui.text`.

* yes gives the question's tier; unsure gives the question's ``unsure`` tier, else its
  tier's ``unsure`` tier; on a caution, the caution applies;
* a combination whose every group holds a yes (or unsure) escalates to its tier;
* cautions never change the tier;
* a yes to a modifier (``assessed``: a professional has examined this pain) stops the
  background questions from raising the tier on their own: they become notes, and still
  count inside every combination; unsure on a modifier counts as no;
* a question ``after`` another is asked only when that one is yes or unsure, and a
  modifier only when a background question is; an answer given anyway counts;
* an answer derived from the history (``derived``) counts as yes, whatever was answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

from hipguide.models import CAUTION, MODIFIER, Combination, Question, Tier, Triage
from hipguide.records import dataclass, field

Answer = Literal["yes", "no", "unsure"]
#: Why a reason counts: the answer yes, not sure, derived from the history, or a
#: combination of answers.
Cause = Literal["yes", "unsure", "derived", "combination"]
ANSWERS: tuple[Answer, ...] = ("yes", "no", "unsure")


@dataclass(frozen=True)
class Reason:
    """One cause of the verdict: a question answered yes/unsure, or a combination met.

    ``id`` is the question's or the combination's id, ``tier`` the tier it gives.
    """

    id: str
    tier: str
    cause: Cause


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check.

    ``reasons`` run from the most serious; ``cautions`` are the ids of the caution
    questions that apply; ``notes`` the background questions answered yes or unsure that
    did not count on their own (a professional has examined this pain); ``derived`` maps
    a question the history answered to why (an object the screens know how to word).
    """

    tier: str
    exit_code: int
    reasons: tuple[Reason, ...]
    cautions: tuple[str, ...]
    answers: Mapping[str, Answer]
    derived: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def ordered_questions(triage: Triage) -> tuple[Question, ...]:
    """The questions in asking order: tiers from the most serious, then the cautions,
    then the modifiers; stable within a kind, and a question ``after`` another right
    after that one.

    A question that opens a more serious one is asked with it, after the questions of
    that kind: ``pregnant`` (a caution) opens ``pregnancy_warning`` (an emergency), so
    it comes straight after the emergency questions, and a sign that cannot wait is
    never asked after those that can."""
    ranks = {tier.id: tier.rank for tier in triage.tiers}
    top = max(ranks.values(), default=0)

    def kind(question: Question) -> int:
        if question.tier in ranks:
            return top - ranks[question.tier]
        return top + (1 if question.tier == CAUTION else 2)

    opens: dict[str, int] = {}  # a question's most serious follower's kind
    for question in triage.questions:
        if question.after:
            opens[question.after] = min(opens.get(question.after, kind(question)), kind(question))

    def position(question: Question) -> tuple[int, bool]:
        own = kind(question)
        follower = opens.get(question.id, own)
        return (follower, True) if follower < own else (own, False)

    base = [q for q in sorted(triage.questions, key=position) if not q.after]
    for question in (q for q in triage.questions if q.after):
        parent = next((i for i, q in enumerate(base) if q.id == question.after), len(base) - 1)
        base.insert(parent + 1, question)
    return tuple(base)


def flagged(answer: object) -> bool:
    """Whether an answer raises a flag: yes, or not sure."""
    return answer in ("yes", "unsure")


def relevant(question: Question, triage: Triage, answers: Mapping[str, object]) -> bool:
    """Whether ``question`` needs an answer, given the answers so far: a question
    ``after`` another only once that one is yes or unsure, a modifier only once a
    background question is."""
    if question.after:
        return flagged(answers.get(question.after))
    if question.tier == MODIFIER:
        return any(q.background and flagged(answers.get(q.id)) for q in triage.questions)
    return True


def missing(triage: Triage, answers: Mapping[str, object]) -> list[str]:
    """Ids of the questions that need an answer and have none yet, in asking order."""
    return [
        q.id
        for q in ordered_questions(triage)
        if q.id not in answers and relevant(q, triage, answers)
    ]


def lowest_tier(triage: Triage) -> Tier:
    """The tier of a check where nothing is flagged (rank 0)."""
    return min(triage.tiers, key=lambda tier: tier.rank)


def top_tier(triage: Triage) -> Tier:
    """The most serious tier."""
    return max(triage.tiers, key=lambda tier: tier.rank)


def is_decisive(triage: Triage, answers: Mapping[str, str]) -> bool:
    """Whether the questions can stop: the answers so far already give the most serious
    tier (a yes, a "not sure" that counts as much, or a combination).

    "Not sure" on an emergency question that gives a lower tier does not stop them:
    the questions still to come may show an emergency.
    """
    known = {q.id for q in triage.questions}
    given = {k: v for k, v in answers.items() if k in known and v in ANSWERS}
    return assess(triage, given).tier == top_tier(triage).id


def assess(
    triage: Triage,
    answers: Mapping[str, Answer],
    *,
    derived: Mapping[str, Any] = MappingProxyType({}),
) -> Verdict:
    """Turn answers into a verdict; the tier is the highest any answer or combination reaches.

    ``derived`` maps a question id to why the history forces it to yes; it overrides
    the answer. Unanswered questions count for nothing. Every id must be a question's
    (ValueError otherwise: the caller validates what a person typed).
    """
    by_id = {q.id: q for q in triage.questions}
    for key in (*answers, *derived):
        if key not in by_id:
            raise ValueError(f"not a question id: {key!r}")
    tiers = {t.id: t for t in triage.tiers}
    effective: dict[str, Answer] = dict(answers)
    effective.update({key: "yes" for key in derived})
    examined = any(q.tier == MODIFIER and effective.get(q.id) == "yes" for q in triage.questions)

    order = {q.id: index for index, q in enumerate(ordered_questions(triage))}
    ranked: list[tuple[int, int, Reason]] = []
    cautions: list[str] = []
    notes: list[str] = []
    for question_id in sorted(effective, key=order.__getitem__):
        question, answer = by_id[question_id], effective[question_id]
        if answer == "no":
            continue
        if question.tier == CAUTION:
            cautions.append(question.id)
            continue
        if question.tier not in tiers:  # a modifier: it changes no tier of its own
            continue
        if question.background and examined and question_id not in derived:
            notes.append(question.id)
            continue
        if question_id in derived:
            reason = Reason(question.id, question.tier, "derived")
        elif answer == "yes":
            reason = Reason(question.id, question.tier, "yes")
        else:
            reason = Reason(question.id, _unsure_tier(question, tiers), "unsure")
        ranked.append((tiers[reason.tier].rank, order[question_id], reason))

    raised = {key for key, value in effective.items() if flagged(value)}
    for index, combo in enumerate(triage.combinations):
        if combination_met(combo, raised):
            reason = Reason(combo.id, combo.tier, "combination")
            ranked.append((tiers[combo.tier].rank, len(order) + index, reason))

    ranked.sort(key=lambda item: (-item[0], item[1]))
    reasons = tuple(reason for _, _, reason in ranked)
    tier = tiers[reasons[0].tier] if reasons else lowest_tier(triage)
    return Verdict(
        tier=tier.id,
        exit_code=tier.exit_code,
        reasons=reasons,
        cautions=tuple(cautions),
        answers=MappingProxyType(effective),
        derived=MappingProxyType(dict(derived)),
        notes=tuple(notes),
    )


def combination_met(combo: Combination, flagged: set[str]) -> bool:
    """Whether every group of ``combo`` holds at least one flagged question."""
    return bool(combo.groups) and all(flagged.intersection(group) for group in combo.groups)


def _unsure_tier(question: Question, tiers: Mapping[str, Tier]) -> str:
    """The tier "not sure" gives on ``question``: its own override, else its tier's."""
    if question.unsure is not None:
        return question.unsure
    return tiers[question.tier].unsure or question.tier
