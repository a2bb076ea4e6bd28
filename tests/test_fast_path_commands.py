"""The early dispatch of ``check --no-input`` and ``routine --plan --no-input`` is the same
program as the Typer app.

Three layers: the options it reads are the ones the commands declare; any command line
it takes reaches the command's body (``hipguide.cli._run``) with the very values the
app's parsing gives (fuzzed); and the two paths print the same bytes and end with the
same code, for every tier, the errors, JSON and the ways output can fail. Each run has
a history folder of its own (a check recorded by one path must not change what the
other finds) and the same fixed time.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakes import FakeClock
from hipguide.cli import _app, _fast, _run
from hipguide.cli import check as check_module
from hipguide.cli import main as fast_main
from hipguide.cli import routine as routine_module
from hipguide.dataset import load_dataset
from test_fast_path import (
    FAST,
    FULL,
    LINUX_ONLY,
    _in_a_terminal,
    _packages,
    in_process,
    loaded,
    run,
)
from test_fuzz import JUNK

_DATA = load_dataset()
QUESTION_IDS = [q.id for q in _DATA.triage.questions]
AREAS = [a.id for a in _DATA.areas]
REGIONS = [r.id for r in _DATA.regions]
CONDITIONS = [c.id for c in _DATA.conditions]
#: The time every in-process run is at.
WALL = datetime(2026, 3, 4, 9, 30, tzinfo=timezone.utc)
PLAN = ["routine", "--plan", "--no-input"]
CHECK = ["check", "--no-input"]


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run of the real commands (either path) reads the same fixed time."""
    monkeypatch.setattr("hipguide.clock.SystemClock", lambda: FakeClock(wall=WALL))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Answers files of every kind, and a folder."""
    folder = tmp_path / "files"
    folder.mkdir()
    no = dict.fromkeys(QUESTION_IDS, "no")
    made = {
        "no.json": json.dumps(no),
        "no.yaml": yaml.safe_dump(no),
        "fever.json": json.dumps({**no, "fever": "yes"}),
        "injury.yaml": yaml.safe_dump({**no, "injury": "yes"}),
        "cancer.json": json.dumps({**no, "cancer_history": "yes"}),
        "unsure.json": json.dumps({**no, "night_pain": "unsure"}),
        "pregnant.json": json.dumps({**no, "pregnant": "yes", "skin_problem": "yes"}),
        "short.json": json.dumps({"injury": "no"}),
        "broken.json": '{"injury": "no",',
        "list.yaml": "- injury\n- fever\n",
        "unknown.json": json.dumps({**no, "flying": "yes"}),
        "bad-value.json": json.dumps({**no, "fever": "maybe"}),
        "twice.json": '{"fever": "no", "fever": "yes"}',
        "markup.json": json.dumps({**no, "[bold]x\x1b[2J": "yes"}),
    }
    paths = {}
    for name, content in made.items():
        paths[name] = folder / name
        paths[name].write_text(content, "utf-8")
    paths["folder"] = folder
    paths["missing"] = folder / "missing.json"
    return paths


def _home(tmp_path: Path, seed: Path | None) -> Path:
    """A new history folder (a copy of ``seed``'s history when given)."""
    count = len(list(tmp_path.glob("home-*")))
    home = tmp_path / f"home-{count}"
    if seed is not None and seed.exists():
        shutil.copytree(seed, home)
    return home


def same(
    args: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: Path | None = None,
) -> tuple[int, bytes, bytes]:
    """Run ``args`` on the fast entry and on the app, in process, each with a history of
    its own; assert the same exit code and bytes, and give them."""
    runs = []
    for entry in (fast_main, _app.main):
        monkeypatch.setenv("HIPGUIDE_HOME", str(_home(tmp_path, seed)))
        monkeypatch.setitem(_app._state, "debug", False)  # a --debug run sets it
        runs.append(in_process(entry, args))
    assert runs[0] == runs[1], args
    return runs[0]


# --- the options read are the commands' own -----------------------------------------------


def _declared(module: Any) -> dict[str, tuple[str, str]]:
    """What the early dispatch would have to read for a command: each option name of
    the Typer command, with its parameter and how its value is read."""
    command = typer.main.get_command(module.app)
    declared = {}
    for param in command.params:
        if param.name == "help" or not param.opts:
            continue
        kind = type(param.type).__name__
        if param.multiple:
            read = "paths" if kind == "TyperPath" else "list"
        elif getattr(param, "is_flag", False):
            read = "flag"
        elif kind == "IntRange":
            read = f"int {param.type.min} {param.type.max}"
        else:
            read = {"IntParamType": "int", "FloatParamType": "float", "TyperPath": "path"}.get(
                kind, "text" if kind == "StringParamType" else kind
            )
        for name in param.opts:
            declared[name] = (param.name, read)
        for name in getattr(param, "secondary_opts", ()):
            declared[name] = (param.name, "off")
    return declared


@pytest.mark.parametrize(
    ("name", "module"),
    [("check", check_module), ("routine", routine_module)],
    ids=["check", "routine"],
)
def test_the_options_read_are_the_ones_the_command_declares(name: str, module: Any) -> None:
    options, required = _fast.COMMAND_OPTIONS[name]
    assert options == _declared(module)
    assert set(required) <= {parameter for parameter, _ in options.values()}


@pytest.mark.parametrize(("name", "body"), [("check", _run.check), ("routine", _run.routine)])
def test_the_bodies_take_every_parameter_with_the_apps_defaults(name: str, body: Any) -> None:
    """The early dispatch passes only the options given: every other one takes the
    body's default, which must be what the app passes when it is not given."""
    command = typer.main.get_command({"check": check_module, "routine": routine_module}[name].app)
    context = command.make_context(name, [])
    defaults = {
        key: value.default
        for key, value in inspect.signature(body).parameters.items()
        if key not in ("ports", "keep_code")
    }
    assert set(defaults) == set(context.params)
    for key, value in context.params.items():
        expected = None if value == () else value
        assert (type(defaults[key]), defaults[key]) == (type(expected), expected), key


# --- a command line taken reaches the body with the app's values ----------------------------


class Reached(Exception):
    """Raised by the recording body: the command line got as far as the command."""


def _recorded(entry: Any, args: list[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The parameters ``entry`` hands the command's body for ``args`` (defaults filled
    in, values made comparable), or None when it never got there."""
    seen: list[dict[str, Any]] = []

    def record(body: Any) -> Any:
        def recording(ports: Any, **given: Any) -> int:
            bound = inspect.signature(body).bind(ports, **given)
            bound.apply_defaults()
            skip = ("ports", "keep_code")
            seen.append({k: _plain(v) for k, v in bound.arguments.items() if k not in skip})
            return 0

        return recording

    with monkeypatch.context() as patch:
        patch.setitem(_app._state, "debug", False)  # a --debug run sets it
        patch.setattr(_run, "check", record(_run.check))
        patch.setattr(_run, "routine", record(_run.routine))
        in_process(entry, args)
    return seen[0] if seen else None


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return None  # not given: None and an empty list mean the same to the body
    if isinstance(value, (list, tuple)):
        return ("list", tuple(value))
    if isinstance(value, Path):
        return ("path", str(value))
    return (type(value).__name__, value)


def _tokens(files_dir: Path) -> st.SearchStrategy[str]:
    names = [*_fast.COMMAND_OPTIONS["routine"][0], *_fast.COMMAND_OPTIONS["check"][0]]
    near = ["--answer-file", "--no-inputs", "-A", "--Json", "--plan=1", "--lying=yes", "-h"]
    near += ["--help", "--pictures", "--debug", "--", "-aINJURY=no", "-a=x", "--area="]
    values = [*AREAS, *REGIONS, *CONDITIONS, "left", "right", "both", "GB30", "gb-30"]
    values += ["0", "5", "10", "10.5", "120", "121", "600", "601", "07", "5.", ".5", "1e3"]
    values += [" 5", "+5", "٣", "-1", "", "x" * 50, "injury=yes", "injury=no", "fever=unsure"]
    paths = [str(files_dir / name) for name in ("no.json", "fever.json", "broken.json")]
    paths += [str(files_dir), str(files_dir / "missing.json"), "no.json"]
    return st.one_of(
        st.sampled_from(names),
        st.sampled_from(near),
        st.sampled_from(values),
        st.sampled_from(paths),
        JUNK,
    )


def _reach_alike(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _recorded(fast_main, args, monkeypatch)
    app = _recorded(_app.main, args, monkeypatch)
    if _fast.takes(args):
        assert fast is not None and fast == app, args
    else:
        assert fast == app, args  # handed to the app: the same run


@pytest.mark.parametrize(
    "tail",
    [
        ["--no-input", "--answers", "no.json"],
        ["--no-input", "--answers", "no.json", "--answers=fever.json", "--answers", "folder"],
        ["--no-input", "--answers", "no.json", "--answers", "fever.json"],
        ["--no-input", "--plan", "--area", "outer", "--side", "left", "--lying", "--foot-reach"],
        ["--no-input", "--plan", "--minutes", "7.5", "--rest-seconds", "120", "--quiet"],
        ["--no-input", "--plan", "--pain-before", "0", "--pain-after", "10", "--speak"],
        ["--no-input", "--plan", "--lying", "--no-lying", "--flare-plan", "--no-flare-plan"],
        ["--no-input", "--plan", "--side", "left", "--side", "right", "--press-seconds", "07"],
        ["--no-input", "--plan", "--skip-area=buttock", "--skip-point", "GB30", "-a", "x=y"],
        ["--no-input", "--plan", "--find-seconds", "0", "--emergency-number", "999"],
        ["--no-input", "--json", "--questions", "--answer", "a=b", "--answer", "c"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("command", ["check", "routine"])
def test_these_command_lines_reach_the_body_as_the_app_reads_them(
    command: str, tail: list[str], files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _reach_alike([command, *_with_files(tail, files)], monkeypatch)


@st.composite
def _option_lines(draw: st.DrawFn, command: str, files_dir: Path) -> list[str]:
    """A command line made of the command's own options with values of the forms the
    early dispatch reads (and now and then one it must leave to the app)."""
    options, _ = _fast.COMMAND_OPTIONS[command]
    texts = st.one_of(
        st.sampled_from([*AREAS, *REGIONS, *CONDITIONS, "left", "both", "GB30", "up", ""]),
        st.sampled_from(["injury=yes", "fever=no", "night_pain=unsure", "x=y", "环跳"]),
        st.text(alphabet=st.characters(exclude_characters="\x00-"), max_size=12),
    )
    paths = st.sampled_from(["no.json", "fever.json", "broken.json", "missing.json"]).map(
        lambda name: str(files_dir / name)
    )
    line = [command, "--no-input", *(["--plan"] if command == "routine" else [])]
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        name = draw(st.sampled_from(sorted(options)))
        kind = options[name][1]
        if kind in ("flag", "off"):
            line.append(name)
            continue
        if kind in ("path", "paths"):
            value = draw(paths)
        elif kind.startswith("int"):
            value = str(draw(st.integers(min_value=0, max_value=700)))
        elif kind == "float":
            value = draw(st.sampled_from(["0", "1", "2.5", "10", "60", "61", "7.25", "600.0"]))
        else:
            value = draw(texts)
        if name.startswith("--") and draw(st.booleans()):
            line.append(f"{name}={value}")
        else:
            line += [name, value]
    if draw(st.integers(min_value=0, max_value=9)) == 0:  # now and then, one for the app
        line.insert(draw(st.integers(min_value=1, max_value=len(line))), draw(JUNK))
    return line


@settings(
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), command=st.sampled_from(["check", "routine"]))
def test_any_command_line_of_the_commands_own_options_reaches_the_body_alike(
    data: Any, command: str, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _reach_alike(data.draw(_option_lines(command, files["folder"])), monkeypatch)


@settings(
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), command=st.sampled_from(["check", "routine"]), asks=st.booleans())
def test_any_fuzzed_command_line_reaches_the_body_as_the_app_reads_it(
    data: Any, command: str, asks: bool, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    tail = data.draw(st.lists(_tokens(files["folder"]), max_size=8))
    if not asks:  # most taken command lines need these
        tail = ["--no-input", *(["--plan"] if command == "routine" else []), *tail]
    _reach_alike([command, *tail], monkeypatch)


# --- the same bytes and exit codes -------------------------------------------------------

#: Check command lines of every outcome: each tier, the errors of an answers file and
#: of --answer, JSON and the question list (each answers file named by its key).
CHECKS = [
    ["--answers", "no.json"],
    ["--answers", "no.yaml"],
    ["--answers=fever.json"],
    ["--answers", "injury.yaml"],
    ["--answers", "cancer.json"],
    ["--answers", "unsure.json"],
    ["--answers", "pregnant.json"],
    ["--answers", "short.json"],
    ["--answers", "broken.json"],
    ["--answers", "list.yaml"],
    ["--answers", "unknown.json"],
    ["--answers", "bad-value.json"],
    ["--answers", "twice.json"],
    ["--answers", "markup.json"],
    ["--answers", "missing"],
    ["--answers", "short.json", "--answer", "fever=yes"],
    ["--answers", "no.json", "-a", "injury=yes"],
    ["--answers", "no.json", "--answer=injury=unsure"],
    ["--answers", "injury.yaml", "--answers", "no.json"],
    ["--answers", "injury.yaml", "--answer", "injury=no"],
    ["--answers", "injury.yaml", "--answer", "injury=unsure"],
    ["--answers", "no.json", "--answers=injury.yaml"],
    ["--answers", "unsure.json", "--answers", "cancer.json", "--answers", "no.yaml"],
    ["--answers", "no.json", "--answers", "broken.json"],
    ["--answer", "injury=no"],
    ["--answer", "flying=yes"],
    ["--answer", "injury"],
    ["--answer", "injury=perhaps"],
    ["--answer", "injury=no", "--answer", "injury=yes"],
    [],
    ["--answers", "no.json", "--json"],
    ["--json", "--answers", "fever.json"],
    ["--answers", "broken.json", "--json"],
    ["--questions"],
    ["--questions", "--json"],
    ["--answers", "injury.yaml", "--emergency-number", "112"],
    ["--answers", "injury.yaml", "--emergency-number", "1\x1b[2J"],
    ["--answers", "injury.yaml", "--emergency-number="],
]
#: Routine plans: areas, sides, conditions, budgets, what is left out, the gate's
#: refusals and the errors the flow finds.
PLANS = [
    ["--area", "outer", "--side", "left", "--lying", "--foot-reach", "--answers", "no.json"],
    ["--area", "buttock", "--side", "both", "--answers", "no.json"],
    ["--area", "front", "--area", "leg", "--side", "right", "--answers", "no.json", "--json"],
    ["--condition", "bursitis", "--side", "left", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--minutes", "3", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--minutes", "2.5", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--minutes", "90", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--press-seconds", "20", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--press-seconds", "900", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--rest-seconds", "0", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--no-lying", "--no-foot-reach", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--skip-area", "buttock", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--skip-point", "GB30", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--skip-point", "XX1", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--answers", "pregnant.json"],
    ["--area", "outer", "--side", "left", "--answers", "cancer.json"],
    ["--area", "outer", "--side", "left", "--answers", "cancer.json", "--accept-risk"],
    ["--area", "outer", "--side", "left", "--answers", "fever.json"],
    ["--area", "outer", "--side", "left", "--answers", "injury.yaml", "--json"],
    ["--area", "outr", "--side", "left", "--answers", "no.json"],
    ["--area", "outer", "--side", "up", "--answers", "no.json"],
    ["--area", "outer", "--side=", "--answers", "no.json"],
    ["--condition", "gout", "--side", "left", "--answers", "no.json"],
    ["--area", "outer", "--answers", "no.json"],
    ["--side", "left", "--answers", "no.json"],
    ["--area", "outer", "--side", "left"],
    ["--area", "outer", "--side", "left", "--pain-before", "7", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--flare-plan", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--no-flare-plan", "--quiet", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--find-seconds", "3", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--speak", "--answers", "no.json"],
    ["--area", "outer", "--side", "left", "--answers", "broken.json"],
    ["--area", "outer", "--side", "left", "--answers", "no.json", "--answers", "fever.json"],
    ["--area", "outer", "--side", "left", "--answers", "injury.yaml", "--answers", "no.json"],
]


def _with_files(args: list[str], files: dict[str, Path]) -> list[str]:
    """``args`` with each answers file's key made its path."""
    named = {str(key): str(path) for key, path in files.items()}
    out = []
    for arg in args:
        name, equals, value = arg.partition("=")
        if equals and name == "--answers":
            out.append(f"--answers={named.get(value, value)}")
        else:
            out.append(named.get(arg, arg))
    return out


@pytest.mark.parametrize(
    ("command", "tail"),
    [*((CHECK, tail) for tail in CHECKS), *((PLAN, tail) for tail in PLANS)],
    ids=lambda part: " ".join(part),
)
def test_every_check_and_plan_gives_the_same_output_on_both_paths(
    command: list[str],
    tail: list[str],
    files: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = [*command, *_with_files(tail, files)]
    assert _fast.takes(args), args
    code, _, _ = same(args, tmp_path, monkeypatch)
    assert code in (0, 2, 3, 4, 5)


ANSWER_VALUES = st.sampled_from(["yes", "no", "unsure", "Yes", " no", "maybe", "", "true"])


@settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    answers=st.dictionaries(st.sampled_from([*QUESTION_IDS, "flying"]), ANSWER_VALUES),
    file=st.sampled_from([None, "no.json", "short.json", "fever.json", "broken.json"]),
    as_json=st.booleans(),
    plan=st.booleans(),
)
def test_any_fuzzed_set_of_answers_gives_the_same_output_on_both_paths(
    answers: dict[str, str],
    file: str | None,
    as_json: bool,
    plan: bool,
    files: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = [*PLAN, "--area", "outer", "--side", "left"] if plan else [*CHECK]
    for key, value in answers.items():
        args += ["--answer", f"{key}={value}"]
    args += ["--answers", str(files[file])] if file else []
    args += ["--json"] if as_json else []
    assert _fast.takes(args), args
    same(args, tmp_path, monkeypatch)


def test_the_outcomes_are_all_met(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cases above reach every tier, a usage error, JSON and a plan."""
    codes = {
        name: same([*CHECK, "--answers", str(files[name])], tmp_path, monkeypatch)[0]
        for name in ("no.json", "cancer.json", "fever.json", "injury.yaml", "broken.json")
    }
    assert codes == {
        "no.json": 0,
        "cancer.json": 3,
        "fever.json": 4,
        "injury.yaml": 5,
        "broken.json": 2,
    }
    _, out, _ = same(
        [*CHECK, "--answers", str(files["fever.json"]), "--json"], tmp_path, monkeypatch
    )
    assert json.loads(out)["tier"] == "urgent"
    args = [*PLAN, "--area", "outer", "--side", "left", "--answers", str(files["no.json"])]
    code, out, _ = same([*args, "--json"], tmp_path, monkeypatch)
    assert code == 0 and json.loads(out)["steps"]


def test_a_routine_reusing_the_days_check_is_the_same(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = tmp_path / "seed"
    monkeypatch.setenv("HIPGUIDE_HOME", str(seed))
    assert in_process(_app.main, [*CHECK, "--answers", str(files["cancer.json"])])[0] == 3
    for tail in ([], ["--accept-risk"], ["--json"]):
        args = [*PLAN, "--area", "outer", "--side", "left", "--lying", "--foot-reach", *tail]
        assert _fast.takes(args)
        same(args, tmp_path, monkeypatch, seed=seed)


#: Check and routine command lines the early dispatch must hand to the app.
HANDED_ON = [
    ["check"],
    ["check", "--answers", "no.json"],
    ["check", "--no-input", "--help"],
    ["check", "--no-input", "-h"],
    ["check", "--no-input", "--answers", "folder"],
    ["check", "--no-input", "--answers"],
    ["check", "--no-input", "--answers", ""],
    ["check", "--no-input", "--answers", "-"],
    ["check", "--no-input", "--json=1", "--answers", "no.json"],
    ["check", "--no-input", "--no-input=yes", "--answers", "no.json"],
    ["check", "--no-input", "-ainjury=no"],
    ["check", "--no-input", "-a=injury=no"],
    ["check", "--no-input", "--answer", "--json"],
    ["check", "--no-input", "--answers", "no.json", "extra"],
    ["check", "--no-input", "--", "--answers", "no.json"],
    ["check", "--no-input", "--answers", "no.json", "--pictures", "ascii"],
    ["check", "--no-input", "--answers", "no.json", "--debug"],
    ["check", "--no-input", "--answer-file", "no.json"],
    ["check", "--no-input", "--Answers", "no.json"],
    ["--pictures", "ascii", "check", "--no-input", "--answers", "no.json"],
    ["chek", "--no-input", "--answers", "no.json"],
    ["routine", "--no-input", "--area", "outer", "--side", "left", "--answers", "no.json"],
    ["routine", "--plan", "--area", "outer", "--side", "left", "--answers", "no.json"],
    [*PLAN, "--minutes", "-5", "--answers", "no.json"],
    [*PLAN, "--minutes", "1e1", "--answers", "no.json"],
    [*PLAN, "--minutes", "nan", "--answers", "no.json"],
    [*PLAN, "--minutes", " 5", "--answers", "no.json"],
    [*PLAN, "--rest-seconds", "121", "--answers", "no.json"],
    [*PLAN, "--pain-before", "11", "--answers", "no.json"],
    [*PLAN, "--pain-before", "+5", "--answers", "no.json"],
    [*PLAN, "--press-seconds", "٣", "--answers", "no.json"],
    [*PLAN, "--press-seconds", "2.5", "--answers", "no.json"],
    [*PLAN, "--lying=no", "--answers", "no.json"],
    [*PLAN, "--area", "outer", "--side", "left", "--answers", "no.json", "--pictures", "none"],
    [*PLAN, "--are", "outer", "--answers", "no.json"],
]


@pytest.mark.parametrize("args", HANDED_ON, ids=lambda args: " ".join(args))
def test_what_the_early_dispatch_hands_on_is_the_apps(
    args: list[str], files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = _with_files(args, files)
    assert not _fast.takes(args), args
    same(args, tmp_path, monkeypatch)


# --- fresh processes: the path taken, the environment, lost output ---------------------------


def both_fresh(
    args: list[str], tmp_path: Path, env: dict[str, str | None] | None = None, **streams: Any
) -> tuple[Any, Any]:
    """Both entries in fresh processes, each with a history of its own."""
    runs = []
    for entry in (FAST, FULL):
        home = {"HIPGUIDE_HOME": str(_home(tmp_path, None))}
        runs.append(run(entry, args, tmp_path, {**(env or {}), **home}, **streams))
    fast, full = runs
    assert fast.seen() == full.seen(), (args, fast, full)
    assert full.path == "full"
    return fast, full


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"NO_COLOR": None},
        {"NO_COLOR": None, "FORCE_COLOR": "1"},
        {"COLUMNS": "40"},
        {"PYTHONIOENCODING": "ascii"},
        {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"},
        {"HIPGUIDE_EMERGENCY_NUMBER": "112"},
        {"HIPGUIDE_PICTURES": "bogus"},
        {"HIPGUIDE_DATA": "/nonexistent/hipguide-data"},
    ],
    ids=repr,
)
@pytest.mark.parametrize("command", ["check", "routine"])
def test_a_fresh_process_takes_the_early_dispatch_alike(
    command: str, env: dict[str, str | None], files: dict[str, Path], tmp_path: Path
) -> None:
    args = [*CHECK] if command == "check" else [*PLAN, "--area", "outer", "--side", "left"]
    args += ["--answers", str(files["injury.yaml" if command == "check" else "no.json"])]
    fast, _ = both_fresh(args, tmp_path, env)
    assert fast.path == "fast"


OUTER = ["--area", "outer", "--side", "left"]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([*CHECK, "--answers", "no.json"], 0),
        ([*CHECK, "--answers", "fever.json", "--json"], 4),
        ([*CHECK, "--answers", "injury.yaml"], 5),
        ([*PLAN, *OUTER, "--answers", "no.json"], 0),
        ([*PLAN, *OUTER, "--answers", "no.json", "--json"], 0),
        ([*PLAN, *OUTER, "--answers", "injury.yaml"], 5),
        ([*PLAN, *OUTER, "--answers", "injury.yaml", "--json"], 5),
        ([*PLAN, *OUTER, "--answers", "fever.json"], 4),
        ([*PLAN, *OUTER, "--answers", "cancer.json"], 3),
        ([*PLAN, *OUTER, "--answers", "cancer.json", "--json"], 3),
        ([*PLAN, *OUTER, "--answers", "cancer.json", "--accept-risk"], 0),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_lost_output_ends_alike_and_keeps_the_verdict(
    args: list[str], code: int, files: dict[str, Path], tmp_path: Path
) -> None:
    args = _with_files(args, files)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader went away before any output
    try:
        gone, _ = both_fresh(args, tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert gone.path == "fast"
    assert gone.code == code
    assert b"Error" not in gone.stderr and b"Traceback" not in gone.stderr


@pytest.mark.pty
@pytest.mark.parametrize(
    "env",
    [
        {"NO_COLOR": None, "COLUMNS": None, "LINES": None},
        {"COLUMNS": None, "LINES": None, "HIPGUIDE_PICTURES": "ascii"},
    ],
    ids=repr,
)
@pytest.mark.parametrize("command", ["check", "routine"])
def test_a_terminal_sees_the_same_bytes(
    command: str, env: dict[str, str | None], files: dict[str, Path], tmp_path: Path
) -> None:
    """Drawn by Rich for a 100 x 40 terminal, in colour where allowed, alike."""
    args = [*CHECK] if command == "check" else [*PLAN, "--area", "outer", "--side", "left"]
    args += ["--answers", str(files["no.json"])]
    seen = []
    for entry in (FAST, FULL):
        home = {"HIPGUIDE_HOME": str(_home(tmp_path, None))}
        seen.append(_in_a_terminal(entry, args, {**env, **home}))
    assert seen[0] == seen[1]
    coloured = "NO_COLOR" in env  # removed: Rich colours the terminal's output
    assert (b"\x1b[" in seen[0]) is coloured


@LINUX_ONLY
def test_a_full_device_keeps_the_verdict(files: dict[str, Path], tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        fast, _ = both_fresh([*CHECK, "--answers", str(files["fever.json"])], tmp_path, stdout=full)
    assert fast.path == "fast" and fast.code == 4
    assert b"Could not write the output" in fast.stderr


@pytest.mark.parametrize(
    "args",
    [
        [*CHECK, "--answers", "ANSWERS"],
        [*PLAN, "--area", "outer", "--side", "left", "--lying", "--answers", "ANSWERS"],
    ],
    ids=lambda args: args[0],
)
def test_a_check_or_plan_imports_neither_typer_nor_click(args: list[str], tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(dict.fromkeys(QUESTION_IDS, "no")), "utf-8")
    modules = loaded([str(answers) if arg == "ANSWERS" else arg for arg in args])
    assert not _packages(modules) & {"typer", "click", "questionary", "prompt_toolkit"}


def test_an_interrupt_in_the_check_ends_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    def load_dataset(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("hipguide.dataset.load_dataset", load_dataset)
    args = [*CHECK, "--answer", "injury=no"]
    assert _fast.takes(args)
    fast = in_process(fast_main, args)
    assert fast == in_process(_app.main, args)
    assert fast[0] == 130


def test_python_m_hipguide_answers_a_check(files: dict[str, Path], tmp_path: Path) -> None:
    """``python -m hipguide`` (what the console script runs) gives the verdict."""
    proc = subprocess.run(
        [sys.executable, "-m", "hipguide", *CHECK, "--answers", str(files["cancer.json"])],
        capture_output=True,
        env={**os.environ, "HIPGUIDE_HOME": str(tmp_path / "entry-home")},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 3 and b"doctor" in proc.stdout.lower()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([*CHECK, "--answer", "injury=no"], "hipguide check --no-input --ans"),
        ([*PLAN, "--area", "outer"], "hipguide routine --plan --no-input --area ou"),
        ([*PLAN, "--side", "left"], "hipguide routine --plan --no-input --side "),
    ],
    ids=lambda value: value if isinstance(value, str) else value[0],
)
def test_completion_goes_to_the_app(args: list[str], words: str, tmp_path: Path) -> None:
    env: dict[str, str | None] = {
        "_HIPGUIDE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    assert _fast.command_options(args) is not None  # taken, but for the variable
    fast, _ = both_fresh(args, tmp_path, env)
    assert fast.path == "full" and fast.stdout
