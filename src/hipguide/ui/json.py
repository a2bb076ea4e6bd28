"""Every ``--json`` document of DESIGN.md section 3, built in this one module.

Each function returns plain data (dicts, lists, text, numbers) ready for
:func:`dumps`; the keys are a public contract: add, never rename or drop.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from hipguide.ui import text

if TYPE_CHECKING:
    from hipguide.dataset import Dataset
    from hipguide.flows.checkin import CheckinOutcome
    from hipguide.flows.routine import RunSummary
    from hipguide.models import Condition, Point
    from hipguide.planner import Plan
    from hipguide.progress import CheckinProgress, Progress
    from hipguide.store import CheckinRecord, CheckRecord, SessionRecord
    from hipguide.triage import Verdict


def dumps(document: Any) -> str:
    """The document as JSON text (UTF-8 characters kept, two-space indent), with a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def dumps_with_list(document: dict[str, Any], key: str, items: Iterable[Any]) -> str:
    """:func:`dumps` of ``document`` with ``items`` as its ``key`` (``document``'s first
    key), the same text, made a piece at a time: each item is written on its own, so a
    long list (100,000 sessions) is never one tree of small strings in memory at once,
    as the standard encoder makes when it indents."""
    if next(iter(document), None) != key:
        raise ValueError(f"{key!r} must be the document's first key")
    text = dumps({**document, key: []})
    empty = f'{{\n  "{key}": []'
    encode = json.JSONEncoder(ensure_ascii=False, indent=2).encode
    pieces = [encode(item) for item in items]
    if not pieces:
        return text
    # at two levels deep every line of an item moves four spaces right; a JSON string
    # holds no line break of its own (it is written \n), so each one is the item's
    listed = ",\n    ".join(piece.replace("\n", "\n    ") for piece in pieces)
    return f'{{\n  "{key}": [\n    {listed}\n  ]' + text[len(empty) :]


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC, to the second."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


# --- the dataset ---------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Records become dicts and tuples lists, all the way down."""
    if isinstance(value, tuple):
        if hasattr(value, "_asdict"):
            return {key: _plain(item) for key, item in value._asdict().items()}
        return [_plain(item) for item in value]
    return value


def point(record: Point) -> dict[str, Any]:
    """A point, every field of ``points.yaml`` (``points --json``)."""
    data: dict[str, Any] = _plain(record)
    return data


def points(records: Iterable[Point]) -> list[dict[str, Any]]:
    """A list of points."""
    return [point(record) for record in records]


def condition(record: Condition) -> dict[str, Any]:
    """A condition (``conditions --json``)."""
    data: dict[str, Any] = _plain(record)
    return data


def conditions(records: Iterable[Condition]) -> list[dict[str, Any]]:
    """A list of conditions."""
    return [condition(record) for record in records]


# --- the check -----------------------------------------------------------------------------


def questions(dataset: Dataset, number: str | None = None) -> list[dict[str, Any]]:
    """``check --questions --json``: every question in asking order."""
    from hipguide.triage import ordered_questions

    listed = []
    for q in ordered_questions(dataset.triage):
        item: dict[str, Any] = {"id": q.id, "text": text.fill(q.text, dataset, number)}
        item["tier"] = q.tier
        if q.after:
            item["after"] = q.after
        if q.background:
            item["background"] = True
        listed.append(item)
    return listed


def cautions(ids: Sequence[str], dataset: Dataset, number: str | None) -> list[dict[str, Any]]:
    """The cautions of a verdict or a plan: ``{"id", "text", "effect"}``."""
    return [
        {
            "id": question_id,
            "text": text.caution_text(question_id, dataset, number),
            "effect": text.caution_effect(question_id, dataset),
        }
        for question_id in ids
    ]


