"""Every sentence hipguide builds from codes and numbers, in one module.

The pure modules (triage, planner, progress, search) return ids and numbers; the
texts of the dataset (``data/*.yaml``) and the templates here turn them into words.
Templates are plain module constants so that gettext (Babel) can extract them when a
second language comes. ``number`` is always the emergency number in use (None: the
dataset's own).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hipguide.dataset import Dataset
    from hipguide.planner import Exclusion, Why
    from hipguide.progress import Progress
    from hipguide.triage import Reason, Verdict

#: Where the emergency number goes in the dataset's texts.
PLACEHOLDER = "{emergency}"

ANSWERED_YES = "You answered yes: {question}"
ANSWERED_UNSURE = "You were not sure: {question} Not being sure is reason enough to be checked."
ANSWERED_BY_HISTORY = "Counted as yes from your history ({why}): {question}"
NOTE = "{answered} {question} Not counted on its own: {why}"

PREGNANCY_LABEL = {
    "avoid": "avoid in pregnancy",
    "caution": "gentle only in pregnancy",
    "ok": "no pregnancy restriction known",
}

LEFT_OUT_SKIN = "skin problem in the {region} area"
LEFT_OUT_SKIPPED = "skipped at your request"
LEFT_OUT_BUDGET = "left out to fit the {minutes}-minute budget"

PROGRESS_TOO_FEW = (
    "Progress is judged after {needed} sessions with a pain score before pressing; {count} so far."
)
PROGRESS_TOO_SHORT = (
    "Progress is judged over at least {days} days; these sessions span {span} days so far."
)
PROGRESS_NO_PAIN = "No pain before pressing in the first or the last three sessions."
PROGRESS_IMPROVING = (
    "Pain before pressing has eased from {first} to {last} on average (first three "
    "sessions against the last three). See a GP if it comes back or gets worse."
)
PROGRESS_STALLED = (
    "Pain before pressing was {first} on average at the start and is {last} lately: less "
    "than {points} points or {share} % lower after {count} sessions over {span} days. "
    "Acupressure alone is not easing it enough; ask a GP or physiotherapist to assess the hip."
)


def fill(text: str, dataset: Dataset, number: str | None) -> str:
    """``text`` with the emergency number in place of ``{emergency}``."""
    return text.replace(PLACEHOLDER, number or dataset.triage.emergency_number)


# --- the check ---------------------------------------------------------------------------


def tier_label(dataset: Dataset, tier: str) -> str:
    """``EMERGENCY``, ``SOON``...; a question kind (caution, modifier) as it is."""
    try:
        return dataset.tier(tier).label
    except KeyError:
        return tier


def headline(verdict: Verdict, dataset: Dataset, number: str | None) -> str:
    """The verdict's one line: "Get emergency help now"."""
    return fill(dataset.tier(verdict.tier).headline, dataset, number)


def action(verdict: Verdict, dataset: Dataset, number: str | None) -> str:
    """What to do, for the verdict's tier."""
    return fill(dataset.tier(verdict.tier).action, dataset, number)


def reminder(dataset: Dataset, number: str | None) -> str:
    """The closing reminder that the check is not a diagnosis."""
    return fill(dataset.triage.reminder, dataset, number)


def derived_why(why: Any) -> str:
    """Why the history answered a question (a :class:`Progress`, or a stored text)."""
    from hipguide.progress import Progress

    if isinstance(why, Progress):
        return progress_message(why)
    return str(why)


def reason_text(reason: Reason, verdict: Verdict, dataset: Dataset, number: str | None) -> str:
    """What a reason of the verdict says happened."""
    if reason.cause == "combination":
        combo = next(c for c in dataset.triage.combinations if c.id == reason.id)
        return fill(combo.text, dataset, number)
    question = fill(dataset.question(reason.id).text, dataset, number)
    if reason.cause == "derived":
        why = derived_why(verdict.derived.get(reason.id, ""))
        return ANSWERED_BY_HISTORY.format(why=why, question=question)
    template = ANSWERED_YES if reason.cause == "yes" else ANSWERED_UNSURE
    return template.format(question=question)


def note_text(question_id: str, verdict: Verdict, dataset: Dataset, number: str | None) -> str:
    """A background answer that did not count on its own, and why (the modifier's advice)."""
    from hipguide.models import MODIFIER

    question = dataset.question(question_id)
    answered = "You answered yes:" if verdict.answers.get(question_id) == "yes" else "Not sure:"
    why = " ".join(
        fill(q.advice, dataset, number)
        for q in dataset.triage.questions
        if q.tier == MODIFIER and verdict.answers.get(q.id) == "yes"
    )
    return NOTE.format(answered=answered, question=fill(question.text, dataset, number), why=why)


