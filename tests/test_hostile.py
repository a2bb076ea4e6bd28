"""One test per hostile probe of issue 11 and DESIGN.md section 6, each through the real
program (``python -m hipguide``) in a child process: a file or a setting from outside,
then the promise it must not break (a documented exit code, one line, no traceback, no
hang, the verdict given, nothing recorded lost or exposed).

Where memory is the risk the child runs under an address-space limit; every child has
a timeout, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
import pty
import re
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from conftest import answer_items

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="POSIX files and devices")
LINUX_ONLY = pytest.mark.skipif(
    sys.platform != "linux", reason="RLIMIT_AS and /dev/full are Linux's"
)
#: The address space a probe may use: far more than hipguide needs (about 100 MiB), far
#: less than an alias bomb or /dev/zero would take.
MEMORY = 256 * 2**20
NOT_RECORDED = re.compile(r"nothing (was|will be) recorded", re.IGNORECASE)

#: Nine levels of nine aliases: a few hundred bytes that would expand to 9**9 strings.
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{level}: &{level} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, level in zip("abcdefgh", "bcdefghi", strict=True)
)

_LAUNCH = textwrap.dedent(
    """
    import resource, runpy, sys
    limit = int(sys.argv.pop(1))
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.argv[0] = "hipguide"
    runpy.run_module("hipguide", run_name="__main__")
    """
)


def hipguide(
    *args: str | Path,
    env: dict[str, str] | None = None,
    memory: int = 0,
    stdin: Any = subprocess.DEVNULL,
    stdout: Any = subprocess.PIPE,
    stderr: Any = subprocess.PIPE,
    timeout: float = 20,
) -> subprocess.CompletedProcess[bytes]:
    """Run the real program; ``memory`` bytes of address space at most (0: no limit)."""
    return subprocess.run(
        [sys.executable, "-c", _LAUNCH, str(memory), *map(str, args)],
        env={**os.environ, **(env or {})},
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        timeout=timeout,
        check=False,
    )


def one_error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    """The one line a failure prints on stderr, checked to be one clean line."""
    text = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in text, text[-3000:]
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith("Error:"), text
    assert "\x1b" not in lines[0]
    return lines[0]


def answers_file(tmp_path: Path, all_no: dict[str, str], **changes: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text("".join(f"{k}: {v}\n" for k, v in {**all_no, **changes}.items()), "utf-8")
    return path


# --- answers files ------------------------------------------------------------------------


@LINUX_ONLY
def test_an_alias_bomb_answers_file_is_refused_fast_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    assert path.stat().st_size < 512
    result = hipguide("check", "--no-input", "--answers", path, memory=MEMORY)
    assert result.returncode == 2
    assert "aliases are not allowed" in one_error_line(result)


@LINUX_ONLY
def test_dev_zero_as_answers_is_refused_at_once_in_bounded_memory() -> None:
    result = hipguide("check", "--no-input", "--answers", "/dev/zero", memory=MEMORY)
    assert result.returncode == 2
    assert "/dev/zero is a device, not a regular file" in one_error_line(result)


@POSIX_ONLY
def test_a_named_pipe_as_answers_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    os.mkfifo(path)  # nobody writes to it: opening it to read would block for ever
    result = hipguide("check", "--no-input", "--answers", path, timeout=10)
    assert result.returncode == 2
    assert "named pipe" in one_error_line(result)


@LINUX_ONLY
def test_a_huge_answers_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    with path.open("wb") as handle:
        handle.truncate(4 * 2**30)  # a sparse 4 GiB file: reading it would exhaust memory
    result = hipguide("check", "--no-input", "--answers", path, memory=MEMORY)
    assert result.returncode == 2
    assert "more than the limit of 65,536" in one_error_line(result)


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("answers.yaml", "injury: yes\ninjury: no\n"),
        ("answers.yaml", "injury: yes\nINJURY: no\n"),
        ("answers.json", '{"injury": "yes", "injury": "no"}'),
    ],
    ids=["yaml", "yaml-case", "json"],
)
def test_a_later_no_never_undoes_an_earlier_yes(
    tmp_path: Path, all_no: dict[str, str], name: str, body: str
) -> None:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    others = {k: v for k, v in all_no.items() if k != "injury"}
    result = hipguide("check", "--no-input", "--answers", path, *answer_items(others))
    assert result.returncode == 2  # never 0 (self-care)
    assert "injury" in one_error_line(result)


@pytest.mark.parametrize(
    ("value", "kind"),
    [("2024-01-01", "a date"), ("9" * 5000, "a number too large"), ("[yes, no]", "a list")],
    ids=["date", "5000-digits", "list"],
)
def test_a_wrong_typed_answer_is_one_line_quoting_80_characters(
    tmp_path: Path, value: str, kind: str
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(f"injury: {value}\n", encoding="utf-8")
    result = hipguide("check", "--no-input", "--answers", path)
    assert result.returncode == 2
    line = one_error_line(result)
    assert str(path) in line and "'injury'" in line and kind in line
    assert "9" * 81 not in line


# --- datasets (HIPGUIDE_DATA) --------------------------------------------------------------


def _with_english(data: Path, raw: str) -> None:
    path = data / "points.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("english:", text.index("code: GB30"))
    end = text.index("\n", start)
    path.write_text(text[:start] + f"english: {raw}" + text[end:], encoding="utf-8")


@pytest.mark.parametrize(
    ("raw", "code_point"),
    [
        (r'"Jumping Circle\e]0;owned\a"', "U+001B"),  # sets the terminal's title
        (r'"\e[2J\e[HSELF-CARE"', "U+001B"),  # clears the screen, verdict and all
        (r'"Jumping \u202eelcriC"', "U+202E"),  # shows the rest backwards
        (r'"Jump\u200bing Circle"', "U+200B"),  # an invisible break in a name
    ],
    ids=["title", "clear", "bidi", "zero-width"],
)
def test_escape_sequences_in_a_dataset_text_never_reach_the_terminal(
    data_copy: Path, raw: str, code_point: str
) -> None:
    _with_english(data_copy, raw)
    result = hipguide("points", "GB30", env={"HIPGUIDE_DATA": str(data_copy)})
    assert result.returncode == 2
    assert result.stdout == b""
    line = one_error_line(result)
    assert "points.yaml, entry GB30" in line and "field 'english'" in line
    assert code_point in line
    assert b"\x1b" not in result.stderr and "\u202e".encode() not in result.stderr


@LINUX_ONLY
def test_an_alias_bomb_in_a_dataset_is_refused_fast_in_bounded_memory(data_copy: Path) -> None:
    (data_copy / "regions.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    result = hipguide("points", "GB30", env={"HIPGUIDE_DATA": str(data_copy)}, memory=MEMORY)
    assert result.returncode == 2
    line = one_error_line(result)
    assert "regions.yaml, line " in line
    assert "aliases expand to more than" in line


@LINUX_ONLY
def test_a_huge_dataset_file_is_refused_before_it_is_read(data_copy: Path) -> None:
    with (data_copy / "points.yaml").open("r+b") as handle:
        handle.truncate(4 * 2**30)  # sparse: reading it whole would exhaust memory
    result = hipguide("points", "GB30", env={"HIPGUIDE_DATA": str(data_copy)}, memory=MEMORY)
    assert result.returncode == 2
    assert "more than the limit of 2,097,152" in one_error_line(result)


@POSIX_ONLY
def test_a_named_pipe_as_a_dataset_file_is_refused_without_blocking(data_copy: Path) -> None:
    (data_copy / "areas.yaml").unlink()
    os.mkfifo(data_copy / "areas.yaml")
    result = hipguide("points", "GB30", env={"HIPGUIDE_DATA": str(data_copy)}, timeout=10)
    assert result.returncode == 2
    assert "areas.yaml is a named pipe" in one_error_line(result)


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("    depth: deep\n", "    depth: deep\n    depth: superficial\n", "duplicate key 'depth'"),
        ("seconds: 60", "seconds: 2024-01-01", "expected a whole number, got a date"),
        ("seconds: 60", "seconds: " + "9" * 5000, "got a number too large"),
        ("seconds: 60", "seconds: [60]", "expected a whole number, got a list"),
        ("seconds: 60", "seconds: 0", "must be from 1 to 600 seconds"),
        ("code: GB30", "code: GB３0", "plain ASCII"),
    ],
    ids=["duplicate-key", "date", "5000-digits", "list", "zero-seconds", "non-ascii-code"],
)
def test_a_wrong_dataset_value_is_one_line_naming_the_file(
    data_copy: Path, old: str, new: str, fragment: str
) -> None:
    path = data_copy / "points.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = hipguide("points", "GB30", env={"HIPGUIDE_DATA": str(data_copy)})
    assert result.returncode == 2
    line = one_error_line(result)
    assert "points.yaml" in line and fragment in line
    assert "9" * 81 not in line


def test_a_planted_pickle_in_the_cache_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    cache = tmp_path / "cache" / "hipguide"
    cache.mkdir(parents=True, mode=0o700)
    payload = (
        b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR."
    )  # pickle protocol 0 for os.system("touch ...")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert hipguide("points", "GB30", env=env).returncode == 0  # writes the real cache
    for cached in cache.rglob("*"):
        if cached.is_file():
            cached.write_bytes(payload)
    (cache / "dataset.pickle").write_bytes(payload)
    result = hipguide("points", "GB30", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["code"] == "GB30"
    assert not marker.exists()


# --- the history ---------------------------------------------------------------------------


def _history(home: Path, all_no: dict[str, str], sessions: int = 8) -> Path:
    """A real history with a check and some sessions, made by the program itself."""
    env = {"HIPGUIDE_HOME": str(home)}
    assert hipguide("check", "--no-input", *answer_items(all_no), env=env).returncode == 0
    path = home / "history.sqlite3"
    connection = sqlite3.connect(path)
    with connection:
        start = datetime.now(timezone.utc) - timedelta(days=60)
        for day in range(sessions):
            at = (start + timedelta(days=5 * day)).isoformat(timespec="seconds")
            connection.execute(
                "INSERT INTO sessions (started_at, ended_at, pain_before, pain_after, completed)"
                " VALUES (?, ?, 6, 6, 1)",
                (at, at),
            )
    connection.close()
    return path


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("sessions", "started_at", "'last tuesday'"),
        ("sessions", "plan", "'{not json'"),
        ("sessions", "points", "'[1, 2, 3]'"),
        ("sessions", "ended_at", "'2000-01-01T00:00:00+00:00'"),  # before it starts
        ("checks", "at", "'yesterday'"),
        ("checks", "answers", "'{'"),
    ],
)
def test_a_bad_history_row_never_costs_the_emergency_verdict(
    home: Path, all_no: dict[str, str], table: str, column: str, value: str
) -> None:
    path = _history(home, all_no)
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(f"UPDATE {table} SET {column} = {value} WHERE id = 1")
    connection.close()
    emergency = {**all_no, "injury": "yes"}
    result = hipguide("check", "--no-input", "--json", *answer_items(emergency))
    assert result.returncode == 5, result.stderr
    assert json.loads(result.stdout)["tier"] == "emergency"
    plan = hipguide(
        "routine", "--plan", "--no-input", "--json", "--area", "outer", "--side", "left",
        *answer_items(all_no),
    )  # fmt: skip
    assert plan.returncode in (0, 3), plan.stderr
    history = hipguide("history")
    assert history.returncode == 2
    line = one_error_line(history)
    assert f"holds a {table[:-1]} hipguide cannot read (row 1)" in line


def test_a_check_recorded_with_the_clock_ahead_is_not_reused(
    home: Path, all_no: dict[str, str]
) -> None:
    _history(home, all_no, sessions=0)
    ahead = (datetime.now(timezone.utc) + timedelta(days=30)).isoformat(timespec="seconds")
    connection = sqlite3.connect(home / "history.sqlite3")
    with connection:
        connection.execute("UPDATE checks SET at = ?", (ahead,))
    connection.close()
    args = ("routine", "--plan", "--no-input", "--area", "outer", "--side", "left")
    result = hipguide(*args)
    assert result.returncode == 2
    assert "Unanswered question(s)" in one_error_line(result)


@POSIX_ONLY
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_a_history_of_another_user_is_not_used_and_the_verdict_is_given(
    home: Path, all_no: dict[str, str]
) -> None:
    path = _history(home, all_no, sessions=0)
    before = path.read_bytes()
    os.chown(home, 4242, 4242)
    os.chown(path, 4242, 4242)
    result = hipguide("check", "--no-input", "--json", *answer_items({**all_no, "fever": "yes"}))
    assert result.returncode == 4
    assert NOT_RECORDED.search(result.stderr.decode()), result.stderr
    assert "belongs to another user" in result.stderr.decode()
    assert path.read_bytes() == before
    assert (os.stat(path).st_uid, os.stat(home).st_uid) == (4242, 4242)


@POSIX_ONLY
def test_a_history_file_that_is_a_link_is_not_followed(
    home: Path, tmp_path: Path, all_no: dict[str, str]
) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"")
    target.chmod(0o644)
    home.mkdir(mode=0o700)
    (home / "history.sqlite3").symlink_to(target)
    result = hipguide("check", "--no-input", *answer_items(all_no))
    assert result.returncode == 0
    assert NOT_RECORDED.search(result.stderr.decode()), result.stderr
    assert target.read_bytes() == b""
    assert target.stat().st_mode & 0o777 == 0o644


# --- output --------------------------------------------------------------------------------

#: A terminal that takes only ASCII, and one of latin-1 (``LANG=de_DE.ISO-8859-1``).
ENCODINGS = ["ascii", "latin-1"]
SHOWN = [
    ["points", "GB30"],
    ["points"],
    ["points", "环跳"],
    ["conditions", "sciatica"],
    ["check", "--questions"],
]


@pytest.mark.parametrize("encoding", [*ENCODINGS, "cp437"])
@pytest.mark.parametrize("args", SHOWN, ids=" ".join)
def test_every_card_and_table_prints_on_a_narrow_encoding(encoding: str, args: list[str]) -> None:
    result = hipguide(*args, env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert result.stderr == b""
    text = result.stdout.decode(encoding)  # every byte is the terminal's own
    assert len(text.splitlines()) > 2
    if args == ["points", "GB30"]:
        carries_tones = "Huántiào".encode(encoding, "ignore").decode(encoding) == "Huántiào"
        assert ("Huántiào" if carries_tones else "Huantiao") in text


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(
    ("changes", "code", "headline"),
    [({}, 0, "SELF-CARE"), ({"fever": "yes"}, 4, "URGENT"), ({"injury": "yes"}, 5, "EMERGENCY")],
)
def test_the_verdict_prints_on_a_narrow_encoding(
    all_no: dict[str, str], encoding: str, changes: dict[str, str], code: int, headline: str
) -> None:
    answers = {**all_no, **changes}
    result = hipguide(
        "check", "--no-input", *answer_items(answers), env={"PYTHONIOENCODING": encoding}
    )
    assert result.returncode == code, result.stderr.decode("utf-8", "replace")
    assert headline in result.stdout.decode(encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_routine_plan_and_the_history_print_on_a_narrow_encoding(
    all_no: dict[str, str], encoding: str
) -> None:
    env = {"PYTHONIOENCODING": encoding}
    plan = hipguide(
        "routine", "--plan", "--no-input", "--area", "outer", "--side", "both",
        *answer_items(all_no), env=env,
    )  # fmt: skip
    assert plan.returncode == 0, plan.stderr.decode("utf-8", "replace")
    assert "GB30" in plan.stdout.decode(encoding)
    history = hipguide("history", env=env)
    assert history.returncode == 0, history.stderr.decode("utf-8", "replace")
    assert "self-care" in history.stdout.decode(encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("args", [["points", "GB30", "--json"], ["conditions", "--json"]])
def test_json_on_a_narrow_encoding_reads_back_the_same(encoding: str, args: list[str]) -> None:
    wide = hipguide(*args, env={"PYTHONIOENCODING": "utf-8"})
    narrow = hipguide(*args, env={"PYTHONIOENCODING": encoding})
    assert narrow.returncode == 0, narrow.stderr.decode("utf-8", "replace")
    assert json.loads(narrow.stdout.decode(encoding)) == json.loads(wide.stdout)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_error_prints_on_a_narrow_encoding(encoding: str) -> None:
    result = hipguide("points", "Huántiàoo环跳xyz", env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr.decode(encoding)


@LINUX_ONLY
@pytest.mark.parametrize(
    ("changes", "code"), [({}, 0), ({"fever": "yes"}, 4), ({"injury": "yes"}, 5)]
)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_a_full_device_keeps_the_verdicts_exit_code(
    all_no: dict[str, str], changes: dict[str, str], code: int, as_json: bool
) -> None:
    with open("/dev/full", "wb") as full:
        result = hipguide(
            "check", "--no-input", *(["--json"] if as_json else []),
            *answer_items({**all_no, **changes}), stdout=full,
        )  # fmt: skip
    assert result.returncode == code
    assert "Could not write the output (No space left on device)" in one_error_line(result)


@LINUX_ONLY
@pytest.mark.parametrize("changes", [{"fever": "yes"}, {"injury": "yes"}])
def test_a_refused_routine_on_a_full_device_keeps_the_verdicts_exit_code(
    all_no: dict[str, str], changes: dict[str, str]
) -> None:
    with open("/dev/full", "wb") as full:
        result = hipguide(
            "routine", "--plan", "--no-input", "--area", "outer", "--side", "left",
            *answer_items({**all_no, **changes}), stdout=full,
        )  # fmt: skip
    assert result.returncode == (4 if "fever" in changes else 5)
    assert "Could not write the output" in one_error_line(result)


@LINUX_ONLY
@pytest.mark.parametrize(
    "args",
    [
        ["points", "GB30"],
        ["points", "GB30", "--json"],
        ["points"],
        ["conditions"],
        ["history", "--csv"],
        ["history", "--json"],
        ["--help"],
        ["--version"],
    ],
    ids=" ".join,
)
def test_other_commands_on_a_full_device_exit_2_with_one_line(
    args: list[str], all_no: dict[str, str]
) -> None:
    assert hipguide("check", "--no-input", *answer_items(all_no)).returncode == 0
    with open("/dev/full", "wb") as full:
        result = hipguide(*args, stdout=full)
    assert result.returncode == 2
    assert "Could not write the output" in one_error_line(result)


@LINUX_ONLY
def test_stdout_and_stderr_both_full_still_end_with_the_verdict(all_no: dict[str, str]) -> None:
    with open("/dev/full", "wb") as full:
        result = hipguide(
            "check", "--no-input", *answer_items({**all_no, "injury": "yes"}),
            stdout=full, stderr=full,
        )  # fmt: skip
    assert result.returncode == 5


# --- stdin ---------------------------------------------------------------------------------


def _in_a_terminal(args: list[str], stdin: str) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal and stdin ``closed`` or ``null``."""
    controller, terminal = pty.openpty()
    command = [sys.executable, "-m", "hipguide", *args]
    if stdin == "closed":
        command = ["/bin/sh", "-c", 'exec "$@" <&-', "sh", *command]
        source: Any = None
    else:
        source = subprocess.DEVNULL
    process = subprocess.Popen(command, stdin=source, stdout=terminal, stderr=terminal)
    os.close(terminal)
    output = b""
    try:
        while chunk := os.read(controller, 4096):
            output += chunk
    except OSError:  # EIO once the program has closed the terminal
        pass
    finally:
        os.close(controller)
    return process.wait(timeout=20), output.decode("utf-8", "replace")


