"""``hipguide check`` through Typer's runner: answers by flags and files, verdicts, history."""

from __future__ import annotations

import functools
import json
import operator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hipguide.cli import app
from hipguide.store import Store

CAUTIONS = ["pregnant", "anticoagulant", "older_or_fragile", "skin_problem"]


def check(runner: CliRunner, answers: dict[str, str], *extra: str):  # type: ignore[no-untyped-def]
    args = ["check", "--no-input", "--json", *extra]
    for key, value in answers.items():
        args += ["--answer", f"{key}={value}"]
    return runner.invoke(app, args)


def test_questions_json_lists_every_id_in_order(runner: CliRunner, dataset) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["check", "--questions", "--json"], catch_exceptions=False)
    data = json.loads(result.stdout)
    assert all({"id", "text", "tier"} <= set(item) for item in data)
    assert len(data) == len(dataset.triage.questions)
    assert data[0]["tier"] == "emergency"
    cautions = [item["id"] for item in data if item["tier"] == "caution"]
    assert cautions == CAUTIONS
    assert data[-1] == {"id": "assessed", "text": data[-1]["text"], "tier": "modifier"}
    following = {item["id"]: item["after"] for item in data if "after" in item}
    assert following == {"pregnancy_warning": "pregnant"}
    assert {item["id"] for item in data if item.get("background")} == {
        q.id for q in dataset.triage.questions if q.background
    }


@pytest.mark.parametrize(
    ("changes", "tier", "code"),
    [
        ({}, "self-care", 0),
        ({"injury": "yes"}, "emergency", 5),
        ({"cannot_bear_weight": "unsure"}, "urgent", 4),
        ({"fever": "yes"}, "urgent", 4),
        ({"fever": "yes", "hot_swollen": "yes"}, "emergency", 5),
        ({"night_pain": "yes"}, "soon", 3),
        ({"night_pain": "yes", "weight_loss": "unsure"}, "urgent", 4),
        ({"persistent": "unsure"}, "soon", 3),
        ({"pregnant": "yes"}, "self-care", 0),
    ],
)
def test_verdict_tier_and_exit_code(
    runner: CliRunner,
    all_no: dict[str, str],
    dataset,
    changes: dict[str, str],
    tier: str,
    code: int,  # type: ignore[no-untyped-def]
) -> None:
    result = check(runner, {**all_no, **changes})
    assert result.exit_code == code, result.output
    verdict = json.loads(result.stdout)
    assert verdict["tier"] == tier
    assert set(verdict) >= {"tier", "reasons", "cautions", "answers"}
    for reason in verdict["reasons"]:
        assert set(reason) >= {"id", "tier", "text", "advice", "sources"}
        assert reason["sources"]


def test_caution_is_listed_without_changing_the_tier(
    runner: CliRunner, all_no: dict[str, str], dataset
) -> None:  # type: ignore[no-untyped-def]
    verdict = json.loads(check(runner, {**all_no, "anticoagulant": "yes"}).stdout)
    assert verdict["tier"] == "self-care"
    assert [c["id"] for c in verdict["cautions"]] == ["anticoagulant"]
    assert verdict["cautions"][0]["effect"] == "light_no_deep"


def test_each_caution_says_what_it_does_once_then_what_to_watch_for(
    runner: CliRunner, all_no: dict[str, str], dataset
) -> None:  # type: ignore[no-untyped-def]
    args = ["check", "--no-input"]
    for key, value in {**all_no, **dict.fromkeys(CAUTIONS, "yes")}.items():
        args += ["--answer", f"{key}={value}"]
    done = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert done.exit_code == 0, done.output
    said = " ".join(done.stdout.split()).lower()
    for caution in CAUTIONS:
        question = dataset.question(caution)
        label = " ".join(dataset.effect(question.effect).label.split()).lower()
        assert said.count(label) == 1, label
        assert said.count(" ".join(question.advice.split()).lower()) == 1
        assert said.index(label) < said.index(" ".join(question.advice.split()).lower())


def test_emergency_answer_needs_no_other_answer(runner: CliRunner) -> None:
    result = check(runner, {"injury": "yes"})
    assert result.exit_code == 5
    assert json.loads(result.stdout)["reasons"][0]["id"] == "injury"


def test_missing_answers_under_no_input_exit_2_and_list_them(runner: CliRunner) -> None:
    result = check(runner, {"injury": "no", "fever": "no"})
    assert result.exit_code == 2
    assert "cannot_bear_weight" in result.stderr
    assert "injury," not in result.stderr
    assert result.stdout == ""


