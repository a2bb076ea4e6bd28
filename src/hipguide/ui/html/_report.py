"""What the report for a clinician shows, gathered for its template: totals, the pain
trend, what the guide advised, the check-ins, every check and the latest sessions.

Checks, check-ins and sessions are listed newest first, each with its date (and, for a
check or a session, its time).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hipguide.records import dataclass
from hipguide.ui import text

if TYPE_CHECKING:
    from hipguide.dataset import Dataset
    from hipguide.flows.report import CheckEntry, CheckIn, PainPoint, ReportOutcome
    from hipguide.store import SessionRecord

#: The most rows the checks table holds; older checks are summed up in one line.
CHECK_ROWS = 12
#: The most rows the check-ins table holds: the latest ones, and the first (the one the
#: check-in rule compares the latest with).
CHECKIN_ROWS = 7

# The report's own sentences (the others are in :mod:`hipguide.ui.text`).
REPORT_CHECK_RUN_DAY = "{count} checks on {date}, {first} to {last}"
REPORT_FINDING_DERIVED_BY = {
    "checkins": "Counted as yes from the weekly check-ins (PEG and PGIC): {question}",
    "sessions": "Counted as yes from the pain scores before the sessions: {question}",
}
REPORT_BY = {
    "checkins": "By the weekly check-ins",
    "sessions": "By the pain before the sessions",
}
REPORT_DECIDES = " ({days} days or more apart, so these decide)"
REPORT_FOR_REFERENCE = " (for reference)"
REPORT_COUNTED_NOW = (
    "The red-flag check therefore counts “no better after 4 to 6 weeks of acupressure” "
    "as yes ({verdict})."
)
REPORT_DONE = "Of {count} sessions started: {parts}; {days}."
REPORT_DONE_PARTS = {
    "completed": "{count} completed",
    "early": "{count} ended early",
    "open": "{count} not finished (no end recorded)",
}
REPORT_DAYS = "sessions on {days} of the {span} days from the first to the latest"
REPORT_DAYS_ONE = "all on one day"
REPORT_DAYS_ADVICE = " (the guide advises daily or most days)"
REPORT_RESULT_POINTS = "{result}, {pressed} of {planned} points"
REPORT_RESULT_LIGHTER = "{result}, lighter version"
REPORT_FLARE_NOTE = (
    "{mark} a flare-up: pain before the session 2 or more points above the usual (the "
    "median of the previous five scores); the guide offered a lighter version."
)
REPORT_CHECKINS_OF = (
    "The latest {shown} and the first of {count} check-ins (the rule compares the latest "
    "with the first)."
)
REPORT_NO_CHECKS = "No red-flag check recorded yet."
REPORT_CHECKINS_PARTIAL = "A check-in could not be read: only the first and the latest are shown."


@dataclass(frozen=True)
class CheckRow:
    """One row of the checks table: a check, or a run of checks that found nothing."""

    when: str
    tier: str
    verdict: str
    findings: tuple[str, ...]


def when(moment: datetime) -> str:
    """A date and time for the tables: ``3 Mar 2025, 09:30`` (local time)."""
    return f"{text.short_date(moment)}, {moment.astimezone():%H:%M}"


def _findings(entry: CheckEntry, dataset: Dataset, number: str | None) -> tuple[str, ...]:
    verdict = entry.verdict
    found = []
    for reason in verdict.reasons:
        measure = entry.derived_by.get(reason.id)
        if reason.cause == "derived" and measure is not None:
            question = text.fill(dataset.question(reason.id).text, dataset, number)
            found.append(REPORT_FINDING_DERIVED_BY[measure].format(question=question))
        else:
            found.append(text.report_finding(reason, verdict, dataset, number))
    found += [text.report_note(n, dataset, number) for n in verdict.notes]
    found += [text.report_caution(c, verdict, dataset, number) for c in verdict.cautions]
    return tuple(found)


def _verdict(tier: str, dataset: Dataset) -> str:
    try:
        return f"{dataset.tier(tier).label}: {dataset.tier(tier).headline}"
    except KeyError:
        return tier


def _run_when(group: Sequence[CheckEntry]) -> str:
    """When a run of checks (newest first) was made."""
    newest, oldest = group[0].at, group[-1].at
    if oldest.astimezone().date() == newest.astimezone().date():
        return REPORT_CHECK_RUN_DAY.format(
            count=len(group),
            date=text.short_date(oldest),
            first=f"{oldest.astimezone():%H:%M}",
            last=f"{newest.astimezone():%H:%M}",
        )
    return text.REPORT_CHECK_RUN.format(
        count=len(group), first=text.short_date(oldest), last=text.short_date(newest)
    )


def check_rows(
    entries: tuple[CheckEntry, ...], dataset: Dataset, number: str | None, limit: int = CHECK_ROWS
) -> tuple[list[CheckRow], str]:
    """The checks table, newest first, with runs of checks that found nothing in one row
    each, at most ``limit`` rows; and the line that sums up the oldest ones when they do
    not all fit."""
    rows: list[tuple[list[CheckEntry], tuple[str, ...]]] = []
    for entry in reversed(entries):
        found = _findings(entry, dataset, number)
        previous = rows[-1] if rows else None
        if (
            not found
            and previous is not None
            and not previous[1]
            and previous[0][-1].tier == entry.tier
        ):
            previous[0].append(entry)
        else:
            rows.append(([entry], found))
    earlier = ""
    limit = max(1, limit)
    if len(rows) > limit:
        old = [entry for group, _ in rows[limit:] for entry in group]  # newest first
        tiers = Counter(entry.tier for entry in old)
        earlier = text.REPORT_CHECK_EARLIER.format(
            count=len(old),
            first=text.short_date(old[-1].at),
            last=text.short_date(old[0].at),
            tiers=", ".join(f"{count} {tier}" for tier, count in tiers.most_common()),
        )
        rows = rows[:limit]
    table = [
        CheckRow(
            when=when(group[0].at) if len(group) == 1 else _run_when(group),
            tier=group[0].tier,
            verdict=_verdict(group[0].tier, dataset),
            findings=found or (text.REPORT_CHECK_CLEAR,),
        )
        for group, found in rows
    ]
    return table, earlier


def _planned_points(session: SessionRecord) -> int | None:
    """How many points the session's plan held (None when the plan does not say)."""
    steps = session.plan.get("steps")
    if not isinstance(steps, list):
        return None
    points = {step.get("point") for step in steps if isinstance(step, dict)}
    points.discard(None)
    return len(points) or None


