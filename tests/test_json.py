"""Every ``--json`` document is built in ``hipguide.ui.json``: shapes and values."""

from __future__ import annotations

import json as stdlib_json

import pytest

from hipguide.dataset import Dataset
from hipguide.planner import PlanRequest, plan_routine
from hipguide.triage import assess
from hipguide.ui import json


def _caution(dataset: Dataset, question_id: str) -> str:
    """A caution as the verdict gives it: what it does to the routine, then the advice."""
    question = dataset.question(question_id)
    label = dataset.effect(question.effect).label  # type: ignore[arg-type]
    return f"{label[:1].upper()}{label[1:]}. {_filled(question.advice)}"


def test_the_verdict_has_the_documented_shape(dataset: Dataset) -> None:
    answers = {q.id: "no" for q in dataset.triage.questions}
    answers |= {"fever": "yes", "hot_swollen": "yes", "pregnant": "yes"}
    verdict = assess(dataset.triage, answers)  # type: ignore[arg-type]
    data = json.verdict(verdict, dataset, "000")
    assert {"tier", "reasons", "cautions", "answers", "derived", "headline", "action"} <= set(data)
    assert data["tier"] == "emergency"
    assert all(set(r) == {"id", "tier", "text", "advice", "sources"} for r in data["reasons"])
    assert data["reasons"][0]["tier"] == "emergency"
    assert data["cautions"] == [
        {
            "id": "pregnant",
            "text": _caution(dataset, "pregnant"),
            "effect": dataset.question("pregnant").effect,
        }
    ]
    assert data["answers"]["fever"] == "yes"
    assert "{emergency}" not in stdlib_json.dumps(data)
    assert "000" in data["action"]
    assert stdlib_json.loads(json.dumps(data)) == data


def test_not_started_is_the_verdict_and_started_false(dataset: Dataset) -> None:
    verdict = assess(dataset.triage, {"injury": "yes"})
    data = json.not_started(verdict, dataset, None)
    assert data["started"] is False
    assert {k: v for k, v in data.items() if k != "started"} == json.verdict(verdict, dataset, None)


def test_the_plan_has_the_documented_shape(dataset: Dataset) -> None:
    request = PlanRequest(areas=("outer",), side="left", minutes=3)
    plan = plan_routine(dataset, request, cautions=("anticoagulant",))
    data = json.plan(plan, dataset, None)
    assert {"steps", "total_seconds", "excluded", "tier", "cautions"} <= set(data)
    assert all(
        set(s) == {"point", "side", "seconds", "pressure", "role", "instead"} for s in data["steps"]
    )
    assert all(set(e) == {"point", "reason"} for e in data["excluded"])
    assert {s["pressure"] for s in data["steps"]} == {"light"}
    assert data["cautions"][0]["id"] == "anticoagulant"
    assert data["total_seconds"] == plan.total_seconds


def test_questions_list_ids_texts_and_tiers_in_asking_order(dataset: Dataset) -> None:
    data = json.questions(dataset)
    assert data[0]["id"] == "injury"
    assert all(set(q) >= {"id", "text", "tier"} for q in data)
    assert len(data) == len(dataset.triage.questions)


VERDICT_KEYS = {
    "tier",
    "headline",
    "action",
    "reasons",
    "cautions",
    "notes",
    "answers",
    "derived",
    "reminder",
}


def _filled(value: str, number: str = "000") -> str:
    return value.replace("{emergency}", number)


