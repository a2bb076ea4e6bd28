"""Terminal and storage faults, through the real program (``python -m hipguide``).

A closed pipe, no terminal, a dumb or narrow terminal, end of input mid-questions,
a history folder that cannot be made, a damaged or newer history file, and two
hipguides writing at once: each ends with its documented exit code and message.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
from rich.cells import cell_len

from conftest import answer_items
from terminal import spawn

#: A CSI or OSC escape sequence, as Rich and prompt_toolkit write them.
ESCAPE = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\))")
NOT_RECORDED = re.compile(r"nothing (was|will be) recorded", re.IGNORECASE)


def hipguide(
    *args: str, env: dict[str, str] | None = None, stdin: int | None = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    """Run the real program with piped output; never waits more than 20 s."""
    return subprocess.run(
        [sys.executable, "-m", "hipguide", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=20,
        env={**os.environ, **(env or {})},
        stdin=stdin,
        check=False,
    )


def run_in_terminal(
    args: list[str], columns: int = 80, env: dict[str, str | None] | None = None
) -> tuple[str, int]:
    """Everything the program wrote to its terminal, and its exit code."""
    child = spawn(args, columns, env)
    output = child.read()
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return output.replace("\r\n", "\n"), int(child.exitstatus)


# --- a closed output pipe -----------------------------------------------------------------


def _small_pipe() -> tuple[int, int]:
    """A pipe holding one page, so that any real output outgrows it."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    return read_end, write_end


def _start(args: list[str], stdout: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "hipguide", *args],
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize(
    "args",
    [["points"], ["points", "--json"], ["conditions", "--json"], ["check", "--questions"]],
)
def test_reader_closing_after_one_line_ends_quietly(args: list[str]) -> None:
    read_end, write_end = _small_pipe()
    process = _start(args, write_end)
    os.close(write_end)
    line = b""
    while not line.endswith(b"\n"):
        chunk = os.read(read_end, 1)
        assert chunk, "the program wrote no full line"
        line += chunk
    os.close(read_end)
    _, stderr = process.communicate(timeout=20)
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text
    assert "BrokenPipe" not in text
    assert text == ""
    assert process.returncode == 0


