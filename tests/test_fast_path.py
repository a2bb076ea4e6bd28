"""The early dispatch (``hipguide.cli._fast``) is the same program as the Typer app: every
command line runs through both, and stdout, stderr and the exit code are the same bytes.

The fast path is ``hipguide.cli.main`` (what the console script and ``python -m hipguide``
run); the full path is ``hipguide.cli._app.main``, the Typer app with the same entry
handling. Each case also says which path the fast entry took, so that a case meant for
the early dispatch cannot pass by having been handed to the app.
"""

from __future__ import annotations

import fcntl
import gc
import io
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hipguide import config
from hipguide.cli import _app, _fast
from hipguide.cli import main as fast_main
from test_fuzz import ARG_TEXT, JUNK, near_names

LINUX_ONLY = pytest.mark.skipif(sys.platform != "linux", reason="/dev/full is Linux's")

#: The two entries, run as a console script would run them (``sys.argv[0]`` is the
#: program's name, which Click reads for the usage line and the completion variable).
#: At exit each writes whether Typer was imported to the file ``$PATH_TAKEN_FILE``.
ENTRY = """
import atexit, os, sys
sys.argv[0] = "hipguide"
def _taken():
    with open(os.environ["PATH_TAKEN_FILE"], "w") as file:
        file.write("full" if "typer" in sys.modules else "fast")
atexit.register(_taken)
from {module} import main
main()
"""
FAST = ENTRY.format(module="hipguide.cli")
FULL = ENTRY.format(module="hipguide.cli._app")

#: Queries of every kind: codes in any form, pinyin, hanzi, English, plain words that
#: list several points, typos, no match, a number out of a channel's range, markup,
#: control and bidi characters, an undecodable byte, blanks and nothing.
QUERIES = [
    ["GB30"],
    ["gb-30"],
    ["GB", "30"],
    ["SJ14"],
    ["Lv3"],
    ["UB54"],
    ["88.12"],
    ["huantiao"],
    ["Huántiào"],
    ["环跳"],
    ["環跳"],
    ["Jumping", "Circle"],
    ["knee"],
    ["sciatica"],
    ["buttock"],
    ["huantaio"],
    ["GB31x"],
    ["gb3o"],
    ["huantiaoo", "xyz"],
    ["xyzzy"],
    ["GB99"],
    ["GB0"],
    ["ZZ12"],
    ["[bold]GB30[/]"],
    ["\x1b[2J"],
    ["GB\u202e30"],
    ["\udcff"],
    ["   "],
    [""],
    [],
    ["x" * 300],
]


def query_lines(words: list[str]) -> list[list[str]]:
    """The command lines a query can be written as, with and without ``--json``."""
    return [
        ["points", *words],
        ["points", *words, "--json"],
        ["points", "--json", *words],
        ["points", "--", *words],
        ["points", "--json", "--", *words],
    ]


#: Command lines the early dispatch must hand to the app.
HANDED_ON = [
    ["points", "GB30", "--jsn"],
    ["points", "--json=1", "GB30"],
    ["points", "-x"],
    ["points", "-"],
    ["points", "GB30", "--region"],
    ["points", "GB30", "--region", "knee"],
    ["points", "GB30", "--side", "up"],
    ["points", "GB30", "--pictures", "blocks"],
    ["points", "GB30", "--pictures", "bogus"],
    ["points", "-c", "sciatica", "--json"],
    ["points", "--help"],
    ["points", "-h"],
    ["points", "GB30", "--picture", "x.txt"],
    ["--pictures", "ascii", "points", "GB30"],
    ["pointz", "GB30"],
    ["point", "GB30"],
    ["Points", "GB30"],
    ["conditions", "sciatica"],
    ["--version", "points"],
    ["points", "--version"],
    ["--versio"],
    ["-V"],
    [],
]


# --- running both paths -------------------------------------------------------------------


class Run:
    """One finished run: exit code, stdout and stderr bytes, and the path it took."""

    def __init__(self, code: int, stdout: bytes, stderr: bytes, path: str) -> None:
        self.code, self.stdout, self.stderr, self.path = code, stdout, stderr, path

    def seen(self) -> tuple[int, bytes, bytes]:
        return self.code, self.stdout, self.stderr

    def __repr__(self) -> str:
        return f"Run({self.code}, {self.stdout[:300]!r}, {self.stderr[:300]!r}, {self.path})"


