"""The red-flag check: parse answers, then turn them into a verdict.

Pure logic: no I/O, no screen, no clock. The questions, tiers, escalations and texts
all come from ``data/triage.yaml`` (:class:`hipguide.models.Triage`); this module only
applies the rules of DESIGN.md section 3:

* yes gives the question's tier; unsure gives at least ``urgent`` on an emergency or
  urgent question, ``soon`` on a soon question; on a caution, the caution applies;
* a combination whose every group holds a yes (or unsure) escalates to its tier;
* cautions never change the tier;
* an answer derived from the history (``derived``) counts as yes, whatever was answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from hipguide.errors import ExitCode, UsageError
from hipguide.models import Combination, Question, Triage
from hipguide.suggest import close_matches

Answer = Literal["yes", "no", "unsure"]
Level = Literal["self-care", "soon", "urgent", "emergency"]

#: Verdict tiers from the mildest to the most serious.
TIER_ORDER: tuple[Level, ...] = ("self-care", "soon", "urgent", "emergency")
#: The process exit code for each verdict tier.
EXIT_CODES: Mapping[str, int] = MappingProxyType(
    {
        "self-care": ExitCode.OK,
        "soon": ExitCode.SOON,
        "urgent": ExitCode.URGENT,
        "emergency": ExitCode.EMERGENCY,
    }
)
#: The words a person may type for each answer (compared in lower case).
ANSWER_WORDS: Mapping[str, Answer] = MappingProxyType(
    {
        "yes": "yes",
        "y": "yes",
        "no": "no",
        "n": "no",
        "unsure": "unsure",
        "not sure": "unsure",
        "?": "unsure",
    }
)
#: Where the emergency number goes in the dataset's texts.
PLACEHOLDER = "{emergency}"

_ASK_ORDER = {"emergency": 0, "urgent": 1, "soon": 2, "caution": 3}
_RANK: dict[str, int] = {tier: rank for rank, tier in enumerate(TIER_ORDER)}
_VALID_ANSWERS = "yes, no or unsure (also y, n, 'not sure' or '?')"


@dataclass(frozen=True)
class Reason:
    """One cause of the verdict: a question answered yes/unsure, or a combination met."""

    id: str
    tier: Level
    text: str
    advice: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CautionNote:
    """A caution that applies: the routine changes, the verdict does not."""

    id: str
    text: str
    effect: str


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check, with the texts to tell it (emergency number filled in)."""

    tier: Level
    reasons: tuple[Reason, ...]
    cautions: tuple[CautionNote, ...]
    answers: Mapping[str, Answer]
    derived: Mapping[str, str] = field(default_factory=dict)
    headline: str = ""
    action: str = ""
    reminder: str = ""

    @property
    def exit_code(self) -> int:
        """The exit code for this verdict's tier."""
        return EXIT_CODES[self.tier]


# --- answers -------------------------------------------------------------------------------


def parse_answer(text: str) -> Answer:
    """Read one answer: yes/y, no/n, unsure/not sure/? in any case; UsageError otherwise."""
    word = " ".join(text.split()).lower()
    try:
        return ANSWER_WORDS[word]
    except KeyError:
        raise UsageError(f"'{text}' is not an answer.", f"Answer {_VALID_ANSWERS}.") from None


def parse_assignments(items: Iterable[str], triage: Triage) -> dict[str, Answer]:
    """Read ``ID=VALUE`` pairs (``--answer``); the last answer for an id wins.

    Ids are matched ignoring case, with ``-`` read as ``_``.
    """
    answers: dict[str, Answer] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(
                f"'{item}' is not of the form ID=VALUE.",
                f"For example: --answer injury=no. {_valid_ids_hint(triage)}",
            )
        question_id = _known_id(key, triage)
        answers[question_id] = _parse_value(question_id, value)
    return answers


def validate_answers(raw: Mapping[str, object], triage: Triage) -> dict[str, Answer]:
    """Check an ``--answers`` file's map of id to answer.

    YAML reads a bare ``yes``/``no`` as true/false, so booleans are accepted too.
    """
    if not isinstance(raw, Mapping):
        raise UsageError(
            "The answers file must hold a map of question id to answer.",
            "For example: 'injury: no'.",
        )
    answers: dict[str, Answer] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            raise UsageError(f"'{key}' is not a question id.", _valid_ids_hint(triage))
        question_id = _known_id(key, triage)
        if isinstance(value, bool):
            answers[question_id] = "yes" if value else "no"
        elif isinstance(value, str):
            answers[question_id] = _parse_value(question_id, value)
        else:
            raise UsageError(
                f"The answer to '{question_id}' is missing or not text ({value!r}).",
                f"Answer {_VALID_ANSWERS}.",
            )
    return answers


def ordered_questions(triage: Triage) -> tuple[Question, ...]:
    """The questions in asking order: emergency, urgent, soon, caution; stable within a tier."""
    return tuple(sorted(triage.questions, key=lambda q: _ASK_ORDER[q.tier]))


def missing(triage: Triage, answers: Mapping[str, object]) -> list[str]:
    """Ids of the questions that have no answer yet, in asking order."""
    return [q.id for q in ordered_questions(triage) if q.id not in answers]


def is_decisive(triage: Triage, answers: Mapping[str, str]) -> bool:
    """Whether the questions can stop: an emergency sign is answered yes, or an emergency
    combination is met (unsure counting as yes there, e.g. fever with a hot, swollen hip).

    "Not sure" on an emergency question alone does not stop them: it gives "urgent",
    and the questions still to come may show an emergency.
    """
    if any(q.tier == "emergency" and answers.get(q.id) == "yes" for q in triage.questions):
        return True
    flagged = {key for key, value in answers.items() if value in ("yes", "unsure")}
    return any(
        combo.tier == "emergency" and _combination_met(combo, flagged)
        for combo in triage.combinations
    )


