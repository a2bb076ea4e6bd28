"""``hipguide --help`` lists every command from its summary, without importing the
commands, and shows exactly what the commands themselves would give."""

from __future__ import annotations

import importlib
import inspect
import itertools
import subprocess
import sys

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from hipguide.cli import app
from hipguide.cli._app import COMMANDS, SUMMARIES, HipguideGroup


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_summary_is_the_first_paragraph_of_the_commands_help(name: str) -> None:
    command = typer.main.get_command(importlib.import_module(COMMANDS[name]).app)
    assert command.name == name
    assert inspect.cleandoc(command.help or "").split("\n\n")[0] == SUMMARIES[name]
    assert "\n" not in SUMMARIES[name]  # one line in the list, however wide the screen
    assert not command.hidden and not command.deprecated and not command.short_help


def test_the_summaries_name_every_command_and_no_other() -> None:
    assert list(SUMMARIES) == list(COMMANDS)


@pytest.mark.parametrize("args", [["--help"], []])
def test_the_list_is_the_one_the_commands_themselves_give(
    monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    env = {"COLUMNS": "100", "NO_COLOR": "1"}
    listed = CliRunner().invoke(app, args, env=env)
    monkeypatch.setattr(HipguideGroup, "format_help", TyperGroup.format_help)
    built = CliRunner().invoke(app, args, env=env)
    assert listed.output == built.output
    assert listed.exit_code == built.exit_code
    assert "Red-flag check" in listed.output and "remind" in listed.output


def test_help_imports_no_command() -> None:
    code = (
        "import sys; sys.argv = ['hipguide', '--help']\n"
        "from hipguide.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print([m for m in sys.modules if m.startswith('hipguide.cli.') and "
        "not m.startswith('hipguide.cli._')], file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert "routine" in done.stdout


def _description(output: str) -> list[list[str]]:
    """The paragraphs of a help screen's description (after the usage line, before the
    first panel), each a list of its lines without the margin."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("Usage:")) + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    paragraphs: list[list[str]] = [[]]
    for line in lines[start:end]:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [paragraph for paragraph in paragraphs if paragraph]


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_commands_help_flows_to_the_screens_width(name: str, columns: int) -> None:
    """Each paragraph fills its lines: a line ends only where the next word would not
    fit (the docstring's own line breaks, made for the source, are not kept), and no
    word is lost."""
    done = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    assert done.exit_code == 0, done.output
    paragraphs = _description(done.output)
    command = typer.main.get_command(importlib.import_module(COMMANDS[name]).app)
    source = [" ".join(part.split()) for part in inspect.cleandoc(command.help or "").split("\n\n")]
    assert [" ".join(paragraph) for paragraph in paragraphs] == source
    room = columns - 2  # Typer's margin of one column either side
    for paragraph in paragraphs:
        for line, following in itertools.pairwise(paragraph):
            assert len(line) + 1 + len(following.split()[0]) > room, (line, following)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_option_name_is_shown_whole_at_80_columns(name: str) -> None:
    """A flag's "off" name (--no-lying) sits under its "on" name, not in a column of its
    own, so that no name is cut short and the help keeps room to be read."""
    done = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert done.exit_code == 0, done.output
    assert "…" not in done.output
    words = set(done.output.replace("│", " ").split())
    command = typer.main.get_command(importlib.import_module(COMMANDS[name]).app)
    for param in command.params:
        for opt in (*param.opts, *getattr(param, "secondary_opts", ())):
            if opt.startswith("-"):
                assert opt in words, opt
    help_column = [line for line in done.output.splitlines() if "Show this message" in line]
    assert help_column and help_column[0].index("Show this message") < 50


def test_showing_help_leaves_the_options_as_they_were(capsys: pytest.CaptureFixture[str]) -> None:
    command = typer.main.get_command(importlib.import_module(COMMANDS["routine"]).app)
    before = [(param.opts, getattr(param, "secondary_opts", None)) for param in command.params]
    with command.make_context("routine", ["--help"], resilient_parsing=True) as ctx:
        command.get_help(ctx)  # Typer's rich help prints as it goes
    assert "--no-lying" in capsys.readouterr().out
    after = [(param.opts, getattr(param, "secondary_opts", None)) for param in command.params]
    assert after == before
    assert ["--lying"] in [opts for opts, _ in after]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_shows_examples_one_to_a_line(name: str) -> None:
    # at 80 columns, so that an example too long for one line fails too
    shown = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert shown.exit_code == 0
    lines = [line.strip() for line in shown.output.splitlines()]
    start = lines.index("Examples:") + 1
    listed = [line for line in lines[start:] if line]
    assert listed, name
    assert all(line.startswith(f"hipguide {name}") for line in listed), listed
    assert not any(" | hipguide" in line for line in listed)  # not a pipe between them