def test_unknown_id_lists_valid_ones(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", "--no-input", "--answer", "fevre=yes"])
    assert result.exit_code == 2
    assert "fever" in result.stderr


def test_bad_value_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", "--no-input", "--answer", "fever=maybe"])
    assert result.exit_code == 2
    assert "yes, no or unsure" in result.stderr


def test_no_terminal_and_no_answers_is_exit_2_with_a_hint(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert "--answer" in result.stderr


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_answers_file(
    runner: CliRunner, all_no: dict[str, str], dataset, tmp_path: Path, suffix: str
) -> None:  # type: ignore[no-untyped-def]
    answers = {**all_no, "worsening": "yes"}
    path = tmp_path / f"answers{suffix}"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-input", "--answers", str(path), "--json"])
    assert result.exit_code == 3
    assert json.loads(result.stdout)["tier"] == "soon"


def test_answer_flag_may_add_caution_to_the_file(
    runner: CliRunner, all_no: dict[str, str], dataset, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "answers.yaml"
    path.write_text("\n".join(f"{k}: no" for k in all_no), encoding="utf-8")
    result = runner.invoke(
        app, ["check", "--no-input", "--answers", str(path), "--answer", "fever=yes", "--json"]
    )
    assert json.loads(result.stdout)["tier"] == "urgent"


#: Command lines that would take back an injury the first answers file reports: a later
#: file, or an --answer less cautious than the file's yes.
TAKE_BACK_INJURY = [
    (["--answers", "{allno}"], "no by the answers file {allno}"),
    (["--answer", "injury=no"], "no by --answer"),
    (["--answer", "injury=unsure"], "unsure by --answer"),
    (["--answers", "{allno}", "--answer", "injury=yes"], "no by the answers file {allno}"),
]


@pytest.mark.parametrize(
    "command",
    [
        ["check", "--no-input"],
        ["routine", "--plan", "--no-input", "--area", "outer", "--side", "left"],
        ["card", "--no-input", "--area", "outer", "--side", "left", "--out", "-"],
    ],
    ids=["check", "routine", "card"],
)
@pytest.mark.parametrize(("tail", "later"), TAKE_BACK_INJURY)
def test_no_later_answer_can_take_back_an_earlier_injury(
    runner: CliRunner,
    answers_file,  # type: ignore[no-untyped-def]
    command: list[str],
    tail: list[str],
    later: str,
) -> None:
    injury, allno = answers_file(injury="yes"), answers_file()
    args = [*command, "--answers", str(injury), *(a.format(allno=allno) for a in tail)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert (
        f"'injury' is answered yes by the answers file {injury}, then {later.format(allno=allno)}"
        ": a later answer cannot take back a more cautious one."
    ) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("first", "second", "tier", "code"),
    [
        ({"injury": "yes"}, {}, None, 2),  # a later file's no cannot undo the injury
        ({}, {"injury": "yes"}, "emergency", 5),
        ({"fever": "unsure"}, {"fever": "yes", "hot_swollen": "yes"}, "emergency", 5),
        ({"night_pain": "yes"}, {"night_pain": "yes"}, "soon", 3),
        ({}, {}, "self-care", 0),
    ],
)
def test_every_answers_file_is_read_in_order(
    runner: CliRunner,
    answers_file,  # type: ignore[no-untyped-def]
    first: dict[str, str],
    second: dict[str, str],
    tier: str | None,
    code: int,
) -> None:
    files = [str(answers_file(**first)), str(answers_file(**second))]
    result = runner.invoke(
        app, ["check", "--no-input", "--json", "--answers", files[0], "--answers", files[1]]
    )
    assert result.exit_code == code, result.stderr
    if tier is not None:
        assert json.loads(result.stdout)["tier"] == tier


def test_broken_answers_file_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("injury: [no\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-input", "--answers", str(path)])
    assert result.exit_code == 2
    assert "not valid YAML" in result.stderr


def test_every_check_is_recorded(
    home: Path, runner: CliRunner, all_no: dict[str, str], dataset
) -> None:  # type: ignore[no-untyped-def]
    check(runner, all_no)
    check(runner, {"injury": "yes"})
    with Store.open(home) as store:
        assert [c.tier for c in store.checks()] == ["self-care", "emergency"]
        assert store.checks()[1].answers["injury"] == "yes"


def test_history_without_progress_forces_no_improvement(
    home: Path, runner: CliRunner, all_no: dict[str, str], dataset
) -> None:  # type: ignore[no-untyped-def]
    start = datetime.now(timezone.utc) - timedelta(days=40)
    with Store.open(home) as store:
        for day in range(8):
            at = start + timedelta(days=day * 5)
            sid = store.start_session(at, {}, 6)
            store.finish_session(sid, at + timedelta(minutes=10), ["GB30"], 6, True, "finished")
    result = check(runner, all_no)
    assert result.exit_code == 3
    verdict = json.loads(result.stdout)
    assert verdict["answers"]["no_improvement"] == "yes"
    assert [r["id"] for r in verdict["reasons"]] == ["no_improvement"]
    text = runner.invoke(
        app,
        [
            "check",
            "--no-input",
            *functools.reduce(operator.iadd, (["--answer", f"{k}=no"] for k in all_no), []),
        ],
    )
    assert "counted as yes from your history" in text.stdout


def test_damaged_history_still_gives_the_verdict(home: Path, runner: CliRunner, dataset) -> None:  # type: ignore[no-untyped-def]
    home.mkdir(parents=True)
    (home / "history.sqlite3").write_bytes(b"not a database at all" * 50)
    result = check(runner, {"injury": "yes"})
    assert result.exit_code == 5
    assert json.loads(result.stdout)["tier"] == "emergency"
    assert "nothing will be recorded" in result.stderr
    assert (home / "history.sqlite3").read_bytes() == b"not a database at all" * 50


def test_emergency_number_option(runner: CliRunner) -> None:
    result = check(runner, {"injury": "yes"}, "--emergency-number", "000")
    verdict = json.loads(result.stdout)
    assert "000" in verdict["action"] or "000" in verdict["reasons"][0]["advice"]


def test_text_verdict_is_plain_and_reminds_it_is_not_a_diagnosis(
    runner: CliRunner, all_no: dict[str, str], dataset
) -> None:  # type: ignore[no-untyped-def]
    args = ["check", "--no-input"]
    for key, value in {**all_no, "fever": "yes"}.items():
        args += ["--answer", f"{key}={value}"]
    result = runner.invoke(app, args)
    assert result.exit_code == 4
    assert "URGENT" in result.stdout
    assert "diagnos" in result.stdout.lower()
    assert "\x1b[" not in result.stdout