def reason_advice(reason: Reason, dataset: Dataset, number: str | None) -> str:
    """What to do about a reason; for "not sure" that gave a lower tier than yes would,
    the lower tier's ``unsure_advice`` wraps the question's own."""
    if reason.cause == "combination":
        combo = next(c for c in dataset.triage.combinations if c.id == reason.id)
        return fill(combo.advice, dataset, number)
    question = dataset.question(reason.id)
    advice = fill(question.advice, dataset, number)
    if reason.cause == "unsure":
        given, asked = dataset.tier(reason.tier), dataset.tier(question.tier)
        if given.rank < asked.rank and given.unsure_advice:
            return fill(given.unsure_advice, dataset, number).replace("{advice}", advice)
    return advice


def reason_sources(reason: Reason, dataset: Dataset) -> tuple[str, ...]:
    """The source ids a reason cites."""
    if reason.cause == "combination":
        return next(c for c in dataset.triage.combinations if c.id == reason.id).sources
    return dataset.question(reason.id).sources


def caution_text(question_id: str, dataset: Dataset, number: str | None) -> str:
    """What a caution of the check means for the routine (the question's advice)."""
    return fill(dataset.question(question_id).advice, dataset, number)


def caution_effect(question_id: str, dataset: Dataset) -> str:
    """The effect id of a caution question."""
    return dataset.question(question_id).effect or ""


def effect_label(question_id: str, dataset: Dataset) -> str:
    """What a caution does to the routine, in a few words."""
    effect = caution_effect(question_id, dataset)
    try:
        return dataset.effect(effect).label
    except KeyError:
        return effect


# --- the plan ------------------------------------------------------------------------------


def why_text(why: Why, dataset: Dataset) -> str:
    """One reason a point was left out of the plan."""
    if why.kind == "caution":
        return dataset.effect(why.effect).leave_out[why.rule].reason
    if why.kind == "skin":
        return LEFT_OUT_SKIN.format(region=why.region)
    if why.kind == "skipped":
        return LEFT_OUT_SKIPPED
    return LEFT_OUT_BUDGET.format(minutes=f"{why.minutes:g}")


def exclusion_text(exclusion: Exclusion, dataset: Dataset) -> str:
    """Every reason a point was left out, in one line."""
    return "; ".join(why_text(why, dataset) for why in exclusion.why)


def role_label(role: str, dataset: Dataset) -> str:
    """``local (near the pain, painful side)`` and the like."""
    return dataset.role(role).label


# --- progress ------------------------------------------------------------------------------


def _mean(value: float | None) -> str:
    """A mean for people: one decimal, no trailing ``.0``."""
    return f"{value or 0:.1f}".removesuffix(".0")


def progress_message(progress: Progress) -> str:
    """What the progress rule says about the sessions so far."""
    from hipguide import progress as rule

    if progress.status == "too_few":
        return PROGRESS_TOO_FEW.format(needed=rule.MIN_SESSIONS, count=progress.sessions)
    if progress.status == "too_short":
        return PROGRESS_TOO_SHORT.format(days=rule.MIN_SPAN_DAYS, span=int(progress.span_days))
    first, last = _mean(progress.first_mean), _mean(progress.last_mean)
    if progress.status == "improving":
        if progress.first_mean == progress.last_mean == 0:
            return PROGRESS_NO_PAIN
        return PROGRESS_IMPROVING.format(first=first, last=last)
    return PROGRESS_STALLED.format(
        first=first,
        last=last,
        points=rule.MIN_DROP_POINTS,
        share=int(rule.MIN_DROP_SHARE * 100),
        count=progress.sessions,
        span=f"{progress.span_days:.0f}",
    )


# --- dates ---------------------------------------------------------------------------------


#: A recorded time this year, and one from another year (or a clock set wrong).
WHEN = "%a %d %b %H:%M"
WHEN_OTHER_YEAR = "%a %d %b %Y %H:%M"


def when(moment: datetime, now: datetime | None = None) -> str:
    """A recorded time as a person reads it, in local time: ``Mon 03 Mar 09:30``, with
    the year when it is not the year of ``now`` (default: the real clock's):
    ``Mon 03 Mar 2025 09:30``."""
    if now is None:
        from hipguide.clock import SystemClock

        now = SystemClock().now()
    local = moment.astimezone()
    same_year = local.year == now.astimezone().year
    return local.strftime(WHEN if same_year else WHEN_OTHER_YEAR)
