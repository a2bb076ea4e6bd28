"""The exit code of an error is the same with ``--debug`` (which only adds the
traceback), and output that a full device refuses is one line and exit 2 for every
command, its help included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from hipguide.cli import _app, app

#: A routine planned from the command line, to which a case adds its option.
PLAN = ["routine", "--plan", "--no-input", "--area", "outer", "--side", "left"]
LINUX_ONLY = pytest.mark.skipif(sys.platform != "linux", reason="/dev/full is Linux's")


def _both(
    runner: CliRunner, args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Result, Result]:
    """The command line run without, then with ``--debug`` (each in a fresh state: the
    flag is remembered for the process, as a real one runs only once)."""
    env = {"HIPGUIDE_HOME": str(tmp_path), "HIPGUIDE_DEBUG": None}
    monkeypatch.setitem(_app._state, "debug", False)
    plain = runner.invoke(app, args, env=env)
    monkeypatch.setitem(_app._state, "debug", False)
    debug = runner.invoke(app, ["--debug", *args], env=env)
    monkeypatch.setitem(_app._state, "debug", False)
    return plain, debug


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", "--no-input"], 2),  # a usage error: questions left unanswered
        (["points", "--condition", "nope"], 2),
        (["history", "--json", "--csv"], 2),
        (["checkin", "--no-input"], 2),
        (["check", "--no-input", "--answer", "injury=yes"], 5),
    ],
)
def test_debug_adds_the_traceback_and_keeps_the_exit_code(
    runner: CliRunner, args: list[str], code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, debug = _both(runner, args, tmp_path, monkeypatch)
    assert plain.exit_code == debug.exit_code == code
    assert "Traceback" not in plain.output
    if code == 2:
        assert "Traceback" in debug.output
        assert "Error:" in debug.output  # the one-line message is still given


def test_debug_keeps_an_internal_errors_code(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import hipguide.flows.lookup as lookup

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a fault")

    monkeypatch.setattr(lookup, "find_condition", broken)
    plain, debug = _both(runner, ["conditions", "sciatica"], tmp_path, monkeypatch)
    assert plain.exit_code == debug.exit_code == 70
    assert "Traceback" not in plain.output
    assert "Traceback" in debug.output and "RuntimeError: a fault" in debug.output


def _to_full(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HIPGUIDE_HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [sys.executable, "-m", "hipguide", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )


@LINUX_ONLY
@pytest.mark.parametrize(
    "args",
    [
        ["remind", "--ics", "-"],
        ["check", "--help"],
        ["routine", "--help"],
        ["card", "--no-input", "--area", "outer", "--side", "left", "--out", "-"],
        ["report", "--out", "-"],
    ],
    ids=lambda args: " ".join(args[:3]),
)
def test_a_full_device_is_one_line_and_exit_2(args: list[str], tmp_path: Path) -> None:
    if args[0] in ("card", "report"):  # a check of today that found nothing, to go on from
        from hipguide.dataset import load_dataset

        triage = load_dataset().triage
        answers = [f"{q.id}=no" for q in triage.questions if not q.after and q.tier != "modifier"]
        check = ["check", "--no-input", *(arg for a in answers for arg in ("--answer", a))]
        assert _to_full(check, tmp_path).returncode == 0
    done = _to_full(args, tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr
    assert (
        [line for line in lines if line.startswith("Error:")]
        == lines[-1:]
        == [
            "Error: Could not write the output (No space left on device). Check the disk or "
            "device it goes to."
        ]
    )


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--no-input", "--answers", "{folder}"],
        [*PLAN, "--answers", "{folder}"],
    ],
)
def test_a_folder_as_answers_file_is_one_line(
    runner: CliRunner, args: list[str], tmp_path: Path
) -> None:
    args = [str(tmp_path) if arg == "{folder}" else arg for arg in args]
    result = runner.invoke(app, args, env={"HIPGUIDE_HOME": str(tmp_path / "home")})
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: Answers file {tmp_path} is a folder, not a regular file. Save the content "
        "to a file and give that file's path."
    ]


LONG = "x" * 100_000


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["points", LONG], 1),
        (["conditions", LONG], 2),
        (["points", "--condition", LONG], 2),
        (["points", "--region", LONG], 2),
        (["routine", "--plan", "--no-input", "--area", "outer", "--side", LONG], 2),
        (["routine", "--plan", "--no-input", "--side", "left", "--area", LONG], 2),
        ([*PLAN, "--skip-point", LONG], 2),
        ([*PLAN, "--skip-area", LONG], 2),
    ],
    ids=lambda value: " ".join(value[:4]) if isinstance(value, list) else str(value),
)
def test_an_error_quotes_at_most_80_characters_of_a_value(
    runner: CliRunner, args: list[str], code: int, tmp_path: Path
) -> None:
    result = runner.invoke(app, args, env={"HIPGUIDE_HOME": str(tmp_path)})
    assert result.exit_code == code
    assert "x" * 77 + "..." in result.output and "x" * 78 not in result.output
    assert len(result.output) < 1000


def test_debug_may_follow_the_command(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(_app._state, "debug", False)
    result = runner.invoke(app, ["points", "GB30", "--debug"], env={"HIPGUIDE_HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert "GB30" in result.output
    assert _app._state["debug"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["checkin", "--no-input"], "The check-in's scores are needed, and --no-input was given."),
        (["checkin", "--no-input", "--peg", "5,5,5"], "is needed, and --no-input was given."),
    ],
)
def test_what_no_input_cannot_ask_is_said_in_good_grammar(
    runner: CliRunner, args: list[str], message: str, tmp_path: Path
) -> None:
    result = runner.invoke(app, args, env={"HIPGUIDE_HOME": str(tmp_path)})
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("args", "code"),
    [(["--help"], 0), (["routine", "--help"], 0), (["check", "-h"], 0), ([], 2)],
    ids=["help", "routine help", "check -h", "nothing"],
)
def test_help_to_a_reader_gone_ends_quietly_with_its_own_code(
    args: list[str], code: int, tmp_path: Path
) -> None:
    env = {**os.environ, "HIPGUIDE_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hipguide", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    with proc.stderr:
        errors = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == code
    assert "Traceback" not in errors and "Error" not in errors


@pytest.mark.parametrize(
    ("args", "said", "command"),
    [
        (["routine", "--plan", "--pain-before", "11"], "'--pain-before': 11 is not in", "routine"),
        (["routine", "--rest-seconds", "-1"], "'--rest-seconds'", "routine"),
        (["points", "--bogus"], "No such option: --bogus.", "points"),
        (["--bogus"], "No such option: --bogus.", ""),
        (["rutine"], "No such command 'rutine'. Did you mean 'routine'?", ""),
        (["history", "--all", "x"], "unexpected extra argument(s) (x).", "history"),
        (["check", "--answers"], "Option '--answers' requires an argument.", "check"),
    ],
)
def test_a_usage_error_is_one_line_saying_where_help_is(
    args: list[str], said: str, command: str, tmp_path: Path
) -> None:
    import os
    import subprocess

    env = {**os.environ, "HIPGUIDE_HOME": str(tmp_path), "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "hipguide", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("Error: ") and said in line
    called = "hipguide" + (f" {command}" if command else "")  # run as python -m hipguide
    assert line.endswith(f"Try 'python -m {called} -h' for help.")


@pytest.mark.parametrize(
    "args",
    [
        ["points", "gb30", "--\u202eX\u200b"],
        ["check", "--\u202ebogus"],
        ["routine", "--plan", "--\x1b[2Jx"],
    ],
    ids=["points", "check", "routine"],
)
def test_an_unknown_option_is_quoted_with_its_control_characters_escaped(
    runner: CliRunner, args: list[str], tmp_path: Path
) -> None:
    result = runner.invoke(app, args, env={"HIPGUIDE_HOME": str(tmp_path)})
    assert result.exit_code == 2
    assert "No such option" in result.output
    for character in ("\u202e", "\u200b", "\x1b"):
        assert character not in result.output
    assert "\\u202e" in result.output or "\\x1b" in result.output
