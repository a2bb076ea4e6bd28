"""The real interactive commands, driven through a pseudo-terminal with pexpect."""

from __future__ import annotations

import json
from pathlib import Path

import pexpect
import pytest

import terminal

pytestmark = pytest.mark.pty

DOWN = "\x1b[B"


def spawn(args: list[str], home: Path, columns: int = 80) -> pexpect.spawn:
    return terminal.spawn(args, columns, {"HIPGUIDE_HOME": str(home), "COLUMNS": str(columns)})


def answer(child: pexpect.spawn, key: str) -> None:
    """Pick an answer in a Yes / No / Not sure list and confirm it."""
    child.expect("Not sure")
    child.send(key)
    child.send("\r")


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return int(child.exitstatus)


def test_check_with_no_red_flags_is_a_few_answers(tmp_path: Path) -> None:
    child = spawn(["check"], tmp_path)
    answer(child, "n")  # emergency group
    child.expect("pregnant")  # asked with the emergencies: it opens one
    answer(child, "n")
    answer(child, "n")  # urgent group
    answer(child, "n")  # soon group
    for _ in range(3):  # the other three cautions, one by one
        answer(child, "n")
    child.expect("SELF-CARE IS REASONABLE")
    child.expect("diagnos")
    output = child.before or ""
    assert "Traceback" not in output
    assert finish(child) == 0


def test_emergency_answer_shows_the_verdict_at_once(tmp_path: Path) -> None:
    child = spawn(["check"], tmp_path)
    answer(child, "y")  # "does any of these apply?" -> yes
    answer(child, "y")  # the first emergency question: injury
    child.expect("EMERGENCY")
    assert finish(child) == 5


def test_ctrl_c_at_a_prompt_exits_130_without_traceback(tmp_path: Path) -> None:
    child = spawn(["check"], tmp_path)
    child.expect("Not sure")
    child.sendcontrol("c")
    rest = child.read()
    assert "Traceback" not in rest
    assert "Stopped." in rest and "Error" not in rest  # the person's choice, not an error
    assert finish(child) == 130


def test_history_json_after_a_pty_check(tmp_path: Path) -> None:
    child = spawn(["check"], tmp_path)
    answer(child, "y")
    answer(child, "y")
    finish(child)
    child = spawn(["history", "--json"], tmp_path)
    text = child.read()
    finish(child)
    data = json.loads(text[text.index("{") :])
    assert [c["tier"] for c in data["checks"]] == ["emergency"]


def test_pregnant_then_a_pregnancy_warning_is_an_emergency_at_once(tmp_path: Path) -> None:
    child = spawn(["check"], tmp_path)
    answer(child, "n")  # emergency group
    child.expect(r"\(9/31\) Are you pregnant")  # straight after the emergency signs
    answer(child, "y")  # pregnant: yes
    child.expect("bleeding")  # the pregnancy warning signs come right after
    answer(child, "y")
    child.expect("emergency sign")
    child.expect("EMERGENCY")
    seen = (child.before or "") + child.read()
    assert "doctor today" not in seen  # no other tier's questions came first, or after
    assert "blood thinners" not in seen  # no caution was asked after the emergency
    assert finish(child) == 5
    child = spawn(["history", "--json"], tmp_path)
    text = child.read()
    finish(child)
    (recorded,) = json.loads(text[text.index("{") :])["checks"]
    assert recorded["answers"]["pregnancy_warning"] == "yes"


def test_a_background_answer_asks_whether_a_professional_has_seen_the_pain(
    tmp_path: Path,
) -> None:
    child = spawn(["check"], tmp_path)
    answer(child, "n")  # emergency group
    child.expect("pregnant")
    answer(child, "n")
    answer(child, "y")  # urgent group: something applies
    for _ in range(7):  # fever ... under_16: no
        answer(child, "n")
    child.expect("replacement")
    answer(child, "y")  # hip_replacement: yes (a background question)
    answer(child, "n")  # soon group
    for _ in range(3):  # the other cautions
        answer(child, "n")
    child.expect("examined")  # assessed is asked, now that it can change something
    answer(child, "y")
    child.expect("SELF-CARE")
    child.expect("Noted, not counted on their own")
    assert finish(child) == 0


def test_an_error_on_a_terminal_wraps_between_words(tmp_path: Path) -> None:
    import subprocess
    import sys

    args = ["check", "--no-input", "--answer", "no_such_question=yes"]
    env = {"HIPGUIDE_HOME": str(tmp_path / "home")}
    piped = subprocess.run(
        [sys.executable, "-m", "hipguide", *args],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    (message,) = piped.stderr.splitlines()  # one line for a reader that is not a person
    assert message.startswith("Error: ") and len(message) > 120
    child = terminal.spawn(args, columns=60, env=env, rows=24)
    screen = terminal.Screen(child, 60, 24)
    screen.wait_for("Error:")
    screen.pump(1.0)
    rows = [row for row in screen.lines() if row]
    assert len(rows) > 2 and all(len(row) <= 60 for row in rows)
    assert " ".join(rows).split() == message.split()  # no word cut in two