@POSIX_ONLY
@pytest.mark.pty
@pytest.mark.parametrize("stdin", ["closed", "null"])
@pytest.mark.parametrize(
    "args", [["routine"], ["check"], ["routine", "--area", "outer", "--side", "left"]]
)
def test_a_closed_or_null_stdin_is_like_no_terminal(args: list[str], stdin: str) -> None:
    code, output = _in_a_terminal(args, stdin)
    assert code == 2, output
    assert "No terminal" in output
    assert re.search(r"--(answer|no-input|area)", output)
    assert "Traceback" not in output


@POSIX_ONLY
@pytest.mark.pty
def test_a_closed_stdin_with_no_input_plans_without_asking(
    tmp_path: Path, all_no: dict[str, str]
) -> None:
    """(The run itself without keys is driven on a fake clock in test_flow_routine.)"""
    path = answers_file(tmp_path, all_no)
    code, output = _in_a_terminal(
        ["routine", "--plan", "--no-input", "--area", "outer", "--side", "left",
         "--answers", str(path)],
        "closed",
    )  # fmt: skip
    assert code == 0, output
    assert "Your routine" in output
    assert "Traceback" not in output


# --- the environment -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("112\x1b]0;owned\x07", "the control character U+001B"),
        ("112\u202e999", "the format character U+202E"),
        ("11\u200b2", "the format character U+200B"),
        ("1" * 41, "longer than 40 characters"),
    ],
    ids=["escape", "bidi", "zero-width", "too-long"],
)
@pytest.mark.parametrize("where", ["option", "environment"])
def test_a_bad_emergency_number_is_one_line_never_shown_raw(
    all_no: dict[str, str], number: str, problem: str, where: str
) -> None:
    args = ["check", "--no-input", *answer_items({**all_no, "injury": "yes"})]
    env = {}
    if where == "option":
        args += ["--emergency-number", number]
    else:
        env["HIPGUIDE_EMERGENCY_NUMBER"] = number
    result = hipguide(*args, env=env)
    assert result.returncode == 2
    line = one_error_line(result)
    assert problem in line
    assert ("--emergency-number" if where == "option" else "HIPGUIDE_EMERGENCY_NUMBER") in line
    assert result.stdout == b""
    assert b"\x1b" not in result.stderr and "\u202e".encode() not in result.stderr


def test_markup_in_the_emergency_number_is_shown_as_it_is(all_no: dict[str, str]) -> None:
    number = "[bold red]112[/] [link=x]"
    result = hipguide(
        "check", "--no-input", *answer_items({**all_no, "injury": "yes"}),
        env={"HIPGUIDE_EMERGENCY_NUMBER": number},
    )  # fmt: skip
    assert result.returncode == 5, result.stderr
    assert number in " ".join(result.stdout.decode().split())


# --- dates ---------------------------------------------------------------------------------


def test_history_dates_carry_their_year(home: Path, all_no: dict[str, str]) -> None:
    _history(home, all_no, sessions=0)
    connection = sqlite3.connect(home / "history.sqlite3")
    with connection:
        connection.execute("UPDATE checks SET at = '2019-03-04T10:00:00+00:00'")
    connection.close()
    result = hipguide("history")
    assert result.returncode == 0, result.stderr
    assert "2019-03-04" in result.stdout.decode()
