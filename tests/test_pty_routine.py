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


def spawn(args: list[str], home: Path, columns: int = 100, rows: int = 50) -> pexpect.spawn:
    environment = {"HIPGUIDE_HOME": str(home), "COLUMNS": str(columns), "LINES": str(rows)}
    return terminal.spawn(args, columns, environment, rows=rows)


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


def start(child: pexpect.spawn) -> None:
    """Say yes to starting, once the plan is shown."""
    child.expect("Your routine:")
    child.expect(r"Start the session now\?")
    child.send("\r")


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
        "--lying",
        "--foot-reach",
    ]


def test_skip_then_quit_ends_early_and_is_recorded(
    tmp_path: Path, answers_file: MakeAnswers
) -> None:
    home = tmp_path / "home"
    child = spawn(routine_args(answers_file(), press_seconds=2), home)
    start(child)
    child.expect("Step 1/")
    child.expect("press Enter")  # the countdown waits until the thumb is on the point
    child.send("\r")
    child.expect("Press 0:")  # the countdown line is live
    child.send("s")
    child.expect("Step 2/")
    child.send("q")  # q while finding the next point ends the session
    child.expect("ended early")
    rest, status = finish(child)
    assert status == 0
    assert "Traceback" not in rest
    (session,) = stored_sessions(home)
    assert session["completed"] is False
    assert session["ended_by"] == "quit"
    assert (session["pain_before"], session["pain_after"]) == (5, 4)
    assert "GB30" not in session["points"]  # its press was skipped


def test_escape_does_not_end_the_session(tmp_path: Path, answers_file: MakeAnswers) -> None:
    home = tmp_path / "home"
    child = spawn(routine_args(answers_file(), press_seconds=30), home)
    start(child)
    child.expect("Step 1/")
    child.expect("press Enter")
    child.send("\r")
    child.expect("Press 0:")
    child.send("\x1b")  # a lone Esc: the keys line does not offer it, and it does nothing
    with pytest.raises(pexpect.TIMEOUT):
        child.expect("ended early", timeout=1.5)
    child.send("s")  # the session still takes its keys
    child.expect("Step 2/")
    child.send("q")
    child.expect("ended early")
    _, status = finish(child)
    assert status == 0
    (session,) = stored_sessions(home)
    assert session["ended_by"] == "quit"


def test_ctrl_c_during_the_countdown_exits_130_and_is_recorded(
    tmp_path: Path, answers_file: MakeAnswers
) -> None:
    home = tmp_path / "home"
    child = spawn(routine_args(answers_file(), press_seconds=30), home)
    start(child)
    child.expect("Step 1/")
    child.expect("press Enter")
    child.send(" ")  # space works too
    child.expect("Press 0:")  # the countdown line is live
    child.sendcontrol("c")
    rest, status = finish(child)
    assert status == 130
    assert "Traceback" not in (child.before or "") + rest
    assert "KeyboardInterrupt" not in rest
    (session,) = stored_sessions(home)
    assert session["completed"] is False
    assert session["ended_by"] == "interrupt"


def test_sigterm_ends_the_session_recorded_and_the_terminal_echoes_again(
    tmp_path: Path, answers_file: MakeAnswers
) -> None:
    import signal

    home = tmp_path / "home"
    child = spawn(routine_args(answers_file(), press_seconds=30), home)
    start(child)
    child.expect("Step 1/")
    child.expect("press Enter")
    child.send("\r")
    child.expect("Press 0:")
    assert child.getecho() is False  # raw mode while the keys are read
    child.kill(signal.SIGTERM)
    rest, status = finish(child)
    assert status == 0
    assert "Traceback" not in rest
    (session,) = stored_sessions(home)
    assert (session["completed"], session["ended_by"]) == (False, "signal")


# --- one steady screen at 80x24 -----------------------------------------------------------