def run(
    entry: str,
    args: list[str],
    tmp_path: Path,
    env: dict[str, str | None] | None = None,
    **streams: Any,
) -> Run:
    """Run ``entry`` on ``args`` in a fresh process (``env`` adds variables; None removes)."""
    taken = tmp_path / "taken"
    taken.unlink(missing_ok=True)
    environment = {**os.environ, "PATH_TAKEN_FILE": str(taken)}
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    options: dict[str, Any] = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE}
    options.update(stderr=subprocess.PIPE, **streams)
    proc = subprocess.run(
        [sys.executable, "-c", entry, *args], env=environment, timeout=60, check=False, **options
    )
    path = taken.read_text("utf-8") if taken.exists() else "?"
    return Run(proc.returncode, proc.stdout or b"", proc.stderr or b"", path)


def both(
    args: list[str], tmp_path: Path, env: dict[str, str | None] | None = None, **streams: Any
) -> tuple[Run, Run]:
    """The fast entry's run and the full app's, the same bytes asserted."""
    fast = run(FAST, args, tmp_path, env, **streams)
    full = run(FULL, args, tmp_path, env, **streams)
    assert fast.seen() == full.seen(), (args, fast, full)
    assert full.path == "full"
    return fast, full


# --- the same bytes, fresh processes ------------------------------------------------------


#: The queries run in fresh processes too (all of them run in one process below).
FRESH = [["GB30"], ["GB", "30"], ["环跳"], ["knee"], ["sciatica"], ["gb3o"], ["GB99"]]
FRESH += [["\x1b[2J"], ["\udcff"], ["   "], []]


@pytest.mark.parametrize("words", FRESH, ids=repr)
def test_every_query_gives_the_same_output_on_both_paths(words: list[str], tmp_path: Path) -> None:
    for args in (["points", *words], ["points", *words, "--json"]):
        fast, _ = both(args, tmp_path)
        assert fast.path == "fast", args
        assert fast.code in (0, 1), fast


@pytest.mark.parametrize("words", [["GB30"], ["knee"], ["xyzzy"], ["-x"], ["--json"]], ids=repr)
def test_every_way_of_writing_a_query_gives_the_same_output(
    words: list[str], tmp_path: Path
) -> None:
    for args in query_lines(words):
        fast, _ = both(args, tmp_path)
        assert fast.path == ("full" if _fast.lookup_words(args) is None else "fast")


def test_the_query_kinds_are_all_met(tmp_path: Path) -> None:
    """The examples above reach a card, a list, JSON of both, and no match."""
    card, _ = both(["points", "GB30"], tmp_path)
    assert b"Jumping Circle" in card.stdout and card.code == 0
    many, _ = both(["points", "sciatica", "--json"], tmp_path)
    assert len(json.loads(many.stdout)) > 1
    one, _ = both(["points", "gb-30", "--json"], tmp_path)
    assert json.loads(one.stdout)["code"] == "GB30"
    none, _ = both(["points", "qqqqxx"], tmp_path)
    assert none.code == 1 and none.stdout == b""
    assert none.stderr.startswith(b"Error: No point matches")
    near, _ = both(["points", "huantiaoo", "xyz"], tmp_path)
    assert near.code == 1 and b"Did you mean" in near.stderr


@pytest.mark.parametrize("args", HANDED_ON, ids=lambda args: " ".join(args) or "(none)")
def test_what_the_early_dispatch_hands_on_is_the_apps(args: list[str], tmp_path: Path) -> None:
    fast, _ = both(args, tmp_path)
    assert fast.path == "full"


def test_the_version(tmp_path: Path) -> None:
    fast, _ = both(["--version"], tmp_path)
    assert fast.path == "fast"
    assert fast.seen() == (0, b"hipguide 0.1.0\n", b"")