def _result(session: SessionRecord) -> str:
    if session.completed:
        result = text.REPORT_RESULT["completed"]
    else:
        result = text.REPORT_RESULT["early" if session.ended_at is not None else "open"]
    planned = _planned_points(session)
    if session.ended_at is not None and planned is not None and len(session.points) < planned:
        result = REPORT_RESULT_POINTS.format(
            result=result, pressed=len(session.points), planned=planned
        )
    if session.plan.get("flare") is True:
        result = REPORT_RESULT_LIGHTER.format(result=result)
    return result


def _score(value: int | None) -> str:
    return "–" if value is None else str(value)


def session_rows(sessions: tuple[SessionRecord, ...]) -> list[dict[str, str]]:
    """The latest sessions, newest first, as the table shows them (a flare-up marked as
    ``history`` marks it: ``8! → –``)."""
    return [
        {
            "when": when(s.started_at),
            "minutes": "–" if s.minutes is None else f"{s.minutes:g}",
            "points": " ".join(s.points) or "–",
            "pain": (
                f"{_score(s.pain_before)}{text.FLARE_MARK if s.flare else ''} → "
                f"{_score(s.pain_after)}"
            ),
            "result": _result(s),
        }
        for s in reversed(sessions)
    ]


def checkin_rows(checkins: Sequence[CheckIn], dataset: Dataset) -> tuple[list[dict[str, Any]], str]:
    """The check-ins, newest first: the latest ones and the first, with the line that
    says so when some between are left out."""
    from hipguide.progress import peg_mean

    shown = list(checkins)
    more = ""
    if len(shown) > CHECKIN_ROWS:
        more = REPORT_CHECKINS_OF.format(shown=CHECKIN_ROWS - 1, count=len(shown))
        shown = [shown[0], *shown[len(shown) - CHECKIN_ROWS + 1 :]]
    rows = [
        {
            "date": text.short_date(c.at),
            "peg": c.peg,
            "mean": text.score(float(peg_mean(c.peg))),
            "pgic": f"{c.pgic}, {text.pgic_label(c.pgic, dataset).lower()}",
        }
        for c in reversed(shown)
    ]
    return rows, more


def advice(outcome: ReportOutcome, dataset: Dataset) -> tuple[list[dict[str, Any]], bool]:
    """What the guide advised, a paragraph per measure, the one that decides first (as
    ``history`` shows it), and whether it advised a professional assessment."""
    from hipguide import progress as rule

    progress, by_checkins = outcome.progress, outcome.by_checkins
    sessions = {"measure": "sessions", "text": text.progress_message(progress), "label": ""}
    if by_checkins is None:
        parts = [sessions]
    else:
        checkins = {
            "measure": "checkins",
            "text": text.checkin_message(by_checkins, dataset),
            "label": REPORT_BY["checkins"],
        }
        if outcome.decided_by == "checkins":
            checkins["label"] += REPORT_DECIDES.format(days=rule.CHECKIN_MIN_DAYS)
            sessions["label"] = REPORT_BY["sessions"] + REPORT_FOR_REFERENCE
            parts = [checkins, sessions]
        else:
            sessions["label"] = REPORT_BY["sessions"]
            parts = [sessions, checkins]
    if outcome.derived_now is not None:
        counted = REPORT_COUNTED_NOW.format(verdict=_verdict(_derived_tier(dataset), dataset))
        for part in parts:
            if part["measure"] == outcome.derived_now:
                part["text"] += " " + counted
    stalled = (
        by_checkins.stalled
        if outcome.decided_by == "checkins" and by_checkins
        else progress.stalled
    )
    return parts, stalled