def test_every_key_of_the_verdict_holds_what_the_data_says(dataset: Dataset) -> None:
    answers = {q.id: "no" for q in dataset.triage.questions}
    answers |= {
        "fever": "yes",
        "hip_replacement": "unsure",
        "cancer_history": "yes",
        "assessed": "yes",
        "anticoagulant": "unsure",
        "skin_problem": "yes",
    }
    derived = {"no_improvement": "no better after 8 sessions"}
    verdict = assess(dataset.triage, answers, derived=derived)  # type: ignore[arg-type]
    data = json.verdict(verdict, dataset, "000")
    assert set(data) == VERDICT_KEYS
    tier = dataset.tier("emergency")
    assert data["tier"] == "emergency"
    assert data["headline"] == _filled(tier.headline)
    assert data["action"] == _filled(tier.action)
    combo = dataset.triage.combinations[0]
    fever, replacement, stalled = (
        dataset.question(q) for q in ("fever", "hip_replacement", "no_improvement")
    )
    assert data["reasons"] == [
        {
            "id": combo.id,
            "tier": "emergency",
            "text": _filled(combo.text),
            "advice": _filled(combo.advice),
            "sources": list(combo.sources),
        },
        {
            "id": "fever",
            "tier": "urgent",
            "text": f"You answered yes: {_filled(fever.text)}",
            "advice": _filled(fever.advice),
            "sources": list(fever.sources),
        },
        {
            "id": "no_improvement",
            "tier": "soon",
            "text": "Counted as yes from your history (no better after 8 sessions): "
            + _filled(stalled.text),
            "advice": _filled(stalled.advice),
            "sources": list(stalled.sources),
        },
    ]
    assert replacement.background  # assessed: a note, though it still counts with fever
    assert data["cautions"] == [
        {
            "id": question_id,
            "text": _caution(dataset, question_id),
            "effect": dataset.question(question_id).effect,
        }
        for question_id in ("anticoagulant", "skin_problem")
    ]
    why = _filled(dataset.question("assessed").advice)
    assert data["notes"] == [
        {
            "id": "hip_replacement",
            "text": f"Not sure: {_filled(replacement.text)} Not counted on its own: {why}",
        },
        {
            "id": "cancer_history",
            "text": "You answered yes: "
            f"{_filled(dataset.question('cancer_history').text)} Not counted on its own: {why}",
        },
    ]
    assert data["answers"] == {**answers, "no_improvement": "yes"}
    assert data["derived"] == {"no_improvement": "no better after 8 sessions"}
    assert data["reminder"] == _filled(dataset.triage.reminder)
    assert stdlib_json.loads(json.dumps(data)) == data


def test_an_unsure_reason_in_the_verdict(dataset: Dataset) -> None:
    verdict = assess(dataset.triage, {"injury": "unsure"})
    (reason,) = json.verdict(verdict, dataset, "000")["reasons"]
    injury = dataset.question("injury")
    urgent = dataset.tier("urgent")
    assert reason == {
        "id": "injury",
        "tier": "urgent",
        "text": f"You were not sure: {_filled(injury.text)} "
        "Not being sure is reason enough to be checked.",
        "advice": _filled(urgent.unsure_advice).replace("{advice}", _filled(injury.advice)),
        "sources": list(injury.sources),
    }


def test_the_question_texts_are_the_datas(dataset: Dataset) -> None:
    number = dataset.triage.emergency_number
    by_id = {item["id"]: item for item in json.questions(dataset)}
    for question in dataset.triage.questions:
        item = by_id[question.id]
        assert item["text"] == _filled(question.text, number)
        assert item["tier"] == question.tier
        assert item.get("after", "") == question.after
        assert item.get("background", False) is question.background


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{}],
        [{"a": 1}],
        [{"started_at": "2024-01-01T00:00:00+00:00", "points": ["GB30", "BL54"], "x": None}],
        [{"nested": {"deep": [1, 2.5, {"k": "é 环跳 \\n \\u2028"}], "empty": {}, "none": []}}] * 3,
        ["text", 1, None, True, [], {}],
    ],
)
def test_a_long_list_is_written_as_the_whole_document_would_be(items: list[object]) -> None:
    from hipguide.ui.json import dumps, dumps_with_list

    rest = {"checks": [{"at": "x", "answers": {"injury": "no"}}], "progress": {"status": "ok"}}
    document = {"sessions": items, **rest}
    assert dumps_with_list({"sessions": [], **rest}, "sessions", iter(items)) == dumps(document)


def test_the_history_text_is_the_history_document(dataset: Dataset) -> None:
    from datetime import datetime, timedelta, timezone

    from hipguide.progress import assess_progress
    from hipguide.store import CheckRecord, SessionRecord
    from hipguide.ui.json import dumps, history, history_rest, history_text

    start = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
    sessions = [
        SessionRecord(
            id=n,
            started_at=start + timedelta(days=n),
            ended_at=start + timedelta(days=n, minutes=9),
            points=("GB30", "GB34"),
            pain_before=6,
            pain_after=4,
            completed=n % 2 == 0,
            ended_by="finished" if n % 2 == 0 else "quit",
        )
        for n in range(1, 4)
    ]
    checks = [CheckRecord(id=1, at=start, tier="self-care", answers={"injury": "no"})]
    progress = assess_progress(())
    rest = history_rest(checks, progress, (), None, None)
    assert history_text(sessions, rest) == dumps(history(sessions, checks, progress))
    assert history_text([], history_rest([], progress, (), None, None)) == dumps(
        history([], [], progress)
    )