@pytest.mark.parametrize(
    "env",
    [
        {"NO_COLOR": None},
        {"NO_COLOR": None, "TERM": "dumb"},
        {"NO_COLOR": None, "FORCE_COLOR": "1"},
        {"COLUMNS": "40"},
        {"COLUMNS": None, "LINES": None},
        {"PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "latin-1"},
        {"PYTHONIOENCODING": "utf-8:strict"},
        {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"},
        {"HIPGUIDE_PICTURES": "bogus"},
        {"HIPGUIDE_PICTURES": "blocks"},
        {"HIPGUIDE_PICTURES": "none"},
        {"HIPGUIDE_EMERGENCY_NUMBER": "112"},
        {"HIPGUIDE_EMERGENCY_NUMBER": "1\x1b[2J"},
        {"HIPGUIDE_DATA": "/nonexistent/hipguide-data"},
    ],
    ids=repr,
)
@pytest.mark.parametrize(
    "args",
    [["points", "GB30"], ["points", "环跳", "--json"], ["points", "xyzzy"], ["--version"]],
    ids=" ".join,
)
def test_the_environment_is_read_alike(
    args: list[str], env: dict[str, str | None], tmp_path: Path
) -> None:
    fast, _ = both(args, tmp_path, env)
    assert fast.path == "fast"


def test_a_broken_dataset_is_the_same_error(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "points.yaml").write_text("points: [", "utf-8")
    for args in (["points", "GB30"], ["points", "GB30", "--json"]):
        fast, _ = both(args, tmp_path, {"HIPGUIDE_DATA": str(data_copy)})
        assert fast.code == 2 and fast.path == "fast"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([], "hipguide po"),
        ([], "hipguide points --region sh"),
        (["points", "GB30"], "hipguide points GB"),
        (["points", "GB30", "--json"], "hipguide points GB30 --si"),
        (["--version"], "hipguide --ver"),
    ],
)
def test_completion_goes_to_the_app(args: list[str], words: str, tmp_path: Path) -> None:
    env: dict[str, str | None] = {
        "_HIPGUIDE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    fast, _ = both(args, tmp_path, env)
    assert fast.path == "full"


def test_debug_goes_to_the_app(tmp_path: Path) -> None:
    """Tracebacks are the app's: with HIPGUIDE_DEBUG the early dispatch takes nothing
    (a traceback's frames name the entry, so only the path is compared)."""
    for args in (["points", "GB30"], ["points", "GB30", "--json"], ["--version"]):
        fast = run(FAST, args, tmp_path, {"HIPGUIDE_DEBUG": "1"})
        full = run(FULL, args, tmp_path, {"HIPGUIDE_DEBUG": "1"})
        assert fast.path == "full" and fast.seen() == full.seen()
    assert _fast.DEBUG_ENV == config.DEBUG_ENV


@pytest.mark.parametrize("value", ["", "0", " 0 ", "1", "yes", "false"])
def test_the_debug_variable_is_read_as_config_reads_it(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config.DEBUG_ENV, value)
    assert (_fast.takes(["points", "GB30"])) is (not config.debug())


# --- what the early dispatch imports ------------------------------------------------------

IMPORTS = """
import sys
sys.argv = ["hipguide", *{args!r}]
try:
    from hipguide.cli import main
    main()
finally:
    sys.__stderr__.write(" ".join(sorted(sys.modules)))
"""


def loaded(args: list[str]) -> set[str]:
    """The modules ``hipguide ARGS`` has imported by its end, in a fresh process, the
    dataset's cache written by an earlier run (as a user meets it, but the first time)."""
    subprocess.run([sys.executable, "-m", "hipguide", "points", "GB30"], capture_output=True)
    proc = subprocess.run(
        [sys.executable, "-c", IMPORTS.format(args=args)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return set(proc.stderr.decode().split())


def _packages(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize("args", [["points", "GB30"], ["points", "knee"], ["points"]], ids=" ".join)
def test_a_lookup_imports_neither_typer_nor_click(args: list[str]) -> None:
    assert not _packages(loaded(args)) & {"typer", "click"}


@pytest.mark.parametrize("args", [["points", "GB30", "--json"], ["points", "--json"]], ids=" ".join)
def test_a_json_lookup_imports_no_rich_either(args: list[str]) -> None:
    modules = _packages(loaded(args))
    assert not modules & {"typer", "click", "rich", "dataclasses", "inspect"}


def test_the_version_imports_nothing_of_the_package_but_its_entry() -> None:
    modules = loaded(["--version"])
    assert {m for m in modules if m.startswith("hipguide")} == {
        "hipguide",
        "hipguide.cli",
        "hipguide.cli._fast",
        "hipguide.config",  # the terminal's size is tidied first (it imports only os)
    }
    assert not _packages(modules) & {"typer", "click", "rich", "pathlib"}


def test_a_command_line_handed_on_imports_typer() -> None:
    assert "typer" in _packages(loaded(["points", "GB30", "--region", "buttock"]))


# --- the same bytes on the ways output can fail ---------------------------------------------


@LINUX_ONLY
@pytest.mark.parametrize(
    "args",
    [["points", "GB30"], ["points", "GB30", "--json"], ["points"], ["--version"]],
    ids=" ".join,
)
def test_a_full_device_is_the_same_line(args: list[str], tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        fast, _ = both(args, tmp_path, stdout=full)
    assert fast.code == 2 and b"Could not write the output" in fast.stderr
    assert fast.path == "fast"


@pytest.mark.parametrize(
    "args",
    [
        ["points", "GB30"],
        ["points", "GB30", "--json"],
        ["points"],
        ["points", "--json"],
        ["points", "xyzzy"],
        ["--version"],
    ],
    ids=" ".join,
)
def test_a_reader_gone_before_any_output_is_the_same_end(args: list[str], tmp_path: Path) -> None:
    runs = []
    for entry in (FAST, FULL):
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            runs.append(run(entry, args, tmp_path, stdout=write_end))
        finally:
            os.close(write_end)
    fast, full = runs
    assert fast.seen() == full.seen(), (fast, full)
    assert fast.path == "fast"


@pytest.mark.parametrize("args", [["points"], ["points", "--json"]], ids=" ".join)
def test_a_reader_closing_after_one_line_is_the_same_end(args: list[str], tmp_path: Path) -> None:
    ends = []
    for entry in (FAST, FULL):
        read_end, write_end = os.pipe()
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
        taken = tmp_path / "taken"
        process = subprocess.Popen(
            [sys.executable, "-c", entry, *args],
            env={**os.environ, "PATH_TAKEN_FILE": str(taken)},
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
        )
        os.close(write_end)
        line = b""
        while not line.endswith(b"\n"):
            chunk = os.read(read_end, 1)
            assert chunk, "no full line"
            line += chunk
        os.close(read_end)
        _, stderr = process.communicate(timeout=60)
        ends.append((process.returncode, line, stderr, taken.read_text("utf-8")))
    (code, line, stderr, path), full = ends
    assert (code, line, stderr) == full[:3]
    assert (code, stderr, path) == (0, b"", "fast")


def test_a_closed_stdout_goes_to_the_app(tmp_path: Path) -> None:
    for args in (["points", "GB30"], ["--version"]):
        runs = [
            run("import os; os.close(1)\n" + entry, args, tmp_path, stdout=subprocess.DEVNULL)
            for entry in (FAST, FULL)
        ]
        assert runs[0].seen() == runs[1].seen()


def _in_a_terminal(entry: str, args: list[str], env: dict[str, str | None]) -> bytes:
    """What ``entry`` writes on a 100 x 40 terminal (stdout and stderr both)."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    environment = {**os.environ, "PATH_TAKEN_FILE": os.devnull}
    for name, value in env.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    process = subprocess.Popen(
        [sys.executable, "-c", entry, *args],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    output = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed with the program
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=30) in (0, 1)
    return output


@pytest.mark.pty
@pytest.mark.parametrize(
    "env",
    [
        {"NO_COLOR": None, "COLUMNS": None, "LINES": None},
        {"NO_COLOR": None, "COLUMNS": None, "LINES": None, "HIPGUIDE_PICTURES": "blocks"},
        {"COLUMNS": None, "LINES": None, "HIPGUIDE_PICTURES": "ascii"},
    ],
    ids=repr,
)
@pytest.mark.parametrize(
    "args", [["points", "GB30"], ["points", "knee"], ["points", "xyzzy"]], ids=" ".join
)
def test_a_terminal_sees_the_same_bytes(args: list[str], env: dict[str, str | None]) -> None:
    fast = _in_a_terminal(FAST, args, env)
    assert fast == _in_a_terminal(FULL, args, env)
    assert fast


# --- the same bytes, in one process, for the query fuzzer's queries -------------------------


def in_process(entry: Callable[[], None], args: list[str]) -> tuple[int, bytes, bytes]:
    """Run ``entry`` with ``sys.argv`` and the standard streams a console script has."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict")
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace")
    saved = sys.argv, sys.stdout, sys.stderr
    sys.argv, sys.stdout, sys.stderr = ["hipguide", *args], stdout, stderr
    code: Any = 0
    try:
        entry()
    except SystemExit as done:
        code = done.code
    finally:
        sys.argv, sys.stdout, sys.stderr = saved
    stdout.flush()
    stderr.flush()
    return (code or 0), out.getvalue(), err.getvalue()


def _collector_seen_by(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, then: Callable[..., Any]
) -> list[bool]:
    """Whether the collector was on each time ``module.name`` was called (which then
    does what ``then`` does)."""
    seen: list[bool] = []

    def spy(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return then(*args)

    monkeypatch.setattr(module, name, spy)
    return seen


def test_the_collector_is_off_while_the_early_dispatch_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _collector_seen_by(monkeypatch, _fast, "dispatch", _fast.dispatch)
    code, out, _ = in_process(fast_main, ["points", "GB30"])
    assert (code, seen) == (0, [False]) and b"GB30" in out
    assert not gc.isenabled()  # the process ends here: it is not turned on again


@pytest.mark.parametrize("before", [True, False], ids=["on", "off"])
@pytest.mark.parametrize(
    "args",
    [["history"], ["routine"], ["check"], ["points", "GB30", "--debug"],
     ["--help", "points"], ["points", "-h", "GB30"], ["routine", "--area", "--help", "x"]],
    ids=" ".join,
)  # fmt: skip
def test_the_app_runs_with_the_collector_as_it_was(
    args: list[str], before: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _collector_seen_by(monkeypatch, _app, "main", lambda: None)
    (gc.enable if before else gc.disable)()
    assert not _fast.takes(args)
    in_process(fast_main, args)
    assert seen == [before]


@pytest.mark.parametrize(
    "args", [[], ["--help"], ["-h"], ["points", "--help"], ["routine", "-h"], ["--debug", "-h"]]
)
def test_a_request_for_help_is_answered_with_the_collector_off(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _collector_seen_by(monkeypatch, _app, "main", lambda: None)
    in_process(fast_main, args)
    assert seen == [False]
    assert not gc.isenabled()


@pytest.mark.parametrize("args", [[], ["--help"], ["points", "--help"], ["routine", "-h"]])
def test_a_request_for_help_runs_nothing_but_the_help(args: list[str], home: Path) -> None:
    """What ``only_help`` counts as help is answered by help alone (so no session can run
    with the collector off): Click prints it and ends before any command runs."""
    code, out, err = in_process(_app.main, args)
    assert b"Usage: " in out and err == b""
    assert code == (2 if not args else 0)  # Click's code for help shown unasked
    assert not home.exists()


def test_an_error_out_of_the_early_dispatch_leaves_the_collector_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fails(args: Any) -> Any:
        raise RuntimeError("boom")

    _collector_seen_by(monkeypatch, _fast, "dispatch", fails)
    with pytest.raises(RuntimeError):
        in_process(fast_main, ["points", "GB30"])
    assert gc.isenabled()


@pytest.mark.parametrize("words", QUERIES, ids=repr)
def test_every_way_of_writing_every_query_gives_the_same_output(words: list[str]) -> None:
    for args in query_lines(words):
        assert _fast.takes(args)
        assert in_process(fast_main, args) == in_process(_app.main, args), args


WORDS = st.lists(st.one_of(ARG_TEXT, near_names(), JUNK), max_size=3)


@settings(
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(words=WORDS, as_json=st.booleans(), separated=st.booleans())
@example(words=["88.12"], as_json=True, separated=False)
@example(words=["Lv3"], as_json=False, separated=True)
@example(words=["   "], as_json=True, separated=True)
@example(words=["[bold]GB30[/]"], as_json=False, separated=False)
@example(words=["\udcff"], as_json=False, separated=False)
@example(words=["sciatica"], as_json=False, separated=False)
@example(words=["--json"], as_json=False, separated=True)
def test_any_fuzzed_query_gives_the_same_output_on_both_paths(
    words: list[str], as_json: bool, separated: bool
) -> None:
    args = ["points", *(["--json"] if as_json else []), *(["--"] if separated else []), *words]
    assert in_process(fast_main, args) == in_process(_app.main, args), args


@pytest.mark.parametrize(
    "fault",
    [KeyboardInterrupt(), RuntimeError("boom\x1b[2J"), BrokenPipeError(32, "Broken pipe")],
    ids=repr,
)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_a_fault_in_the_lookup_ends_alike(
    fault: BaseException, as_json: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    def load_dataset(*args: Any) -> None:
        raise fault

    monkeypatch.setattr("hipguide.dataset.load_dataset", load_dataset)
    args = ["points", "GB30", *(["--json"] if as_json else [])]
    fast = in_process(fast_main, args)
    assert fast == in_process(_app.main, args)
    assert fast[0] == {KeyboardInterrupt: 130, RuntimeError: 70, BrokenPipeError: 0}[type(fault)]
