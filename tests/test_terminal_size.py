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
    config.tidy_terminal_size()
    assert os.environ.get("COLUMNS") == kept
    low = {"19": "19", "1": "5"}.get(given, kept)  # LINES may be as few as 5
    assert os.environ.get("LINES") == low


def test_unset_sizes_stay_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    config.tidy_terminal_size()
    assert "COLUMNS" not in os.environ and "LINES" not in os.environ


def _check(columns: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "COLUMNS": columns,
        "HIPGUIDE_HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "hipguide", "check", "--no-input", "--answer", "injury=yes"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


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
