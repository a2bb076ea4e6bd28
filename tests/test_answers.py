"""Answers as people and scripts give them: ``--answer`` pairs and answer files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from hipguide.dataset import Dataset
from hipguide.errors import UsageError
from hipguide.flows.answers import (
    parse_answer,
    parse_assignments,
    preset_answers,
    read_answers_file,
    validate_answers,
)
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
        ["injury=no", "Cannot-Bear-Weight = Y", "pregnant=not sure", "INJURY=n"], TRIAGE
    )
    assert answers == {"injury": "no", "cannot_bear_weight": "yes", "pregnant": "unsure"}


@pytest.mark.parametrize(
    ("items", "shown"),
    [
        (["injury=yes", "injury=no"], "'injury' is answered yes by --answer, then no"),
        (
            ["injury=unsure", "fever=no", "Injury=no"],
            "'injury' is answered unsure by --answer, then no",
        ),
        (
            ["saddle-numbness=y", "saddle_numbness=?"],
            "'saddle_numbness' is answered yes by --answer, then unsure",
        ),
        (["fever=no", "fever=yes", "fever=no"], "'fever' is answered yes by --answer, then no"),
    ],
)
def test_a_later_answer_cannot_take_back_an_earlier_one(
    items: list[str], shown: str, TRIAGE: Triage
) -> None:
    with pytest.raises(UsageError) as caught:
        parse_assignments(items, TRIAGE)
    assert f"{shown} by --answer: a later answer cannot take back" in str(caught.value)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("items", "kept"),
    [
        (["injury=no", "injury=yes"], "yes"),
        (["injury=no", "injury=unsure"], "unsure"),
        (["injury=unsure", "injury=yes"], "yes"),
        (["injury=yes", "injury=yes"], "yes"),
        (["injury=n", "INJURY=no"], "no"),
    ],
)
def test_a_question_answered_again_more_cautiously_takes_the_later_answer(
    items: list[str], kept: str, TRIAGE: Triage
) -> None:
    assert parse_assignments(items, TRIAGE) == {"injury": kept}


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


# --- answers files, read as untrusted input ---------------------------------------------------


def _file(tmp_path: Path, name: str, body: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    return path


def _file_error(path: Path, triage: Triage) -> str:
    with pytest.raises(UsageError) as caught:
        read_answers_file(path, triage)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"Answers file {path}"), message
    return message


def test_an_answers_file_gives_its_answers(tmp_path: Path, TRIAGE: Triage) -> None:
    path = _file(tmp_path, "a.yaml", "injury: no\nFever: yes\ncannot-bear-weight: not sure\n")
    assert read_answers_file(path, TRIAGE) == {
        "injury": "no",
        "fever": "yes",
        "cannot_bear_weight": "unsure",
    }
    path = _file(tmp_path, "a.json", '{"injury": "no", "fever": true}')
    assert read_answers_file(path, TRIAGE) == {"injury": "no", "fever": "yes"}


@pytest.mark.parametrize(
    ("name", "body", "fragment"),
    [
        ("a.yaml", "injury: yes\ninjury: no\n", "duplicate key 'injury'"),
        ("a.json", '{"injury": "yes", "injury": "no"}', "duplicate key 'injury'"),
        ("a.yaml", "injury: yes\nInjury: no\n", "'injury' and 'Injury' both answer 'injury'"),
        ("a.json", '{"INJURY": "yes", "injury": "no"}', "both answer 'injury'"),
        ("a.yaml", 'injury: yes\n" injury": no\n', "both answer 'injury'"),
    ],
    ids=["yaml", "json", "case", "json-case", "blank"],
)
def test_a_later_no_never_undoes_an_earlier_yes(
    tmp_path: Path, TRIAGE: Triage, name: str, body: str, fragment: str
) -> None:
    assert fragment in _file_error(_file(tmp_path, name, body), TRIAGE)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("injury: 2024-01-01\n", "the answer to 'injury' must be yes, no or unsure, not a date"),
        ("injury: " + "9" * 5000 + "\n", "not a number too large ('999"),
        ("injury: [yes]\n", "not a list"),
        ("injury: maybe\n", "the answer to 'injury' must be yes, no or unsure, not 'maybe'"),
        ("injury: " + "m" * 5000 + "\n", "not 'mmm"),
        ("fevr: yes\n", "'fevr' is not a question id"),
        ("k" * 1000 + ": yes\n", "'kkk"),
        ("a: &x yes\nb: *x\n", "aliases are not allowed"),
    ],
    ids=["date", "huge-number", "list", "word", "long-word", "unknown", "long-key", "alias"],
)
def test_a_wrong_value_is_one_line_naming_file_and_key(
    tmp_path: Path, TRIAGE: Triage, body: str, fragment: str
) -> None:
    message = _file_error(_file(tmp_path, "answers.yaml", body), TRIAGE)
    assert fragment in message
    assert "m" * 81 not in message and "k" * 81 not in message and "9" * 81 not in message


def test_an_unknown_id_suggests_the_close_one(tmp_path: Path, TRIAGE: Triage) -> None:
    with pytest.raises(UsageError, match="Did you mean fever"):
        read_answers_file(_file(tmp_path, "a.yaml", "fevr: yes\n"), TRIAGE)


def test_an_answers_file_over_64_kib_is_refused(tmp_path: Path, TRIAGE: Triage) -> None:
    path = _file(tmp_path, "a.yaml", "injury: no\n" + "#" * (64 * 1024))
    assert "more than the limit of 65,536" in _file_error(path, TRIAGE)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_as_answers_is_refused_without_waiting(tmp_path: Path, TRIAGE: Triage) -> None:
    path = tmp_path / "answers.yaml"
    os.mkfifo(path)  # no writer: a plain open() would wait for ever
    assert "named pipe" in _file_error(path, TRIAGE)


def test_command_line_values_are_quoted_briefly(TRIAGE: Triage) -> None:
    with pytest.raises(UsageError) as caught:
        parse_assignments(["injury=" + "x" * 5000], TRIAGE)
    assert "x" * 81 not in str(caught.value)
    with pytest.raises(UsageError) as caught:
        parse_assignments(["\x1b[2J" + "y" * 5000 + "=yes"], TRIAGE)
    assert "y" * 81 not in str(caught.value)
    assert "\x1b" not in str(caught.value)


# --- every source together: the files in order, then --answer --------------------------------


def _answers(tmp_path: Path, name: str, all_no: dict[str, str], **changes: str) -> Path:
    """An answers file: no to every question but those given."""
    path = tmp_path / name
    path.write_text(yaml.safe_dump({**all_no, **changes}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("first", "second", "kept"),
    [
        ("no", "yes", "yes"),
        ("no", "unsure", "unsure"),
        ("unsure", "yes", "yes"),
        ("yes", "yes", "yes"),
        ("no", "no", "no"),
    ],
)
def test_every_answers_file_is_read_in_order_and_may_only_add_caution(
    first: str, second: str, kept: str, tmp_path: Path, all_no: dict[str, str], TRIAGE: Triage
) -> None:
    files = [
        _answers(tmp_path, "a.yaml", all_no, injury=first),
        _answers(tmp_path, "b.yaml", all_no, injury=second, fever="yes"),
    ]
    answers = preset_answers(TRIAGE, [], files)
    assert answers == {**all_no, "injury": kept, "fever": "yes"}


@pytest.mark.parametrize(("first", "second"), [("yes", "no"), ("yes", "unsure"), ("unsure", "no")])
def test_a_later_answers_file_cannot_take_back_an_earlier_one(
    first: str, second: str, tmp_path: Path, all_no: dict[str, str], TRIAGE: Triage
) -> None:
    files = [
        _answers(tmp_path, "inj.yaml", all_no, injury=first),
        _answers(tmp_path, "allno.yaml", all_no, injury=second),
    ]
    with pytest.raises(UsageError) as caught:
        preset_answers(TRIAGE, [], files)
    message = str(caught.value)
    assert (
        f"'injury' is answered {first} by the answers file {files[0]}, then {second} by the "
        f"answers file {files[1]}: a later answer cannot take back a more cautious one."
    ) in message
    assert "Give 'injury' one answer" in message
    assert caught.value.exit_code == 2
    assert "\n" not in message


@pytest.mark.parametrize(("in_file", "flag"), [("yes", "no"), ("yes", "unsure"), ("unsure", "no")])
def test_an_answer_flag_cannot_take_back_the_files_answer(
    in_file: str, flag: str, tmp_path: Path, all_no: dict[str, str], TRIAGE: Triage
) -> None:
    path = _answers(tmp_path, "inj.yaml", all_no, injury=in_file)
    with pytest.raises(UsageError) as caught:
        preset_answers(TRIAGE, [f"Injury={flag}"], [path])
    assert (
        f"'injury' is answered {in_file} by the answers file {path}, then {flag} by --answer"
    ) in str(caught.value)


@pytest.mark.parametrize(
    ("in_file", "flag"), [("no", "yes"), ("no", "unsure"), ("unsure", "yes"), ("yes", "yes")]
)
def test_an_answer_flag_may_add_caution_to_the_files_answer(
    in_file: str, flag: str, tmp_path: Path, all_no: dict[str, str], TRIAGE: Triage
) -> None:
    path = _answers(tmp_path, "a.yaml", all_no, injury=in_file)
    assert preset_answers(TRIAGE, [f"injury={flag}"], [path])["injury"] == flag


def test_a_question_only_the_flag_answers_is_taken_as_given(tmp_path: Path, TRIAGE: Triage) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("fever: yes\n", encoding="utf-8")
    assert preset_answers(TRIAGE, ["injury=no"], [path]) == {"fever": "yes", "injury": "no"}


@pytest.mark.parametrize(
    ("first", "second", "kept"),
    [
        ("yes", "no", "no"),
        ("yes", "unsure", "unsure"),
        ("unsure", "no", "no"),
        ("no", "unsure", "unsure"),
        ("yes", "yes", "yes"),
        ("no", "yes", None),
        ("unsure", "yes", None),
    ],
)
def test_for_a_question_whose_yes_lowers_the_verdict_yes_is_the_least_cautious(
    first: str, second: str, kept: str | None, TRIAGE: Triage
) -> None:
    """``assessed`` (a professional has examined the pain) is a modifier: its yes takes a
    background answer's tier away, and unsure counts as no. So a later yes could lower
    the verdict, and is refused; a later no or unsure may follow a yes."""
    from hipguide.models import MODIFIER

    assert {q.id for q in TRIAGE.questions if q.tier == MODIFIER} == {"assessed"}
    items = [f"assessed={first}", f"assessed={second}"]
    if kept is None:
        with pytest.raises(UsageError, match="cannot take back a more cautious one") as caught:
            parse_assignments(items, TRIAGE)
        assert "yes, then unsure or no" in str(caught.value)
    else:
        assert parse_assignments(items, TRIAGE) == {"assessed": kept}