def test_a_step_is_one_screen_that_fits_80_by_24(tmp_path: Path, answers_file: MakeAnswers) -> None:
    home = tmp_path / "home"
    args = [*routine_args(answers_file(), press_seconds=30), "--pictures", "blocks"]
    child = spawn(args, home, columns=80, rows=24)
    screen = terminal.Screen(child, 80, 24)
    lines = screen.wait_for("Your routine:", "Start the session now?")
    assert any("Left out" in line or "GB30" in line for line in lines)  # the plan, readable
    child.send("\r")
    lines = screen.wait_for("Step 1/", "Find it:", "press Enter")
    assert lines[0].startswith("Step 1/")  # the step line is at the top: nothing scrolled off
    assert "left side" in lines[1] and "pressure" in lines[1]
    assert any("▀" in line or "▄" in line for line in lines)  # the picture in the room left
    child.send("\r")
    lines = screen.wait_for("Step 1/", "Find it:", "Press 0:", "space: pause")
    assert len(lines) == 24
    assert "breathe" in next(line for line in lines if "Press 0:" in line)
    child.send("q")
    finish(child)


def test_a_small_terminal_drops_the_picture_not_the_countdown(
    tmp_path: Path, answers_file: MakeAnswers
) -> None:
    home = tmp_path / "home"
    args = [*routine_args(answers_file(), press_seconds=30), "--pictures", "blocks"]
    child = spawn(args, home, columns=60, rows=10)
    screen = terminal.Screen(child, 60, 10)
    screen.wait_for("Start the session now?")
    child.send("\r")
    screen.wait_for("Step 1/", "press Enter")
    child.send("\r")
    lines = screen.wait_for("Step 1/", "Press 0:", "space: pause")
    assert not any("▀" in line or "▄" in line for line in lines)
    child.send("q")
    finish(child)


def test_no_to_starting_records_nothing(tmp_path: Path, answers_file: MakeAnswers) -> None:
    home = tmp_path / "home"
    child = spawn(routine_args(answers_file(), press_seconds=30), home)
    child.expect("Your routine:")
    child.expect(r"Start the session now\?")
    child.send("n")
    child.send("\r")
    output, code = finish(child)
    assert code == 130
    assert "Not started: no session was recorded." in output
    assert "Error" not in output and "Step 1/" not in output
    assert stored_sessions(home) == []


# --- the gate first, and one key at a time --------------------------------------------------


def test_an_emergency_refuses_before_any_question_about_the_routine(tmp_path: Path) -> None:
    home = tmp_path / "home"
    child = spawn(["routine", "--plan"], home)  # nothing given: everything would be asked
    child.expect("Not sure")  # the check comes first
    child.send("y\r")  # "does any of these apply?" yes
    child.expect("Not sure")
    child.send("y\r")  # the first emergency sign: injury
    child.expect("EMERGENCY")
    seen = (child.before or "") + child.read()
    child.close()
    assert child.exitstatus == 5
    for question in ("Where does it hurt?", "Which side hurts?", "told you why it hurts"):
        assert question not in seen


def test_a_recent_check_is_confirmed_before_where_it_hurts(
    tmp_path: Path, answers_file: MakeAnswers
) -> None:
    home = tmp_path / "home"
    text, status = finish(spawn(["check", "--no-input", "--answers", str(answers_file())], home))
    assert status == 0, text
    child = spawn(["routine", "--plan", "--lying", "--foot-reach"], home)
    child.expect("You did the red-flag check on")  # "has anything changed?"
    child.expect(r"\(Y/n, then Enter\)")
    assert "Where does it hurt?" not in (child.before or "")
    child.send("n\r")
    child.expect("Where does it hurt?")
    child.send(" \r")  # the first area
    child.expect("Which side hurts?")
    child.send("\r")
    child.expect("told you why it hurts")
    child.send("\r")
    child.expect("Your routine:")
    rest, status = finish(child)
    assert status == 0, rest


def test_n_then_enter_answers_one_yes_no_question_not_the_next(
    tmp_path: Path, answers_file: MakeAnswers
) -> None:
    from hipguide.store import Store

    home = tmp_path / "home"
    args = ["routine", "--plan", "--area", "outer", "--area", "leg", "--side", "left"]
    child = spawn([*args, "--answers", str(answers_file())], home)
    child.expect("Can you lie on your side")
    child.expect(r"\(Y/n, then Enter\)")
    child.send("n\r")
    child.expect("Can you reach your feet")
    child.expect(r"\(Y/n, then Enter\)")
    with pytest.raises(pexpect.TIMEOUT):  # the Enter after the n did not answer this one
        child.expect("Your routine:", timeout=1)
    child.send("n\r")
    child.expect("Your routine:")
    rest, status = finish(child)
    assert status == 0, rest
    with Store.open(home) as store:
        assert (store.setting("lying"), store.setting("foot_reach")) == ("no", "no")