# --- verdict -------------------------------------------------------------------------------


def assess(
    triage: Triage,
    answers: Mapping[str, Answer],
    *,
    derived: Mapping[str, str] = MappingProxyType({}),
    emergency_number: str | None = None,
) -> Verdict:
    """Turn answers into a verdict; the tier is the highest any answer or combination reaches.

    ``derived`` maps a question id to why the history forces it to yes; it overrides
    the answer. Unanswered questions count for nothing. ``emergency_number`` replaces
    the dataset's number in every text.
    """
    by_id = {q.id: q for q in triage.questions}
    for key, value in answers.items():
        _known_id_exact(key, triage)
        if value not in ("yes", "no", "unsure"):
            raise UsageError(f"'{value}' is not an answer to '{key}'.", f"Answer {_VALID_ANSWERS}.")
    for key in derived:
        _known_id_exact(key, triage)
    number = emergency_number or triage.emergency_number
    effective: dict[str, Answer] = dict(answers)
    effective.update({key: "yes" for key in derived})

    order = {q.id: index for index, q in enumerate(ordered_questions(triage))}
    ranked: list[tuple[int, int, Reason]] = []
    cautions: list[CautionNote] = []
    for question_id in sorted(effective, key=order.__getitem__):
        question, answer = by_id[question_id], effective[question_id]
        if answer == "no":
            continue
        if question.tier == "caution":
            cautions.append(
                CautionNote(question.id, _fill(question.advice, number), question.effect or "")
            )
            continue
        reason = _question_reason(question, answer, derived.get(question_id), number)
        ranked.append((_RANK[reason.tier], order[question_id], reason))

    flagged = {key for key, value in effective.items() if value in ("yes", "unsure")}
    for index, combo in enumerate(triage.combinations):
        if combo.tier in _RANK and _combination_met(combo, flagged):
            reason = Reason(
                combo.id,
                _level(combo.tier),
                _fill(combo.text, number),
                _fill(combo.advice, number),
                combo.sources,
            )
            ranked.append((_RANK[reason.tier], len(order) + index, reason))

    ranked.sort(key=lambda item: (-item[0], item[1]))
    reasons = tuple(reason for _, _, reason in ranked)
    tier: Level = reasons[0].tier if reasons else "self-care"
    texts = {t.id: t for t in triage.tiers}
    tier_text = texts.get(tier)
    return Verdict(
        tier=tier,
        reasons=reasons,
        cautions=tuple(cautions),
        answers=MappingProxyType(effective),
        derived=MappingProxyType(dict(derived)),
        headline=_fill(tier_text.headline, number) if tier_text else "",
        action=_fill(tier_text.action, number) if tier_text else "",
        reminder=_fill(triage.reminder, number),
    )


def verdict_to_dict(verdict: Verdict) -> dict[str, Any]:
    """The verdict as the documented JSON object (plus headline, action, reminder, derived)."""
    return {
        "tier": verdict.tier,
        "headline": verdict.headline,
        "action": verdict.action,
        "reasons": [
            {
                "id": r.id,
                "tier": r.tier,
                "text": r.text,
                "advice": r.advice,
                "sources": list(r.sources),
            }
            for r in verdict.reasons
        ],
        "cautions": [{"id": c.id, "text": c.text, "effect": c.effect} for c in verdict.cautions],
        "answers": dict(verdict.answers),
        "derived": dict(verdict.derived),
        "reminder": verdict.reminder,
    }


# --- helpers -------------------------------------------------------------------------------


def _fill(text: str, number: str) -> str:
    return text.replace(PLACEHOLDER, number)


def _level(tier: str) -> Level:
    return TIER_ORDER[_RANK[tier]]


def _question_reason(
    question: Question, answer: Answer, derived_why: str | None, number: str
) -> Reason:
    advice = _fill(question.advice, number)
    if derived_why is not None:
        text = f"Counted as yes from your history ({derived_why}): {question.text}"
        return Reason(question.id, _level(question.tier), text, advice, question.sources)
    if answer == "yes":
        text = f"You answered yes: {question.text}"
        return Reason(question.id, _level(question.tier), text, advice, question.sources)
    text = f"You were not sure: {question.text} Not being sure is reason enough to be checked."
    if question.tier == "emergency":
        advice = f"Have it checked by a doctor today. If it turns out to be yes: {advice}"
        return Reason(question.id, "urgent", text, advice, question.sources)
    return Reason(question.id, _level(question.tier), text, advice, question.sources)


def _combination_met(combo: Combination, flagged: set[str]) -> bool:
    return bool(combo.groups) and all(flagged.intersection(group) for group in combo.groups)


def _parse_value(question_id: str, value: str) -> Answer:
    try:
        return parse_answer(value)
    except UsageError as error:
        raise UsageError(f"Bad answer to '{question_id}': {error.message}", error.hint) from None


def _known_id(key: str, triage: Triage) -> str:
    question_id = key.strip().lower().replace("-", "_")
    return _known_id_exact(question_id, triage, shown=key)


def _known_id_exact(question_id: str, triage: Triage, shown: str | None = None) -> str:
    ids = [q.id for q in ordered_questions(triage)]
    if question_id in ids:
        return question_id
    close = close_matches(question_id, ids, n=1)
    guess = f"Did you mean '{close[0]}'? " if close else ""
    raise UsageError(
        f"'{shown if shown is not None else question_id}' is not a question id.",
        guess + _valid_ids_hint(triage),
    )


def _valid_ids_hint(triage: Triage) -> str:
    return "Valid ids: " + ", ".join(q.id for q in ordered_questions(triage)) + "."
