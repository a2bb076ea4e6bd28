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
    from collections.abc import Sequence

    from hipguide.dataset import Dataset
    from hipguide.flows.remind import RemindOutcome
    from hipguide.models import Method, Point
    from hipguide.planner import AppliedCap, Exclusion, Plan, Step, Why
    from hipguide.progress import CheckinProgress, FlareCheck, Progress
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
LEFT_OUT_LYING = "it is pressed lying on the side or front, which you said you cannot do"
LEFT_OUT_FEET = "it needs the foot brought up within reach, which you said is hard"
PRESSED_STANDING = "Pressed standing, since you cannot lie down: {points}"
LEAN_LIGHTLY = "As the pressure here is light, lean back only a little, not with your full weight."
CAP = "at most {max} pressure on {points}"
CAP_EVERY_POINT = "every point"
CAP_POINTS = {
    ("pregnancy", "caution"): "points marked for care in pregnancy",
    ("pregnancy", "avoid"): "points avoided in pregnancy",
    ("depth", "deep"): "deep points",
    ("depth", "superficial"): "points near the surface",
}

POINTS_FOR_REGION = "Points for the {region} region"
POINTS_FOR_CONDITION = "Points used for {condition}"
POINTS_FOR_USE = "Points used for {use}"
REGION_ORDER = (
    "First the points that lie in the {region} region, then those pressed elsewhere for it."
)
CONDITION_ORDER = (
    "In the order the {condition} routine uses them; 'hipguide conditions {id}' says more."
)
POINTS_MATCHING = "{count} points match '{query}'"
ONE_POINT_HINT = "Give a code (e.g. 'hipguide points GB30') to see one point."

