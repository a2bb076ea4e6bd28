"""Answers as people and scripts give them: ``--answer`` pairs and answer files."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from hipguide.dataset import Dataset
from hipguide.errors import UsageError
from hipguide.flows.answers import parse_answer, parse_assignments, validate_answers
from hipguide.models import Triage


@pytest.fixture(scope="module")
def TRIAGE(dataset: Dataset) -> Triage:
    return dataset.triage


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("Y", "yes"),
        (" YES ", "yes"),
        ("no", "no"),
        ("N", "no"),
        ("unsure", "unsure"),
        ("Not Sure", "unsure"),
        ("not   sure", "unsure"),
        ("?", "unsure"),
    ],
)
def test_parse_answer_accepts(text: str, expected: str) -> None:
    assert parse_answer(text) == expected


@pytest.mark.parametrize("text", ["", "maybe", "yess", "true", "1", "sure"])
def test_parse_answer_rejects_and_lists_the_valid_values(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_answer(text)
    assert "yes, no or unsure" in str(caught.value)
    assert caught.value.exit_code == 2


def test_parse_assignments_reads_pairs(TRIAGE: Triage) -> None:
    answers = parse_assignments(
        ["injury=no", "Cannot-Bear-Weight = Y", "pregnant=not sure", "injury=?"], TRIAGE
    )
    assert answers == {"injury": "unsure", "cannot_bear_weight": "yes", "pregnant": "unsure"}


def test_parse_assignments_unknown_id_lists_valid_ids_and_a_guess(TRIAGE: Triage) -> None:
    with pytest.raises(UsageError) as caught:
        parse_assignments(["injry=yes"], TRIAGE)
    message = str(caught.value)
    assert "Did you mean injury?" in message
    for question in TRIAGE.questions:
        assert question.id in message


@pytest.mark.parametrize(
    ("item", "fragment"),
    [("injury", "ID=VALUE"), ("injury=perhaps", "injury"), ("=yes", "Unknown question id")],
)
def test_parse_assignments_errors(item: str, fragment: str, TRIAGE: Triage) -> None:
    with pytest.raises(UsageError, match=fragment):
        parse_assignments([item], TRIAGE)


def test_validate_answers_reads_yaml_booleans(TRIAGE: Triage) -> None:
    raw = yaml.safe_load("injury: no\nfever: yes\npregnant: not sure\nworsening: '?'\n")
    assert validate_answers(raw, TRIAGE) == {
        "injury": "no",
        "fever": "yes",
        "pregnant": "unsure",
        "worsening": "unsure",
    }


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"injury": None}, "injury"),
        ({"injury": 3}, "injury"),
        ({"injury": "perhaps"}, "injury"),
        ({"fevr": "yes"}, "Did you mean fever"),
        ({1: "yes"}, "not a question id"),
        (["injury"], "map of question id"),
    ],
)
def test_validate_answers_errors(raw: Any, fragment: str, TRIAGE: Triage) -> None:
    with pytest.raises(UsageError, match=fragment):
        validate_answers(raw, TRIAGE)