def verdict(result: Verdict, dataset: Dataset, number: str | None) -> dict[str, Any]:
    """``check --json``: the tier, the reasons with advice and sources, the cautions,
    the answers counted, what the history answered, and the texts of the tier."""
    return {
        "tier": result.tier,
        "headline": text.headline(result, dataset, number),
        "action": text.action(result, dataset, number),
        "reasons": [
            {
                "id": reason.id,
                "tier": reason.tier,
                "text": text.reason_text(reason, result, dataset, number),
                "advice": text.reason_advice(reason, dataset, number),
                "sources": list(text.reason_sources(reason, dataset)),
            }
            for reason in result.reasons
        ],
        "cautions": cautions(result.cautions, dataset, number),
        "notes": [
            {"id": note, "text": text.note_text(note, result, dataset, number)}
            for note in result.notes
        ],
        "answers": dict(result.answers),
        "derived": {key: text.derived_why(why) for key, why in result.derived.items()},
        "reminder": text.reminder(dataset, number),
    }


# --- the routine ---------------------------------------------------------------------------


def plan(result: Plan, dataset: Dataset, number: str | None) -> dict[str, Any]:
    """``routine --plan --json``: the presses, their total, what was left out and why."""
    return {
        "steps": [
            {
                "point": step.point,
                "side": step.side,
                "seconds": step.seconds,
                "pressure": step.pressure,
                "role": step.role,
                "instead": step.instead,
            }
            for step in result.steps
        ],
        "total_seconds": result.total_seconds,
        "budget_seconds": result.budget_seconds,
        "rest_seconds": result.rest_seconds,
        "excluded": [
            {"point": item.point, "reason": text.exclusion_text(item, dataset)}
            for item in result.excluded
        ],
        "tier": result.tier,
        "cautions": plan_cautions(result, dataset, number),
        "flare": result.flare,
    }


def plan_cautions(result: Plan, dataset: Dataset, number: str | None) -> list[dict[str, Any]]:
    """The cautions that shaped a plan, each with the pressure caps it set; a cap from
    the verdict's tier ("soon") comes last, as a caution of its own."""
    listed = cautions(result.cautions, dataset, number)
    by_id = {item["id"]: item for item in listed}
    for item in listed:
        item["caps"] = []
    for cap in result.caps:
        entry = {
            "max": cap.max,
            "text": text.cap_text(cap),
            "why": text.cap_reason(cap, dataset, number),
            "lowered": list(cap.lowered),
        }
        if cap.source not in by_id:
            from hipguide.planner import FLARE_CAP

            by_id[cap.source] = {
                "id": cap.source,
                "text": text.cap_reason(cap, dataset, number),
                "effect": "flare" if cap.source == FLARE_CAP else "tier_cap",
                "caps": [],
            }
            listed.append(by_id[cap.source])
        by_id[cap.source]["caps"].append(entry)
    return listed


def not_started(result: Verdict, dataset: Dataset, number: str | None) -> dict[str, Any]:
    """A routine the check did not let start: the verdict, and ``"started": false``."""
    return {**verdict(result, dataset, number), "started": False}


def run_summary(summary: RunSummary) -> dict[str, Any]:
    """A finished or ended session, as the history keeps it (``id`` is null when nothing
    could be recorded)."""
    return {
        "started_at": timestamp(summary.started_at),
        "ended_at": timestamp(summary.ended_at),
        "points": list(summary.points),
        "pain_before": summary.pain_before,
        "pain_after": summary.pain_after,
        "completed": summary.completed,
        "ended_by": summary.ended_by,
        "minutes": minutes(summary.started_at, summary.ended_at),
        "id": summary.id,
        "flare": summary.flare,
    }


# --- the history ---------------------------------------------------------------------------


def minutes(started: datetime, ended: datetime | None) -> float | None:
    """Minutes from start to end, to one decimal; None without an end."""
    if ended is None:
        return None
    return round((ended - started).total_seconds() / 60, 1)


def session(record: SessionRecord) -> dict[str, Any]:
    """One recorded session (its plan is left out: it is long and in the run's output)."""
    return {
        "started_at": timestamp(record.started_at),
        "ended_at": None if record.ended_at is None else timestamp(record.ended_at),
        "points": list(record.points),
        "pain_before": record.pain_before,
        "pain_after": record.pain_after,
        "completed": record.completed,
        "ended_by": record.ended_by,
        "minutes": minutes(record.started_at, record.ended_at),
        "id": record.id,
        "flare": record.flare,
    }


