"""The real ``hipguide checkin``, driven through a pseudo-terminal with pexpect."""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest

import terminal
from hipguide.store import Store

pytestmark = pytest.mark.pty


def spawn(args: list[str], home: Path) -> pexpect.spawn:
    return terminal.spawn(args, 80, {"HIPGUIDE_HOME": str(home), "COLUMNS": "80"})


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return int(child.exitstatus)


def test_a_checkin_is_four_answers_and_is_kept(tmp_path: Path) -> None:
    child = spawn(["checkin"], tmp_path)
    child.expect(r"\(1/3\)")
    child.expect("pain as bad as you can imagine")
    child.send("11\r")  # out of range: asked again, not taken
    child.expect("out of range")
    child.send("\x7f\x7f6\r")
    child.expect(r"\(2/3\)")
    child.send("5\r")
    child.expect(r"\(3/3\)")
    child.send("7\r")
    child.expect("Very much worse")
    child.send("2\r")
    child.expect("Check-in recorded")
    assert finish(child) == 0
    with Store.open(tmp_path) as store:
        [kept] = store.checkins()
    assert (kept.peg, kept.pgic) == ((6, 5, 7), 2)


def test_ctrl_c_in_a_checkin_keeps_nothing(tmp_path: Path) -> None:
    child = spawn(["checkin", "--peg", "3,3,3"], tmp_path)
    child.expect("Very much worse")
    child.sendcontrol("c")
    assert finish(child) == 130
    with Store.open(tmp_path) as store:
        assert store.checkins() == []