def _derived_tier(dataset: Dataset) -> str:
    try:
        return dataset.question("no_improvement").tier
    except KeyError:
        return "soon"


def _days(timeline: Sequence[PainPoint]) -> str:
    """On how many days of the span there was a session (local dates)."""
    dates = {point.started_at.astimezone().date() for point in timeline}
    span = (max(dates) - min(dates)).days + 1
    if span == 1:
        return REPORT_DAYS_ONE
    return REPORT_DAYS.format(days=len(dates), span=span) + REPORT_DAYS_ADVICE


def done_line(outcome: ReportOutcome) -> str:
    """How many of the sessions started ran to the end of their plan, ended early, or
    have no end; and on how many days they fell."""
    totals = outcome.totals
    if outcome.planned is not None:
        return text.REPORT_PLANNED.format(done=totals.completed, planned=outcome.planned)
    if not totals.count or not outcome.timeline:
        return ""
    counts = {
        "completed": totals.completed,
        "early": totals.ended_early,
        "open": totals.count - totals.completed - totals.ended_early,
    }
    parts = [REPORT_DONE_PARTS[key].format(count=n) for key, n in counts.items() if n]
    return REPORT_DONE.format(
        count=totals.count, parts=", ".join(parts), days=_days(outcome.timeline)
    )


def report_context(
    outcome: ReportOutcome, dataset: Dataset, number: str | None, name: str | None
) -> dict[str, Any]:
    """Everything the report template shows."""
    from hipguide import __version__
    from hipguide.ui.html._chart import pain_chart

    progress = outcome.progress
    timeline = outcome.timeline
    chart = pain_chart(timeline)
    if chart is None:
        chart_note = text.REPORT_TREND_NONE
    elif chart.span_days:
        chart_note = text.REPORT_TREND_BINNED.format(count=chart.sessions, days=chart.span_days)
    else:
        chart_note = text.REPORT_TREND_ALL.format(count=chart.sessions)
    means = ""
    if progress.first_mean is not None and progress.last_mean is not None:
        means = text.REPORT_MEANS.format(
            first=text.mean(progress.first_mean), last=text.mean(progress.last_mean)
        )
    totals = outcome.totals
    checkins, checkins_more = checkin_rows(outcome.checkins, dataset)
    if outcome.checkins_partial:
        checkins_more = REPORT_CHECKINS_PARTIAL
    parts, stalled = advice(outcome, dataset)
    sessions = session_rows(outcome.recent)
    labels = text.REPORT_TOTAL_LABELS
    context: dict[str, Any] = {
        "name": name,
        "made": text.REPORT_MADE.format(date=text.date(outcome.made_at)),
        "span": (
            text.REPORT_SPAN.format(
                first=text.short_date(timeline[0].started_at),
                last=text.short_date(timeline[-1].started_at),
            )
            if timeline
            else text.REPORT_NO_SESSIONS
        ),
        "totals": [
            (str(totals.count), labels["count"]),
            (str(totals.completed), labels["completed"]),
            (str(totals.ended_early), labels["ended_early"]),
            (f"{totals.minutes:.0f}", labels["minutes"]),
            (str(len(outcome.checks)), labels["checks"]),
        ],
        "planned": done_line(outcome),
        "chart": chart,
        "chart_note": chart_note,
        "means": means,
        # one text for the page's height estimate; the parts for the page
        "advice": " ".join(
            f"{p['label']}: {p['text']}" if p["label"] else p["text"] for p in parts
        ),
        "advice_parts": parts,
        "stalled": stalled,
        "checkins": checkins,
        "checkins_more": checkins_more,
        "no_checks": REPORT_NO_CHECKS,
        "sessions": sessions,
        "flare_note": (
            REPORT_FLARE_NOTE.format(mark=text.FLARE_MARK)
            if any(s.flare for s in outcome.recent)
            else ""
        ),
        "sessions_title": (
            text.REPORT_SESSIONS_OF.format(shown=len(outcome.recent), count=totals.count)
            if totals.count > len(outcome.recent)
            else text.REPORT_SESSIONS
        ),
        "skipped": text.REPORT_SKIPPED.format(count=outcome.skipped) if outcome.skipped else "",
        "footer": text.REPORT_FOOTER.format(version=__version__, date=text.date(outcome.made_at)),
    }
    _fit_checks(context, outcome.checks, dataset, number)
    return context


def _fit_checks(
    context: dict[str, Any], entries: tuple[CheckEntry, ...], dataset: Dataset, number: str | None
) -> None:
    """Put in ``context`` the most check rows (up to :data:`CHECK_ROWS`) with which the
    page still fits one page at the scale it is drawn at, the oldest summed up in one
    line; and that height and scale."""
    from hipguide.ui.html._fit import PAGE_MM, report_height, report_scale

    limit = CHECK_ROWS
    while True:
        context["checks"], context["checks_earlier"] = check_rows(entries, dataset, number, limit)
        context["estimate"] = report_height(context)
        context["scale"] = report_scale(context)
        if context["estimate"] * context["scale"] <= PAGE_MM or len(context["checks"]) <= 1:
            return
        limit = len(context["checks"]) - 1
