"""What the report for a clinician shows, gathered for its template: totals, the pain
trend, what the guide advised, the check-ins, every check and the latest sessions."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from hipguide.records import dataclass
from hipguide.ui import text

if TYPE_CHECKING:
    from hipguide.dataset import Dataset
    from hipguide.flows.report import CheckEntry, ReportOutcome
    from hipguide.store import SessionRecord

#: The most rows the checks table holds; older checks are summed up in one line.
CHECK_ROWS = 12


@dataclass(frozen=True)
class CheckRow:
    """One row of the checks table: a check, or a run of checks that found nothing."""

    when: str
    tier: str
    verdict: str
    findings: tuple[str, ...]


def _findings(entry: CheckEntry, dataset: Dataset, number: str | None) -> tuple[str, ...]:
    verdict = entry.verdict
    found = [text.report_finding(r, verdict, dataset, number) for r in verdict.reasons]
    found += [text.report_note(n, dataset, number) for n in verdict.notes]
    found += [text.report_caution(c, verdict, dataset, number) for c in verdict.cautions]
    return tuple(found)


def _verdict(tier: str, dataset: Dataset) -> str:
    try:
        return f"{dataset.tier(tier).label}: {dataset.tier(tier).headline}"
    except KeyError:
        return tier


def check_rows(
    entries: tuple[CheckEntry, ...], dataset: Dataset, number: str | None
) -> tuple[list[CheckRow], str]:
    """The checks table, newest last, with runs of checks that found nothing in one row
    each; and the line that sums up the oldest ones when they do not all fit."""
    rows: list[tuple[list[CheckEntry], tuple[str, ...]]] = []
    for entry in entries:
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
    if len(rows) > CHECK_ROWS:
        old = [entry for group, _ in rows[: len(rows) - CHECK_ROWS] for entry in group]
        tiers = Counter(entry.tier for entry in old)
        earlier = text.REPORT_CHECK_EARLIER.format(
            count=len(old),
            first=text.short_date(old[0].at),
            last=text.short_date(old[-1].at),
            tiers=", ".join(f"{count} {tier}" for tier, count in tiers.most_common()),
        )
        rows = rows[len(rows) - CHECK_ROWS :]
    table = []
    for group, found in rows:
        first, last = group[0], group[-1]
        if len(group) == 1:
            when = text.short_date(first.at)
        else:
            when = text.REPORT_CHECK_RUN.format(
                count=len(group), first=text.short_date(first.at), last=text.short_date(last.at)
            )
        table.append(
            CheckRow(
                when=when,
                tier=first.tier,
                verdict=_verdict(first.tier, dataset),
                findings=found or (text.REPORT_CHECK_CLEAR,),
            )
        )
    return table, earlier


def _result(session: SessionRecord) -> str:
    if session.completed:
        return text.REPORT_RESULT["completed"]
    return text.REPORT_RESULT["early" if session.ended_at is not None else "open"]


def _score(value: int | None) -> str:
    return "–" if value is None else str(value)


def session_rows(sessions: tuple[SessionRecord, ...]) -> list[dict[str, str]]:
    """The latest sessions, newest first, as the table shows them."""
    return [
        {
            "date": text.short_date(s.started_at),
            "time": f"{s.started_at.astimezone():%H:%M}",
            "minutes": "–" if s.minutes is None else f"{s.minutes:g}",
            "points": " ".join(s.points) or "–",
            "pain": f"{_score(s.pain_before)} → {_score(s.pain_after)}",
            "result": _result(s),
        }
        for s in reversed(sessions)
    ]


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
    checks, earlier = check_rows(outcome.checks, dataset, number)
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
        "planned": (
            text.REPORT_PLANNED.format(done=totals.completed, planned=outcome.planned)
            if outcome.planned is not None
            else ""
        ),
        "chart": chart,
        "chart_note": chart_note,
        "means": means,
        "advice": text.progress_message(progress),
        "stalled": progress.stalled,
        "checkins": [
            {
                "date": text.short_date(c.at),
                "peg": c.peg,
                "mean": text.mean(sum(c.peg) / 3),
                "pgic": "–" if c.pgic is None else str(c.pgic),
            }
            for c in outcome.checkins
        ],
        "checks": checks,
        "checks_earlier": earlier,
        "sessions": session_rows(outcome.recent),
        "sessions_title": (
            text.REPORT_SESSIONS_OF.format(shown=len(outcome.recent), count=totals.count)
            if totals.count > len(outcome.recent)
            else text.REPORT_SESSIONS
        ),
        "skipped": text.REPORT_SKIPPED.format(count=outcome.skipped) if outcome.skipped else "",
        "footer": text.REPORT_FOOTER.format(version=__version__, date=text.date(outcome.made_at)),
    }
    from hipguide.ui.html._fit import report_height, report_scale

    context["estimate"] = report_height(context)
    context["scale"] = report_scale(context)
    return context
