"""``hipguide routine`` in a real terminal: single keys during the countdown, and Ctrl-C."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pexpect
import pytest

import terminal
from conftest import MakeAnswers

pytestmark = pytest.mark.pty


def spawn(args: list[str], home: Path, columns: int = 100) -> pexpect.spawn:
    return terminal.spawn(args, columns, {"HIPGUIDE_HOME": str(home), "COLUMNS": str(columns)})


def finish(child: pexpect.spawn) -> tuple[str, int]:
    """Everything still to come, and the exit status."""
    rest = child.read()
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return rest, int(child.exitstatus)


def stored_sessions(home: Path) -> list[dict[str, Any]]:
    child = spawn(["history", "--json"], home)
    text, status = finish(child)
    assert status == 0, text
    sessions: list[dict[str, Any]] = json.loads(text[text.index("{") :])["sessions"]
    return sessions


def routine_args(answers: Path, press_seconds: int) -> list[str]:
    return [
        "routine",
        "--area",
        "outer",
        "--side",
        "left",
        "--press-seconds",
        str(press_seconds),
        "--rest-seconds",
        "1",
        "--answers",
        str(answers),
        "--pain-before",
        "5",
        "--pain-after",
        "4",
    ]


def test_skip_then_quit_ends_early_and_is_recorded(
    tmp_path: Path, answers_file: MakeAnswers
) -> None:
    home = tmp_path / "home"
    child = spawn(routine_args(answers_file(), press_seconds=2), home)
    child.expect("space: pause")  # the keys are listed once, at the start
    child.expect("Step 1/")
    child.expect("Press 0:")  # the countdown line is live
    child.send("s")
    child.expect(["Step 2/", "Skipped"])
    child.send("q")
    child.expect("ended early")
    rest, status = finish(child)
    assert status == 0
    assert "Traceback" not in rest
    (session,) = stored_sessions(home)
    assert session["completed"] is False
    assert session["ended_by"] == "quit"
    assert (session["pain_before"], session["pain_after"]) == (5, 4)
    assert "GB30" not in session["points"]  # its press was skipped


def test_ctrl_c_during_the_countdown_exits_130_and_is_recorded(
    tmp_path: Path, answers_file: MakeAnswers
) -> None:
    home = tmp_path / "home"
    child = spawn(routine_args(answers_file(), press_seconds=30), home)
    child.expect("Step 1/")
    child.expect("Press 0:")  # the countdown line is live
    child.sendcontrol("c")
    rest, status = finish(child)
    assert status == 130
    assert "Traceback" not in (child.before or "") + rest
    assert "KeyboardInterrupt" not in rest
    (session,) = stored_sessions(home)
    assert session["completed"] is False
    assert session["ended_by"] == "interrupt"
    assert session["points"] == []