PROGRESS_TOO_FEW = (
    "Progress is judged after {needed} sessions with a pain score before pressing; {count} so far."
)
PROGRESS_TOO_SHORT = (
    "Progress is judged over at least {days} days; these sessions span {span} so far."
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
    from hipguide.progress import CheckinProgress, Progress

    if isinstance(why, Progress):
        return progress_message(why)
    if isinstance(why, CheckinProgress):
        return checkin_message(why)
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
    """What a caution of the check means: what it does to the routine (its effect's
    label, made a sentence), then what to watch for (the question's advice)."""
    advice = fill(dataset.question(question_id).advice, dataset, number)
    try:
        label = dataset.effect(caution_effect(question_id, dataset)).label
    except KeyError:
        return advice
    return f"{sentence(label)} {advice}"


def sentence(words: str) -> str:
    """``words`` as a sentence: a capital first letter and a full stop at the end."""
    words = words.strip()
    if not words:
        return words
    end = "" if words.endswith((".", "!", "?")) else "."
    return f"{words[:1].upper()}{words[1:]}{end}"


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


# --- looking points up ---------------------------------------------------------------------


def _in_a_sentence(name: str) -> str:
    """A name as it reads inside a sentence: ``Sciatica`` gives ``sciatica``, ``SI joint``
    stays as it is."""
    if name[:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def plain_word_title(kind: str, matched: str, dataset: Dataset) -> str:
    """The title of the points a plain word found: its region, condition or use."""
    if kind == "region":
        return POINTS_FOR_REGION.format(region=dataset.region(matched).name)
    if kind == "condition":
        name = _in_a_sentence(dataset.condition(matched).name)
        return POINTS_FOR_CONDITION.format(condition=name)
    return POINTS_FOR_USE.format(use=matched)


def plain_word_order(kind: str, matched: str, points: Sequence[Point], dataset: Dataset) -> str:
    """How the points a plain word found are ordered ("" when there is nothing to say)."""
    if kind == "region":
        if all(point.region == matched for point in points):
            return ""
        return REGION_ORDER.format(region=dataset.region(matched).name)
    if kind == "condition":
        name = _in_a_sentence(dataset.condition(matched).name)
        return CONDITION_ORDER.format(condition=name, id=matched)
    return ""


# --- the plan ------------------------------------------------------------------------------


def why_text(why: Why, dataset: Dataset) -> str:
    """One reason a point was left out of the plan."""
    if why.kind == "caution":
        return dataset.effect(why.effect).leave_out[why.rule].reason
    if why.kind == "skin":
        return LEFT_OUT_SKIN.format(region=why.region)
    if why.kind == "skipped":
        return LEFT_OUT_SKIPPED
    if why.kind == "lying":
        return LEFT_OUT_LYING
    if why.kind == "feet":
        return LEFT_OUT_FEET
    return LEFT_OUT_BUDGET.format(minutes=f"{why.minutes:g}")


def standing_way(point: Point, step: Step) -> Method | None:
    """The standing or seated way this press uses, when the plan presses it so
    (``step.instead``) and the point has one."""
    if step.instead and point.reach is not None:
        return point.reach.instead
    return None


def find_words(point: Point, step: Step, *, short: bool = False) -> str:
    """How to find the point for this press: the standing or seated way when it uses one
    (:func:`standing_way`), else its own (``short``: the brief form, if any)."""
    way = standing_way(point, step)
    if way is not None:
        return way.find
    return (point.location.short if short else "") or point.location.self_find


def method_words(point: Point, step: Step) -> str:
    """How to press the point for this press: the standing or seated way when it uses
    one, else its own. A standing way leans the body's weight into a ball, so under a
    cap to light pressure it says to lean only a little."""
    way = standing_way(point, step)
    if way is not None:
        return f"{way.method} {LEAN_LIGHTLY}" if step.pressure == "light" else way.method
    return point.technique.method


def pressed_standing(codes: Sequence[str]) -> str:
    """The points pressed a standing way instead of lying down, in one line."""
    return PRESSED_STANDING.format(points=", ".join(codes))


#: What set a pressure cap, in the plan's "Pressure" list: the check's cautions by id
#: (a caution a dataset adds is named by what it does), the verdict and a flare-up.
CAP_SOURCES = {
    "pregnant": "pregnancy, or a chance of it",
    "anticoagulant": "blood thinners, a bleeding disorder or easy bruising",
    "older_or_fragile": "age 65 or over, or thin bones",
}
CAP_SOURCE_TIER = "the check's advice: {headline}"
CAP_SOURCE_FLARE = "a flare-up"
CAP_LINE = "{cap} ({points}), for {sources}"
CAP_HEADING = "Pressure (the strictest limit wins):"


def cap_source(source: str, dataset: Dataset) -> str:
    """What set a cap, in a few words: a caution, the verdict's tier or a flare-up."""
    from hipguide.planner import FLARE_CAP

    if source == FLARE_CAP:
        return CAP_SOURCE_FLARE
    if source in CAP_SOURCES:
        return CAP_SOURCES[source]
    try:
        return CAP_SOURCE_TIER.format(headline=dataset.tier(source).headline.lower())
    except KeyError:
        pass
    try:
        return dataset.effect(caution_effect(source, dataset)).label
    except KeyError:
        return source


def cap_lines(plan: Plan, dataset: Dataset) -> list[str]:
    """The plan's pressure caps, one line for each limit that decides a pressure, in the
    order they were set, each with the points it decides and what set it. A cap decides
    a point's pressure when it lowered the point to its own most (a stricter cap that
    lowered it further decides it instead); a cap that decides none, or that one as
    strict covers wholly (on every point, or on the same points), is not listed (the
    plan's JSON keeps every cap). Caps that say the same are one line naming each source."""
    pressures = dataset.rules.pressures
    pressed = {step.point: step.pressure for step in plan.steps}

    def rank(cap: AppliedCap) -> tuple[int, bool]:  # stricter first, every point first
        level = pressures.index(cap.max) if cap.max in pressures else len(pressures)
        return level, cap.where is not None

    def covered(cap: AppliedCap) -> bool:
        return any(
            (other.where is None or other.where == cap.where) and rank(other) < rank(cap)
            for other in plan.caps
        )

    lines: dict[tuple[str, str], list[str]] = {}  # (what it says, points) -> its sources
    for cap in plan.caps:
        decided = [code for code in cap.lowered if pressed.get(code) == cap.max]
        if not decided or covered(cap):
            continue
        sources = lines.setdefault((cap_text(cap), ", ".join(decided)), [])
        if cap.source not in sources:
            sources.append(cap.source)
    return [
        CAP_LINE.format(
            cap=said, points=points, sources="; ".join(cap_source(s, dataset) for s in sources)
        )
        for (said, points), sources in lines.items()
    ]


def cap_text(cap: AppliedCap) -> str:
    """``at most light pressure on deep points``."""
    where = cap.where
    if where is None or not (where.pregnancy or where.depth):
        points = CAP_EVERY_POINT
    else:
        named = [CAP_POINTS.get(("pregnancy", v), v) for v in where.pregnancy]
        named += [CAP_POINTS.get(("depth", v), v) for v in where.depth]
        points = " and ".join(named)
    return CAP.format(max=cap.max, points=points)


def cap_reason(cap: AppliedCap, dataset: Dataset, number: str | None) -> str:
    """Why a cap is there: the caution's advice, the tier's reason, or the flare-up."""
    from hipguide.planner import FLARE_CAP

    if cap.source == FLARE_CAP:
        return sentence(dataset.rules.flare.label)
    try:
        return fill(dataset.tier(cap.source).cap_reason, dataset, number)
    except KeyError:
        return caution_text(cap.source, dataset, number)


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
        return PROGRESS_TOO_SHORT.format(
            days=rule.MIN_SPAN_DAYS, span=counted(int(progress.span_days), "day")
        )
    first, last = _mean(progress.first_mean), _mean(progress.last_mean)
    if progress.status == "improving":
        if progress.first_mean == progress.last_mean == 0:
            return PROGRESS_NO_PAIN
        return PROGRESS_IMPROVING.format(first=first, last=last)
    return PROGRESS_STALLED.format(
        first=first,
        last=last,
        points=rule.MIN_DROP_POINTS,
        share=rule.MIN_DROP_PERCENT,
        count=f"{progress.sessions:,}",
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


def date(moment: datetime) -> str:
    """A date for a printed page, always with the year, in local time: ``Mon 3 Mar 2025``."""
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y}"


def short_date(moment: datetime) -> str:
    """A date with the year and no weekday, for tables and chart axes: ``3 Mar 2025``."""
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y}"


def date_time(moment: datetime) -> str:
    """A date and time for a printed page: ``Mon 3 Mar 2025, 09:30``."""
    return f"{date(moment)}, {moment.astimezone():%H:%M}"


def duration(seconds: float) -> str:
    """A length of time for people: ``45 s``, ``7 min``, ``7 min 25 s``."""
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


# --- the printed routine card (hipguide card) ----------------------------------------------

CARD_TITLE = "Your acupressure routine for hip pain"
CARD_FOR = "For {name}"
CARD_MADE = "Made on {date}"
CARD_SUMMARY = "{areas} · {side} · {presses} · about {duration}"
CARD_SIDE = {"left": "left side", "right": "right side", "both": "both sides"}
CARD_CHECK = "Rests on the red-flag check of {when}{reused}: {verdict}."
CARD_CHECK_REUSED = " (a check from the last 24 hours)"
CARD_CHECK_AGAIN = "Check again (hipguide check) if the pain changes, and after a week."
CARD_STEPS = "The routine, in order"
CARD_PACE = (
    "Rest {rest} between points, change sides within {switch}. Press steadily, breathe "
    "slowly, and ease off if it hurts more than a dull ache."
)
CARD_SHAPED = "Adjusted for you"
CARD_LEFT_OUT = "Left out: {points} ({reason})."
CARD_DOSE = "{seconds} s{each} · {pressure} pressure"
CARD_EACH = " each"
CARD_FIND_IT = "Find it:"
CARD_STOP = "Stop and get help"
CARD_STOP_PRESSING = "Stop pressing"
CARD_STOP_CALL = "Call {emergency} at once if the answer to any of these is yes:"
CARD_TOO_HARD = "If you pressed too hard"
CARD_FOOTER = (
    "Made with hipguide {version}. Self-care guidance, not a diagnosis: it does not replace a "
    "doctor, nurse or physiotherapist."
)
CARD_WRITTEN = "Card written to {path}. It prints on one A4 or Letter page."
CARD_NOT_MADE_REFUSED = "No card was made: please get help first."
CARD_NOT_MADE_DECLINED = (
    "No card was made. Book the appointment. A gentle routine meanwhile is yours to choose: "
    "run this again and say yes (--accept-risk with --no-input)."
)
CARD_PICTURE = "Picture: {orientation}."


def card_areas(area_ids: tuple[str, ...], dataset: Dataset) -> str:
    """The painful areas of a routine, by their names: "Outer hip and buttock"."""
    names = [dataset.area(area).name for area in area_ids]
    names[1:] = [name[:1].lower() + name[1:] for name in names[1:]]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


# --- the summary for a clinician (hipguide report) -----------------------------------------

REPORT_TITLE = "Acupressure self-care: summary for a clinician"
REPORT_FOR = "Patient: {name}"
REPORT_MADE = "Prepared on {date}"
REPORT_SPAN = "Sessions recorded from {first} to {last}."
REPORT_NO_SESSIONS = "No sessions recorded yet."
REPORT_ABOUT = (
    "Recorded by the patient with hipguide, a self-care acupressure guide with a red-flag "
    "check. Pain is self-rated from 0 (none) to 10 (worst) before and after each session. "
    "This is a record of self-care, not a clinical assessment."
)
REPORT_TOTAL_LABELS = {
    "count": "sessions",
    "completed": "completed",
    "ended_early": "ended early",
    "minutes": "minutes in all",
    "checks": "red-flag checks",
}
#: The same, for a total of one.
REPORT_TOTAL_LABEL_ONE = {
    "count": "session",
    "minutes": "minute in all",
    "checks": "red-flag check",
}
REPORT_PLANNED = "{done} of {planned} planned sessions done"
REPORT_TREND = "Pain before and after each session"
REPORT_TREND_KEY_BEFORE = "before the session"
REPORT_TREND_KEY_AFTER = "after the session"
REPORT_TREND_SCALE = "Pain 0 (none) to 10 (worst)."
REPORT_TREND_ALL = "All {count} sessions with a pain score."
REPORT_TREND_ONE = "The one session with a pain score."
REPORT_TREND_BINNED = (
    "All {count} sessions with a pain score, as means over {days}-day spans (one mark a span)."
)
REPORT_TREND_NONE = "No session has a pain score yet."
REPORT_MEANS = "Mean pain before a session: {first} in the first three, {last} in the latest three."
REPORT_ADVICE = "What the guide advised"
# What the guide advised, told to the clinician (``history`` tells the patient)
REPORT_PROGRESS_IMPROVING = (
    "Pain before pressing eased from {first} to {last} on average (the first three sessions "
    "against the latest three). The guide advised the patient to see a GP if it comes back "
    "or gets worse."
)
REPORT_PROGRESS_STALLED = (
    "Pain before pressing was {first} on average at the start and {last} lately: less than "
    "{points} points or {share} % lower after {count} sessions over {span} days. The guide "
    "advised the patient that acupressure alone is not easing it enough, and to ask a GP or "
    "physiotherapist to assess the hip."
)
REPORT_CHECKIN_FIRST = (
    "One check-in so far; the next ones are compared with it. Whether pressing helps is "
    "judged once two check-ins are {days} days or more apart."
)
REPORT_CHECKIN_TOO_SHORT = (
    "Whether pressing helps is judged once two check-ins are {days} days or more apart; "
    "the first and the latest are {span} apart."
)
REPORT_CHECKIN_NO_PAIN = "No pain at the first check-in or the latest: nothing to judge."
REPORT_CHECKIN_HELPING = (
    "The PEG score (the mean of its three items) went from {first} at the first check-in "
    "to {latest} at the latest, {share} % lower: pressing seems to be helping. The guide "
    "advised the patient to keep going, and to see a GP if the pain comes back or gets worse."
)
REPORT_CHECKIN_STALLED_PEG = (
    "The PEG score was {first} at the first check-in and {latest} at the latest, {days} "
    "days later: less than {needed} % lower."
)
REPORT_CHECKIN_STALLED_PGIC = "Since starting, the patient rates things as: {label}."
REPORT_CHECKIN_STALLED_ADVICE = (
    "The guide advised the patient that acupressure alone is not making enough of a "
    "difference, and to ask a GP or physiotherapist to assess the hip."
)
REPORT_CHECKINS = "Weekly check-ins"
REPORT_CHECKIN_COLUMNS = (
    "Date",
    "Average pain",
    "Enjoyment of life",
    "General activity",
    "PEG mean",
    "Change (PGIC 1-7)",
)
REPORT_CHECKIN_NOTE = (
    "PEG: three 0-10 ratings over the past week. PGIC: 1 very much improved, 4 no change, "
    "7 very much worse."
)
REPORT_CHECKS = "Red-flag checks"
REPORT_CHECK_COLUMNS = ("Date", "Verdict", "Findings")
REPORT_CHECK_CLEAR = "no warning sign"
REPORT_FINDINGS_MORE = "and {count} more findings ('hipguide history --json' lists every answer)"
REPORT_CHECK_RUN = "{count} checks from {first} to {last}"
REPORT_CHECK_EARLIER = "{count} earlier checks from {first} to {last}: {tiers}."
REPORT_FINDING_YES = "Yes: {question}"
REPORT_FINDING_UNSURE = "Not sure: {question}"
REPORT_FINDING_DERIVED = "Counted as yes from the session history: {question}"
REPORT_FINDING_COMBINATION = "Combination: {text}"
REPORT_FINDING_CAUTION = "Caution ({answer}): {question}"
REPORT_FINDING_NOTE = "Examined since; not counted on its own: {question}"
REPORT_SESSIONS = "Latest sessions"
REPORT_SESSIONS_OF = "Latest {shown} of {count} sessions"
REPORT_SESSION_COLUMNS = ("Date", "Minutes", "Points", "Pain before → after", "Result")
REPORT_RESULT = {"completed": "completed", "early": "ended early", "open": "not finished"}
REPORT_SKIPPED = (
    "Not shown, as the history holds them in a form hipguide cannot read: {parts}. The "
    "totals above count every record, these included."
)
REPORT_SKIPPED_PARTS = {
    "checks": "{count} red-flag check{s}",
    "sessions": "{count} of the latest sessions",
    "unplotted": "{count} session{s} from the pain chart and its means (a date or pain score)",
    "checkins": "a weekly check-in (so only the first and the latest are listed)",
}
REPORT_SOURCES = "Sources. {parts}"
REPORT_SOURCE_PARTS = {
    "peg": "The PEG: {titles}.",
    "pgic": "The PGIC: {titles}.",
    "change": "A fall of {share} % as a moderately important change: {titles}.",
}
REPORT_FOOTER = "Made with hipguide {version} on {date}."
REPORT_WRITTEN = "Report written to {path}. It prints on one A4 or Letter page."


def report_finding(reason: Reason, verdict: Verdict, dataset: Dataset, number: str | None) -> str:
    """What a check found, in plain clinical words: the answer and the question asked."""
    if reason.cause == "combination":
        combo = next(c for c in dataset.triage.combinations if c.id == reason.id)
        return REPORT_FINDING_COMBINATION.format(text=fill(combo.text, dataset, number))
    question = fill(dataset.question(reason.id).text, dataset, number)
    if reason.cause == "derived":
        return REPORT_FINDING_DERIVED.format(question=question)
    template = REPORT_FINDING_YES if reason.cause == "yes" else REPORT_FINDING_UNSURE
    return template.format(question=question)


def report_caution(question_id: str, verdict: Verdict, dataset: Dataset, number: str | None) -> str:
    """A caution a check found, with the answer given."""
    answer = "not sure" if verdict.answers.get(question_id) == "unsure" else "yes"
    question = fill(dataset.question(question_id).text, dataset, number)
    return REPORT_FINDING_CAUTION.format(answer=answer, question=question)


def report_note(question_id: str, dataset: Dataset, number: str | None) -> str:
    """A background answer that did not count on its own (a professional has examined)."""
    question = fill(dataset.question(question_id).text, dataset, number)
    return REPORT_FINDING_NOTE.format(question=question)


def mean(value: float | None) -> str:
    """A mean for people: one decimal, no trailing ``.0``."""
    return _mean(value)


# --- the course: check-ins, flare-ups, reminders ---------------------------------------------

CHECKIN_OFFER = (
    "Your last check-in was on {when}, a week or more ago. Do this week's check-in now "
    "(four short questions)?"
)
CHECKIN_RECORDED = (
    "Check-in recorded: PEG {peg} (mean {mean}), impression of change {pgic} ({label})."
)
CHECKIN_NOT_RECORDED = "Check-in not recorded (see the warning above): PEG {peg}, PGIC {pgic}."
CHECKIN_FIRST = (
    "This is your first check-in: the next ones are compared with it. Whether pressing "
    "helps is judged once two check-ins are {days} days or more apart."
)
CHECKIN_TOO_SHORT = (
    "Whether pressing helps is judged once two check-ins are {days} days or more apart; "
    "yours span {span} so far."
)
CHECKIN_NO_PAIN = "No pain in your first check-in or your latest: nothing to judge."
CHECKIN_HELPING = (
    "Your PEG score (the mean of its three items) has gone from {first} at your first "
    "check-in to {latest} now, {share} % lower: pressing seems to be helping. Keep going, "
    "and see a GP if the pain comes back or gets worse."
)
CHECKIN_STALLED_PEG = (
    "Your PEG score was {first} at your first check-in and is {latest} now, {days} days "
    "later: less than {needed} % lower."
)
CHECKIN_STALLED_PGIC = "You said that since you started, things are: {label}."
CHECKIN_STALLED_ADVICE = (
    "Acupressure alone is not making enough of a difference; ask a GP or physiotherapist "
    "to assess the hip."
)
PGIC_BY_NUMBER = "{value} on the 1 to 7 scale, where 4 is no change"
CHECKIN_MEASURES = "Measures: {citation}"

TAKE_LIGHTER = "Take the lighter version today (every press light and about half as long)?"
FLARE_FOUND = (
    "Your pain now ({pain}) is {above} points above your usual ({usual}, the middle of your "
    "last {scores} scores before pressing): this looks like a flare-up."
)
LIGHTER_TAKEN = "The lighter version: {label}."
LIGHTER_BY_DEFAULT = (
    "No one to ask, so the lighter version is taken (--no-flare-plan keeps the usual one)."
)
LIGHTER_DECLINED = "The usual routine, as you chose: press gently, and stop if it hurts more."
FLARE_MARK = "!"
FLARE_NOTE = "! a flare-up: pain before pressing 2 or more points above your usual"
PEG_TREND = "PEG by check-in"
PAIN_TREND_SHORT = "Pain (o before, x after)"
PAIN_TREND = "Pain trend (o before, x after each session, oldest on the left)"
NO_HISTORY = "No history yet. Start with 'hipguide check' or 'hipguide routine'."


def _span(days: float) -> str:
    if days < 1:
        return f"{days * 24:.1f} hours"
    return f"{days:.1f} days" if days < 10 else f"{days:.0f} days"


def pain_trend_averaged(sessions: int, days: float, short: bool = False) -> str:
    """The title of a trend whose columns are means over spans of ``days`` (``short``:
    for the narrower chart beside the PEG trend)."""
    if short:
        return f"Pain, means per {_span(days)} (o before, x after)"
    return f"Pain trend of all {sessions:,} sessions (means per {_span(days)}: o before, x after)"


def more_shown(what: str, shown: int, total: int) -> str:
    """The line under a table that shows only the latest entries."""
    return f"The latest {shown} of {total:,} {what}; 'hipguide history --all' lists every one."


CALENDAR_NAME = "hipguide course"
SESSION_SUMMARY = "hipguide routine: press the points"
SESSION_DESCRIPTION = (
    "Time for today's acupressure session: run 'hipguide routine'. It checks the warning "
    "signs first. Stop and get help if a warning sign appears."
)
SESSION_ALARM = "hipguide routine in {minutes} minutes"
CHECKIN_SUMMARY = "hipguide checkin: the weekly check-in"
CHECKIN_DESCRIPTION = (
    "Run 'hipguide checkin': three 0-10 questions about the past week (the PEG) and one about "
    "how things have changed since you started (the PGIC). They show whether pressing helps."
)
REASSESS_SUMMARY = "hipguide: is pressing helping? Time to reassess"
REASSESS_DESCRIPTION = (
    "It is {weeks} weeks since the first session of your course. Run 'hipguide checkin' "
    "and 'hipguide history' to see whether your pain and what it stops you doing have "
    "eased (by about 30 % or more). If nothing has changed, or it is worse, book an "
    "appointment with a GP or a physiotherapist to have the hip assessed, and run "
    "'hipguide check' again. Get help at once if a warning sign appears."
)
NO_TIMEZONE = (
    "The local time zone could not be found, so the calendar's times are in UTC "
    "(give --timezone, e.g. --timezone Europe/London, to set it)."
)
CALENDAR_WRITTEN = (
    "Calendar written to {path}: {sessions}, {checkins} and a reassessment on {reassess}."
)
CALENDAR_SESSIONS = "sessions {days} at {at} ({zone}) for {weeks} from {start}"
CALENDAR_CHECKINS = "a weekly check-in on {day}s"
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def checkin_offer(latest: datetime) -> str:
    """The question after a routine: do the weekly check-in now?"""
    return CHECKIN_OFFER.format(when=when(latest))


def score(value: float | None) -> str:
    """A PEG mean or a median for people: one decimal, no trailing ``.0``."""
    return _mean(value)


def pgic_label(value: int, dataset: Dataset | None = None) -> str:
    """The words of a PGIC answer: the dataset's label, or its number on the scale."""
    if dataset is not None:
        for choice in dataset.rules.checkin.pgic.choices:
            if choice.value == value:
                return choice.label
    return PGIC_BY_NUMBER.format(value=value)


def checkin_message(progress: CheckinProgress, dataset: Dataset | None = None) -> str:
    """What the check-in rule says about the first and the latest check-in."""
    from hipguide import progress as rule

    if progress.status == "too_few":
        return CHECKIN_FIRST.format(days=rule.CHECKIN_MIN_DAYS)
    if progress.status == "too_short":
        return CHECKIN_TOO_SHORT.format(
            days=rule.CHECKIN_MIN_DAYS, span=counted(int(progress.span_days), "day")
        )
    if progress.status == "no_pain":
        return CHECKIN_NO_PAIN
    first, latest = _mean(progress.first_mean), _mean(progress.latest_mean)
    if progress.status == "helping":
        share = round((progress.drop_share or 0) * 100)
        return CHECKIN_HELPING.format(first=first, latest=latest, share=share)
    parts = []
    if "peg" in progress.why:
        parts.append(
            CHECKIN_STALLED_PEG.format(
                first=first,
                latest=latest,
                days=int(progress.span_days),
                needed=rule.CHECKIN_DROP_PERCENT,
            )
        )
    if "pgic" in progress.why and progress.latest_pgic is not None:
        label = pgic_label(progress.latest_pgic, dataset)
        parts.append(CHECKIN_STALLED_PGIC.format(label=label.lower() if dataset else label))
    parts.append(CHECKIN_STALLED_ADVICE)
    return " ".join(parts)


def measures_line(dataset: Dataset) -> str:
    """The check-in's measures and the source of the 30 %, in one line."""
    return CHECKIN_MEASURES.format(citation=dataset.rules.checkin.citation)


def flare_found(check: FlareCheck) -> str:
    """Why the pain now counts as a flare-up."""
    usual = check.usual or 0.0
    above = (check.pain or 0) - usual
    return FLARE_FOUND.format(
        pain=check.pain, above=_mean(above), usual=_mean(usual), scores=check.scores
    )


def counted(number: int, word: str, plural: str | None = None) -> str:
    """``1 week``, ``2 weeks``: a number and its noun, in the singular for one."""
    return f"{number:,} {word if number == 1 else plural or word + 's'}"


def calendar_written(outcome: RemindOutcome, path: str) -> str:
    """What the calendar file holds, in one line."""
    schedule = outcome.schedule
    if schedule.daily:
        days = "daily"
    else:
        days = "on " + ", ".join(DAY_NAMES[day] + "s" for day in schedule.days)
    sessions = CALENDAR_SESSIONS.format(
        days=days,
        at=schedule.at.strftime("%H:%M"),
        zone=outcome.zone,
        weeks=counted(schedule.weeks, "week"),
        start=schedule.start.strftime("%a %d %b %Y"),
    )
    checkin_day = WEEKDAY_CODES[schedule.first_checkin.weekday()]
    checkins = CALENDAR_CHECKINS.format(day=DAY_NAMES[checkin_day])
    return CALENDAR_WRITTEN.format(
        path=path,
        sessions=sessions,
        checkins=checkins,
        reassess=schedule.reassess.strftime("%a %d %b %Y"),
    )