def check(record: CheckRecord) -> dict[str, Any]:
    """One recorded check: ``at`` and ``tier``, then the answers given."""
    return {
        "at": timestamp(record.at),
        "tier": record.tier,
        "answers": dict(record.answers),
        "derived": dict(record.derived),
        "id": record.id,
    }


def progress(result: Progress) -> dict[str, Any]:
    """The ``progress`` object of ``history --json``."""
    from hipguide import progress as rule

    return {
        "sessions": result.sessions,
        "span_days": round(result.span_days, 2),
        "first_mean": None if result.first_mean is None else round(result.first_mean, 2),
        "last_mean": None if result.last_mean is None else round(result.last_mean, 2),
        "stalled": result.stalled,
        "status": result.status,
        "message": text.progress_message(result),
        "min_sessions": rule.MIN_SESSIONS,
        "min_span_days": rule.MIN_SPAN_DAYS,
    }


def checkin(record: CheckinRecord) -> dict[str, Any]:
    """One recorded check-in: ``at``, the PEG's three items and the PGIC."""
    return {"at": timestamp(record.at), "peg": list(record.peg), "pgic": record.pgic}


def checkin_progress(result: CheckinProgress, dataset: Dataset | None = None) -> dict[str, Any]:
    """What the check-in rule says (``applies``: the check-ins decide, not the sessions)."""
    from hipguide import progress as rule

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return {
        "status": result.status,
        "applies": result.applies,
        "stalled": result.stalled,
        "why": list(result.why),
        "span_days": round(result.span_days, 2),
        "first_mean": rounded(result.first_mean),
        "latest_mean": rounded(result.latest_mean),
        "latest_pgic": result.latest_pgic,
        "drop_share": rounded(result.drop_share),
        "message": text.checkin_message(result, dataset),
        "min_span_days": rule.CHECKIN_MIN_DAYS,
        "min_drop_share": rule.CHECKIN_DROP_PERCENT / rule.PER_CENT,
    }


def checkin_outcome(outcome: CheckinOutcome, dataset: Dataset) -> dict[str, Any]:
    """``checkin --json``: the check-in as recorded (``id`` null when it was not), its PEG
    mean, and what the check-in rule now says."""
    from hipguide.progress import peg_mean

    return {
        "at": timestamp(outcome.at),
        "peg": list(outcome.peg),
        "pgic": outcome.pgic,
        "peg_mean": round(float(peg_mean(outcome.peg)), 2),
        "recorded": outcome.id is not None,
        "id": outcome.id,
        "progress": checkin_progress(outcome.progress, dataset),
    }


def forgotten(deleted: bool, path: object) -> dict[str, Any]:
    """``history --forget --json``: whether the history was deleted, and from where."""
    return {"deleted": deleted, "path": str(path)}


def history(
    sessions: Iterable[SessionRecord],
    checks: Iterable[CheckRecord],
    result: Progress,
    checkins: Iterable[CheckinRecord] = (),
    by_checkins: CheckinProgress | None = None,
    dataset: Dataset | None = None,
) -> dict[str, Any]:
    """``history --json``; ``checkin_progress`` is there once a check-in is."""
    rest = history_rest(checks, result, checkins, by_checkins, dataset)
    return {"sessions": [session(record) for record in sessions], **rest}


def history_text(sessions: Iterable[SessionRecord], rest: dict[str, Any]) -> str:
    """:func:`dumps` of :func:`history`, the same text, from the sessions and the rest of
    the document (:func:`history_rest`), made one session at a time
    (:func:`dumps_with_list`), as ``history --json`` prints it."""
    items = (session(record) for record in sessions)
    return dumps_with_list({"sessions": [], **rest}, "sessions", items)


def history_rest(
    checks: Iterable[CheckRecord],
    result: Progress,
    checkins: Iterable[CheckinRecord],
    by_checkins: CheckinProgress | None,
    dataset: Dataset | None,
) -> dict[str, Any]:
    """Everything in ``history --json`` after the sessions."""
    document: dict[str, Any] = {
        "checks": [check(record) for record in checks],
        "progress": progress(result),
        "checkins": [checkin(record) for record in checkins],
    }
    if by_checkins is not None:
        document["checkin_progress"] = checkin_progress(by_checkins, dataset)
    return document
