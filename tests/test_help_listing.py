"""``hipguide --help`` lists every command from its summary, without importing the
commands, and shows exactly what the commands themselves would give."""

from __future__ import annotations

import importlib
import inspect
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
