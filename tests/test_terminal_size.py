"""A terminal size in the environment that no terminal has is tidied before use.

Rich lays its output out for ``COLUMNS`` as told: at 0 columns it printed nothing at
all, the emergency verdict included, and at a million columns one box line held a
million characters.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hipguide import config


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("80", "80"),
        ("132", "132"),
        ("20", "20"),
        ("19", "20"),
        ("1", "20"),
        ("500", "500"),
        ("501", "500"),
        ("100000", "500"),
        ("9" * 5000, "500"),  # longer than int() reads by default
        (" 90 ", "90"),
        ("0", None),
        ("000", None),
        ("-5", None),
        ("wide", None),
        ("", None),
        ("8 0", None),
        ("٣٠", None),  # digits, but not ASCII ones
    ],
)
def test_columns_are_kept_inside_what_a_terminal_can_be(
    monkeypatch: pytest.MonkeyPatch, given: str, kept: str | None
) -> None:
    monkeypatch.setenv("COLUMNS", given)
    monkeypatch.setenv("LINES", given)
    monkeypatch.setenv("_TYPER_FORCE_DISABLE_TERMINAL", "")  # put back after the test
    config.tidy_environment()
    assert os.environ.get("COLUMNS") == kept
    low = {"19": "19", "1": "5"}.get(given, kept)  # LINES may be as few as 5
    assert os.environ.get("LINES") == low


def test_unset_sizes_stay_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    monkeypatch.setenv("_TYPER_FORCE_DISABLE_TERMINAL", "")
    config.tidy_environment()
    assert "COLUMNS" not in os.environ and "LINES" not in os.environ


def _hipguide(
    args: list[str], tmp_path: Path, **variables: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HIPGUIDE_HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        **variables,
    }
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "hipguide", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _check(columns: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return _hipguide(["check", "--no-input", "--answer", "injury=yes"], tmp_path, COLUMNS=columns)


@pytest.mark.parametrize("columns", ["0", "-1", "x"])
def test_a_width_of_nothing_still_shows_the_verdict(columns: str, tmp_path: Path) -> None:
    done = _check(columns, tmp_path)
    assert done.returncode == 5
    assert "EMERGENCY" in done.stdout
    assert max(map(len, done.stdout.splitlines())) == 80  # off a terminal: 80 columns


def test_a_huge_width_is_held_to_the_limit(tmp_path: Path) -> None:
    done = _check("1000000", tmp_path)
    assert done.returncode == 5
    assert max(map(len, done.stdout.splitlines())) == config.TERMINAL_SIZES["COLUMNS"][1]


def test_a_terminal_width_typer_cannot_read_is_dropped(tmp_path: Path) -> None:
    done = _hipguide(["check", "--help"], tmp_path, TERMINAL_WIDTH="wide")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "--answer" in done.stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [(["--help"], 0), (["routine", "--help"], 0), (["check", "--bogus"], 2)],
)
def test_no_color_on_a_terminal_leaves_help_and_errors_without_escape_codes(
    args: list[str], code: int, tmp_path: Path
) -> None:
    import pexpect

    import terminal

    for no_color, escapes in (("1", False), (None, True)):
        env = {"NO_COLOR": no_color, "HIPGUIDE_HOME": str(tmp_path)}
        child = terminal.spawn(args, 80, {**env, "_TYPER_FORCE_DISABLE_TERMINAL": None})
        text = child.read()
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == code
        assert ("\x1b[" in text) is escapes, (no_color, text[:200])
