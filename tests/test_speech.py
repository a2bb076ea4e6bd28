"""Speaking the cues: a fake speech program on PATH stands in for espeak-ng."""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import MakeAnswers
from fakes import FakeClock
from hipguide.cli import app
from hipguide.cli._runtime import Runtime
from hipguide.ui.speech import Speaker, find_speaker


def fake_program(folder: Path, name: str, log: Path, seconds: float = 0.0) -> Path:
    """An executable ``name`` that appends its arguments to ``log`` (after ``seconds``)."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text(
        f"#!{sys.executable}\n"
        "import json, sys, time\n"
        f"time.sleep({seconds})\n"
        f"with open({str(log)!r}, 'a') as f: f.write(json.dumps(sys.argv[1:]) + '\\n')\n",
        encoding="utf-8",
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def said(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [json.loads(line)[-1] for line in log.read_text(encoding="utf-8").splitlines()]


def test_a_cue_is_said_and_the_caller_does_not_wait(tmp_path: Path) -> None:
    log = tmp_path / "said.log"
    speaker = Speaker([str(fake_program(tmp_path / "bin", "espeak-ng", log, seconds=0.5))])
    start = time.monotonic()
    speaker.say("Press.")
    assert time.monotonic() - start < 0.4  # never blocks the countdown
    speaker.close()  # lets the last cue finish
    assert said(log) == ["Press."]


def test_a_new_cue_replaces_one_still_being_said(tmp_path: Path) -> None:
    log = tmp_path / "said.log"
    speaker = Speaker([str(fake_program(tmp_path / "bin", "espeak-ng", log, seconds=2))])
    speaker.say("Find GB30, left side.")
    speaker.say("Rest.")
    speaker.close()
    assert said(log) == ["Rest."]


@pytest.mark.parametrize(
    ("platform", "present", "expected"),
    [
        ("linux", {"espeak-ng", "espeak"}, "espeak-ng"),
        ("linux", {"espeak"}, "espeak"),
        ("linux", {"say"}, None),
        ("darwin", {"say"}, "say"),
        ("win32", {"espeak-ng", "say"}, None),
    ],
)
def test_the_platform_s_own_program_is_found(
    platform: str, present: set[str], expected: str | None
) -> None:
    speaker = find_speaker(lambda name: f"/usr/bin/{name}" if name in present else None, platform)
    if expected is None:
        assert speaker is None
    else:
        assert speaker is not None and speaker.command == [f"/usr/bin/{expected}"]


RUN = ["routine", "--no-input", "--area", "outer", "--side", "left", "--press-seconds", "1"]
RUN += ["--find-seconds", "0", "--rest-seconds", "1", "--minutes", "2", "--quiet"]


@pytest.mark.skipif(sys.platform != "linux", reason="the fake program is the Linux one")
def test_speak_says_the_cues_of_a_routine(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "said.log"
    fake_program(tmp_path / "bin", "espeak-ng", log)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    args = [*RUN, "--answers", str(answers_file()), "--speak"]
    result = runner.invoke(app, args, obj=Runtime(clock=FakeClock()))
    assert result.exit_code == 0, result.output
    # the session ran on a fake clock in no time, so each cue replaced the one before it
    assert said(log)[-1] == "Session done."
    assert "cannot be spoken" not in result.stderr


class RecordingSpeaker:
    def __init__(self) -> None:
        self.cues: list[str] = []
        self.closed = False

    def say(self, text: str) -> None:
        self.cues.append(text)

    def close(self) -> None:
        self.closed = True


def test_the_view_speaks_find_press_switch_rest_and_done(dataset) -> None:  # type: ignore[no-untyped-def]
    import io

    from rich.console import Console

    from fakes import ScriptedCommands
    from hipguide.planner import Step
    from hipguide.session import SessionEngine
    from hipguide.ui.sessionview import SessionView

    steps = [
        Step("GB34", "left", 2, "moderate", "distal"),
        Step("GB34", "right", 2, "moderate", "distal"),
        Step("LI15", "right", 2, "moderate", "mirror"),
    ]
    speaker = RecordingSpeaker()
    console = Console(file=io.StringIO(), force_terminal=False, width=80)
    view = SessionView(console, dataset, steps, speaker=speaker)  # type: ignore[arg-type]
    clock = FakeClock()
    engine = SessionEngine(
        steps, clock, wait_for_command=ScriptedCommands(clock), find=True, find_seconds=1
    )
    engine.run(view.handle)
    view.close()
    assert speaker.cues == [
        "Find GB34, left side.",
        "Press.",
        "Switch to the right side.",
        "Find GB34, right side.",
        "Press.",
        "Rest.",
        "Find LI15, right side.",
        "Press.",
        "Session done.",
    ]
    assert speaker.closed


def test_speak_without_a_speech_program_says_so_once_and_goes_on(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    args = [*RUN, "--answers", str(answers_file()), "--speak"]
    result = runner.invoke(app, args, obj=Runtime(clock=FakeClock()))
    assert result.exit_code == 0, result.output
    assert result.stderr.count("cannot be spoken") == 1
    assert "Session complete" in result.stdout


def test_the_keys_line_says_space_goes_on_while_paused(dataset) -> None:  # type: ignore[no-untyped-def]
    import io

    from rich.console import Console

    from hipguide.planner import Step
    from hipguide.session import Event
    from hipguide.ui.sessionview import KEYS_PAUSED, KEYS_PRESS, SessionView

    console = Console(file=io.StringIO(), force_terminal=False, width=80)
    view = SessionView(console, dataset, [Step("GB34", "left", 30, "moderate", "distal")])

    def keys_shown(event: Event) -> str:
        other = Console(file=io.StringIO(), width=80)
        other.print(view._status(event))
        return other.file.getvalue()  # type: ignore[attr-defined,no-any-return]

    view._segment_kind, view._segment_seconds = "press", 30.0
    press = Event("tick", 0, None, 20.0, 10.0, 10.0)
    assert KEYS_PRESS in keys_shown(press)
    view._on_paused(press)
    shown = keys_shown(press)
    assert KEYS_PAUSED in shown and "space: pause" not in shown
    view._on_resumed(press)
    assert KEYS_PRESS in keys_shown(press)


def test_the_last_press_is_left_on_screen_at_zero_with_its_bar_full(dataset) -> None:  # type: ignore[no-untyped-def]
    import io

    from rich.console import Console

    from fakes import ScriptedCommands
    from hipguide.planner import Step
    from hipguide.session import SessionEngine
    from hipguide.ui.sessionview import SessionView

    steps = [Step("GB34", "left", 3, "moderate", "distal")]
    console = Console(file=io.StringIO(), force_terminal=True, width=80, height=24)
    view = SessionView(console, dataset, steps, quiet=True, pictures="none")
    clock = FakeClock()
    engine = SessionEngine(steps, clock, wait_for_command=ScriptedCommands(clock))
    engine.run(view.handle)
    view.close()
    drawn = console.file.getvalue()  # type: ignore[attr-defined]
    last = drawn[drawn.rindex("Press ") :]
    assert last.startswith("Press 0:00")  # not the 0:01 of the last tick


def test_the_countdown_bar_keeps_its_length_while_the_breathing_cue_changes(dataset) -> None:  # type: ignore[no-untyped-def]
    import io

    from rich.console import Console

    from hipguide.planner import Step
    from hipguide.session import Event
    from hipguide.ui.sessionview import PRESS_CUES, SessionView

    console = Console(file=io.StringIO(), force_terminal=False, width=80)
    view = SessionView(console, dataset, [Step("GB34", "left", 30, "moderate", "distal")])
    view._segment_kind, view._segment_seconds = "press", 30.0
    bars = {}
    for into in (1.0, 5.5):  # breathing in, then out
        other = Console(file=io.StringIO(), width=80)
        other.print(view._status(Event("tick", 0, None, 30.0 - into, into, into)))
        first = other.file.getvalue().splitlines()[0]  # type: ignore[attr-defined]
        cue = next(c for c in PRESS_CUES if c in first)
        bars[cue] = first.index(cue)
    assert set(bars) == set(PRESS_CUES)
    assert len(set(bars.values())) == 1  # the cue starts in the same column
