"""Every ``--json`` document is built in ``hipguide.ui.json``: shapes and values."""

from __future__ import annotations

import json as stdlib_json

from hipguide.dataset import Dataset
from hipguide.planner import PlanRequest, plan_routine
from hipguide.triage import assess
from hipguide.ui import json


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
            "text": dataset.question("pregnant").advice,
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