@pytest.mark.parametrize("args", [["points"], ["points", "--json"]])
def test_reader_gone_before_any_output_ends_quietly_with_0(args: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    process = _start(args, write_end)
    os.close(write_end)
    _, stderr = process.communicate(timeout=20)
    assert stderr == b""
    assert process.returncode == 0


ROUTINE = ["routine", "--no-input", "--area", "outer", "--side", "left", "--minutes", "1"]


@pytest.mark.parametrize(
    ("args", "answer", "code"),
    [
        ([*ROUTINE, "--plan"], "injury=yes", 5),
        (ROUTINE, "injury=yes", 5),
        (["--pictures", "none", *ROUTINE], "injury=yes", 5),
        ([*ROUTINE, "--plan"], "fever=yes", 4),
        ([*ROUTINE, "--plan"], "worsening=yes", 3),
        (ROUTINE, "worsening=yes", 3),
        (["--pictures", "none", *ROUTINE, "--plan"], "worsening=yes", 3),
        ([*ROUTINE, "--plan", "--accept-risk"], "worsening=yes", 0),
        ([*ROUTINE, "--plan"], "injury=no", 0),
        (ROUTINE, "injury=no", 0),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_a_routine_whose_reader_has_gone_keeps_its_verdict(
    args: list[str], answer: str, code: int, all_no: dict[str, str]
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    process = _start([*args, *answer_items(all_no), "--answer", answer], write_end)
    os.close(write_end)
    _, stderr = process.communicate(timeout=20)
    assert stderr == b""
    assert process.returncode == code


def test_a_reused_emergency_check_keeps_its_code_for_a_reader_gone(
    all_no: dict[str, str],
) -> None:
    done = hipguide("check", "--no-input", *answer_items({**all_no, "injury": "yes"}))
    assert done.returncode == 5
    read_end, write_end = os.pipe()
    os.close(read_end)
    process = _start(ROUTINE, write_end)  # no answers: the recent check is reused
    os.close(write_end)
    _, stderr = process.communicate(timeout=20)
    assert (process.returncode, stderr) == (5, b"")
    history = json.loads(hipguide("history", "--json").stdout)
    assert [c["tier"] for c in history["checks"]] == ["emergency"]
    assert history["sessions"] == []


# --- no terminal --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["routine", "--plan"],
        ["routine", "--plan", "--answer", "injury=no"],
        ["history", "--forget"],
    ],
)
def test_a_prompt_without_a_terminal_is_exit_2_with_a_hint(args: list[str]) -> None:
    result = hipguide(*args)  # stdin from /dev/null, output piped; fails fast, never hangs
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "No terminal" in result.stderr
    assert re.search(r"--(answer|no-input|yes|area)", result.stderr), result.stderr


@pytest.mark.pty
def test_stdin_from_dev_null_fails_even_when_output_is_a_terminal() -> None:
    import pty

    controller, terminal = pty.openpty()
    with open(os.devnull, "rb") as devnull:
        process = subprocess.Popen(
            [sys.executable, "-m", "hipguide", "check"],
            stdin=devnull,
            stdout=terminal,
            stderr=terminal,
        )
    os.close(terminal)
    output = b""
    try:
        while chunk := os.read(controller, 4096):
            output += chunk
    except OSError:  # EIO once the program has closed the terminal
        pass
    finally:
        os.close(controller)
    assert process.wait(timeout=20) == 2
    text = output.decode("utf-8", "replace")
    assert "No terminal" in text
    assert "Traceback" not in text


# --- dumb and narrow terminals ------------------------------------------------------------

COMMANDS = [["points", "GB30"], ["points"], ["conditions", "sciatica"], ["check", "--questions"]]


@pytest.mark.pty
def test_a_colour_terminal_does_get_escape_codes() -> None:
    """The control for the two tests below: on a plain terminal, styles are written."""
    output, code = run_in_terminal(["points", "GB30"])
    assert code == 0
    assert ESCAPE.search(output)


@pytest.mark.pty
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_term_dumb_writes_no_escape_codes(args: list[str]) -> None:
    output, code = run_in_terminal(args, env={"TERM": "dumb"})
    assert code == 0
    assert "\x1b" not in output


@pytest.mark.pty
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_color_writes_no_escape_codes(args: list[str]) -> None:
    output, code = run_in_terminal(args, env={"NO_COLOR": "1"})
    assert code == 0
    assert "\x1b" not in output


@pytest.mark.pty
def test_no_color_writes_no_colour_codes() -> None:
    output, code = run_in_terminal(["points", "GB30"], env={"NO_COLOR": "1"})
    assert code == 0
    colours = re.findall(r"\x1b\[([0-9;]*)m", output)
    assert not [c for c in colours if re.search(r"(^|;)(3[0-9]|9[0-7]|4[0-9]|10[0-7])", c)]


def _too_wide(text: str, columns: int) -> list[str]:
    return [line for line in ESCAPE.sub("", text).splitlines() if cell_len(line) > columns]


@pytest.mark.parametrize(
    "args",
    [*COMMANDS, ["conditions"], ["history"]],
    ids=" ".join,
)
def test_forty_columns_piped_output_fits(args: list[str], all_no: dict[str, str]) -> None:
    if args[0] == "history":
        assert hipguide("check", "--no-input", *answer_items(all_no)).returncode == 0
    result = hipguide(*args, env={"COLUMNS": "40"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") > 3
    assert _too_wide(result.stdout, 40) == []


def test_forty_columns_verdict_and_plan_fit(all_no: dict[str, str]) -> None:
    for args in (
        ["check", "--no-input", *answer_items(all_no), "--answer", "fever=yes"],
        [
            "routine",
            "--plan",
            "--no-input",
            "--area",
            "outer",
            "--side",
            "both",
            *answer_items(all_no),
        ],
    ):
        result = hipguide(*args, env={"COLUMNS": "40"})
        assert result.returncode in (0, 4), result.stderr
        assert _too_wide(result.stdout, 40) == []


@pytest.mark.pty
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_forty_column_terminal_output_fits(args: list[str]) -> None:
    output, code = run_in_terminal(args, columns=40, env={"COLUMNS": "40"})
    assert code == 0
    assert _too_wide(output, 40) == []


@pytest.mark.pty
def test_forty_column_dumb_terminal_output_fits() -> None:
    output, code = run_in_terminal(
        ["points", "GB30"], columns=40, env={"COLUMNS": "40", "LINES": None, "TERM": "dumb"}
    )
    assert code == 0
    assert _too_wide(output, 40) == []


# --- end of input in the middle of the questions ------------------------------------------


@pytest.mark.pty
def test_end_of_input_after_one_answer_ends_the_check() -> None:
    child = spawn(["check"])
    try:
        child.expect("Not sure")
        child.send("n")
        child.send("\r")
        child.expect("Not sure")  # the second question is on screen
        child.sendeof()
        child.expect(pexpect.EOF, timeout=5)  # a hang raises TIMEOUT here
        rest = child.before or ""
    finally:
        child.close(force=True)
    assert "Traceback" not in rest
    assert child.exitstatus in (130, 2)


# --- the history cannot be used -----------------------------------------------------------


def _under_a_file(tmp_path: Path) -> Path:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    return blocker / "home"


def _corrupt(tmp_path: Path) -> Path:
    folder = tmp_path / "corrupt"
    folder.mkdir()
    (folder / "history.sqlite3").write_bytes(bytes(range(256)) * 32)
    return folder


def _newer(tmp_path: Path) -> Path:
    folder = tmp_path / "newer"
    folder.mkdir()
    connection = sqlite3.connect(folder / "history.sqlite3")
    connection.executescript(
        "CREATE TABLE checks (id INTEGER PRIMARY KEY, at TEXT, tier TEXT);"
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY, started_at TEXT);"
        "PRAGMA user_version = 99;"
    )
    connection.close()
    return folder


def _damaged(tmp_path: Path, all_no: dict[str, str]) -> Path:
    """A real history with checks in it, then cut in half."""
    folder = tmp_path / "damaged"
    for _ in range(3):
        result = hipguide(
            "check", "--no-input", *answer_items(all_no), env={"HIPGUIDE_HOME": str(folder)}
        )
        assert result.returncode == 0, result.stderr
    path = folder / "history.sqlite3"
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return folder


def _folder_in_the_way(tmp_path: Path) -> Path:
    folder = tmp_path / "folder"
    (folder / "history.sqlite3").mkdir(parents=True)
    return folder


HOMES = ["under-a-file", "corrupt", "newer", "damaged", "folder-in-the-way"]


@pytest.fixture(params=HOMES)
def bad_home(request: pytest.FixtureRequest, tmp_path: Path, all_no: dict[str, str]) -> Path:
    kind = request.param
    if kind == "under-a-file":
        return _under_a_file(tmp_path)
    if kind == "corrupt":
        return _corrupt(tmp_path)
    if kind == "newer":
        return _newer(tmp_path)
    if kind == "folder-in-the-way":
        return _folder_in_the_way(tmp_path)
    return _damaged(tmp_path, all_no)


def _snapshot(home: Path) -> dict[str, bytes | None]:
    """Every entry of ``home`` with its bytes (``None`` for a folder)."""
    if not home.is_dir():
        return {}
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(home.iterdir())}


WHAT_TO_DO = re.compile(r"move it aside|Upgrade hipguide|Set HIPGUIDE_HOME")


@pytest.mark.parametrize("args", [["history"], ["history", "--json"], ["history", "--csv"]])
def test_history_names_the_bad_file_and_what_to_do(bad_home: Path, args: list[str]) -> None:
    before = _snapshot(bad_home)
    result = hipguide(*args, env={"HIPGUIDE_HOME": str(bad_home)})
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert str(bad_home) in result.stderr
    assert WHAT_TO_DO.search(result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _snapshot(bad_home) == before


@pytest.mark.parametrize(
    ("answers", "tier", "code"),
    [({}, "self-care", 0), ({"night_pain": "yes"}, "soon", 3), ({"injury": "yes"}, "emergency", 5)],
)
def test_check_still_gives_its_verdict_and_says_nothing_was_recorded(
    bad_home: Path, all_no: dict[str, str], answers: dict[str, str], tier: str, code: int
) -> None:
    before = _snapshot(bad_home)
    extra = [item for key, value in answers.items() for item in ("--answer", f"{key}={value}")]
    result = hipguide(
        "check",
        "--no-input",
        "--json",
        *answer_items(all_no),
        *extra,
        env={"HIPGUIDE_HOME": str(bad_home)},
    )
    assert result.returncode == code, result.stderr
    assert json.loads(result.stdout)["tier"] == tier
    assert NOT_RECORDED.search(result.stderr), result.stderr
    assert str(bad_home) in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(bad_home) == before


def test_routine_plan_still_works_and_says_nothing_is_recorded(
    bad_home: Path, all_no: dict[str, str]
) -> None:
    before = _snapshot(bad_home)
    result = hipguide(
        "routine", "--plan", "--no-input", "--json", "--area", "outer", "--side", "left",
        *answer_items(all_no), env={"HIPGUIDE_HOME": str(bad_home)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["steps"]
    assert NOT_RECORDED.search(result.stderr), result.stderr
    assert _snapshot(bad_home) == before


# --- two writers at once ------------------------------------------------------------------


@pytest.mark.parametrize("writers", [2, 6])
def test_checks_run_at_once_are_all_recorded(
    home: Path, all_no: dict[str, str], writers: int
) -> None:
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "hipguide",
                "check",
                "--no-input",
                "--json",
                *answer_items(all_no),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(writers)
    ]
    outputs = [process.communicate(timeout=30) for process in processes]
    for process, (stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert json.loads(stdout)["tier"] == "self-care"
        assert not NOT_RECORDED.search(stderr), stderr
    history = hipguide("history", "--json")
    assert history.returncode == 0, history.stderr
    assert len(json.loads(history.stdout)["checks"]) == writers


@pytest.fixture(autouse=True)
def _no_stray_children() -> Iterator[None]:
    """Every test here starts its own processes; none may outlive it."""
    yield
    assert not [p for p in _children() if p.endswith("-m hipguide")]


def _children() -> list[str]:
    mine = str(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        parent = re.search(r"^PPid:\s*(\d+)", status, re.MULTILINE)
        if parent and parent.group(1) == mine and "hipguide" in command:
            found.append(" ".join(command.split()[:3]))
    return found
