"""What the report for a clinician shows, gathered for its template: totals, the pain
trend, what the guide advised, the check-ins, the checks (the latest, the earlier ones
summed up in a line when they do not all fit) and the latest sessions, what could not be
read, and the sources of the measures.

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
    from hipguide.progress import CheckinProgress, Progress
    from hipguide.store import SessionRecord

#: The most rows the checks table holds; older checks are summed up in one line.
CHECK_ROWS = 12
#: The most findings one check lists; more are counted in a line of their own, so that
#: a check that found everything still leaves room on the page.
CHECK_FINDINGS = 6
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
REPORT_DONE = "Of {count} started: {parts}; {days}."
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
    if len(found) > CHECK_FINDINGS:  # the gravest first, as the verdict orders them
        more = len(found) - CHECK_FINDINGS + 1
        found[CHECK_FINDINGS - 1 :] = [text.REPORT_FINDINGS_MORE.format(count=more)]
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


def _total(count: int, key: str) -> tuple[str, str]:
    """One of the totals at the top: the number, with thousands separated, and its label
    (in the singular for one)."""
    one = text.REPORT_TOTAL_LABEL_ONE.get(key) if count == 1 else None
    return f"{count:,}", one or text.REPORT_TOTAL_LABELS[key]


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
    days = [text.short_date(c.at) for c in shown]
    rows = [
        {
            # with the time when another check-in shown is on the same day
            "date": day if days.count(day) == 1 else f"{day}, {c.at.astimezone():%H:%M}",
            "peg": c.peg,
            "mean": text.score(float(peg_mean(c.peg))),
            "pgic": f"{c.pgic}, {text.pgic_label(c.pgic, dataset).lower()}",
        }
        for c, day in zip(reversed(shown), reversed(days), strict=True)
    ]
    return rows, more


def progress_words(progress: Progress) -> str:
    """What the session-pain rule found, told to the clinician (``history`` tells the
    patient; the words for too few sessions are the same for both)."""
    from hipguide import progress as rule

    first, last = text.mean(progress.first_mean), text.mean(progress.last_mean)
    if progress.status == "stalled":
        return text.REPORT_PROGRESS_STALLED.format(
            first=first,
            last=last,
            points=rule.MIN_DROP_POINTS,
            share=rule.MIN_DROP_PERCENT,
            count=f"{progress.sessions:,}",
            span=f"{progress.span_days:.0f}",
        )
    if progress.status == "improving" and not progress.first_mean == progress.last_mean == 0:
        return text.REPORT_PROGRESS_IMPROVING.format(first=first, last=last)
    return text.progress_message(progress)


def checkin_words(progress: CheckinProgress, dataset: Dataset) -> str:
    """What the check-in rule found about the first and the latest check-in, told to
    the clinician."""
    from hipguide import progress as rule

    if progress.status == "too_few":
        return text.REPORT_CHECKIN_FIRST.format(days=rule.CHECKIN_MIN_DAYS)
    if progress.status == "too_short":
        return text.REPORT_CHECKIN_TOO_SHORT.format(
            days=rule.CHECKIN_MIN_DAYS, span=text.counted(int(progress.span_days), "day")
        )
    if progress.status == "no_pain":
        return text.REPORT_CHECKIN_NO_PAIN
    first, latest = text.score(progress.first_mean), text.score(progress.latest_mean)
    if progress.status == "helping":
        share = round((progress.drop_share or 0) * 100)
        return text.REPORT_CHECKIN_HELPING.format(first=first, latest=latest, share=share)
    parts = []
    if "peg" in progress.why:
        parts.append(
            text.REPORT_CHECKIN_STALLED_PEG.format(
                first=first,
                latest=latest,
                days=int(progress.span_days),
                needed=rule.CHECKIN_DROP_PERCENT,
            )
        )
    if "pgic" in progress.why and progress.latest_pgic is not None:
        label = text.pgic_label(progress.latest_pgic, dataset).lower()
        parts.append(text.REPORT_CHECKIN_STALLED_PGIC.format(label=label))
    parts.append(text.REPORT_CHECKIN_STALLED_ADVICE)
    return " ".join(parts)


def advice(outcome: ReportOutcome, dataset: Dataset) -> tuple[list[dict[str, Any]], bool]:
    """What the guide advised, a paragraph per measure, the one that decides first (as
    ``history`` shows it), and whether it advised a professional assessment."""
    from hipguide import progress as rule

    progress, by_checkins = outcome.progress, outcome.by_checkins
    sessions = {"measure": "sessions", "text": progress_words(progress), "label": ""}
    if by_checkins is None:
        parts = [sessions]
    else:
        checkins = {
            "measure": "checkins",
            "text": checkin_words(by_checkins, dataset),
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
    parts = [REPORT_DONE_PARTS[key].format(count=f"{n:,}") for key, n in counts.items() if n]
    return REPORT_DONE.format(
        count=text.counted(totals.count, "session"),
        parts=", ".join(parts),
        days=_days(outcome.timeline),
    )


def skipped_note(outcome: ReportOutcome) -> str:
    """What the page leaves out because the history holds it in a form hipguide cannot
    read, by kind and count ("" when nothing is left out)."""
    parts = []
    for kind, count in (
        ("checks", outcome.skipped_checks),
        ("sessions", outcome.skipped_sessions),
        ("unplotted", outcome.unplotted),
    ):
        if count:
            template = text.REPORT_SKIPPED_PARTS[kind]
            parts.append(template.format(count=count, s="" if count == 1 else "s"))
    if outcome.checkins_partial:
        parts.append(text.REPORT_SKIPPED_PARTS["checkins"])
    return text.REPORT_SKIPPED.format(parts="; ".join(parts)) if parts else ""


def sources_note(dataset: Dataset, checkins: bool) -> str:
    """The sources of the measures and the threshold the page uses, by the dataset's
    titles: the PEG and the PGIC when there are check-ins, and the 30 % change that
    both rules look for."""
    from hipguide import progress as rule

    checkin = dataset.rules.checkin

    def titles(ids: Sequence[str]) -> str:
        return "; ".join(" ".join(dataset.source(i).title.split()) for i in ids)

    parts = []
    if checkins:
        parts.append(text.REPORT_SOURCE_PARTS["peg"].format(titles=titles(checkin.peg.sources)))
        parts.append(text.REPORT_SOURCE_PARTS["pgic"].format(titles=titles(checkin.pgic.sources)))
    if checkin.change_sources:
        parts.append(
            text.REPORT_SOURCE_PARTS["change"].format(
                share=rule.CHECKIN_DROP_PERCENT, titles=titles(checkin.change_sources)
            )
        )
    return text.REPORT_SOURCES.format(parts=" ".join(parts)) if parts else ""


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
        chart_note = text.REPORT_TREND_BINNED.format(
            count=f"{chart.sessions:,}", days=chart.span_days
        )
    else:
        chart_note = (
            text.REPORT_TREND_ONE
            if chart.sessions == 1
            else text.REPORT_TREND_ALL.format(count=f"{chart.sessions:,}")
        )
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
            _total(totals.count, "count"),
            _total(totals.completed, "completed"),
            _total(totals.ended_early, "ended_early"),
            _total(round(totals.minutes), "minutes"),
            _total(outcome.check_count, "checks"),
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
            text.REPORT_SESSIONS_OF.format(shown=len(outcome.recent), count=f"{totals.count:,}")
            if totals.count > len(outcome.recent)
            else text.REPORT_SESSIONS
        ),
        "skipped": skipped_note(outcome),
        "sources": sources_note(dataset, bool(outcome.checkins)),
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
    from hipguide.ui.html._fit import REPORT_PAGE_MM, printed_height, report_height, report_scale

    limit = CHECK_ROWS
    while True:
        context["checks"], context["checks_earlier"] = check_rows(entries, dataset, number, limit)
        context["estimate"] = report_height(context)
        context["scale"] = report_scale(context)
        fits = printed_height(context, context["scale"], report_height) <= REPORT_PAGE_MM
        if fits or len(context["checks"]) <= 1:
            return
        limit = len(context["checks"]) - 1
