"""Shared fixtures: every test gets its own history folder and a pinned terminal."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import settings
from typer.testing import CliRunner

from hipguide.config import shipped_data_dir
from hipguide.dataset import Dataset, load_dataset

# Under CI the generated cases are the same on every run (a red run is then a real
# regression, never a new random find); locally each run explores new ones.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO_DATA = shipped_data_dir()


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """History in tmp_path, shipped data, fixed 80-column colourless terminal."""
    monkeypatch.setenv("HIPGUIDE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HIPGUIDE_DATA", raising=False)
    monkeypatch.delenv("HIPGUIDE_DEBUG", raising=False)
    monkeypatch.delenv("HIPGUIDE_EMERGENCY_NUMBER", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "40")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    collecting = gc.isenabled()
    yield
    if collecting:  # hipguide.cli.main leaves it off when it answered early
        gc.enable()


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The shipped dataset, loaded once."""
    return load_dataset(REPO_DATA)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped dataset, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(REPO_DATA, target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    """Typer's test runner (stderr kept apart from stdout)."""
    return CliRunner()


@pytest.fixture
def home() -> Path:
    """The history folder the autouse fixture set (not created yet)."""
    return Path(os.environ["HIPGUIDE_HOME"])


@pytest.fixture
def all_no(dataset: Dataset) -> dict[str, str]:
    """Every question of the check answered no."""
    return {question.id: "no" for question in dataset.triage.questions}


MakeAnswers = Callable[..., Path]


@pytest.fixture
def answers_file(all_no: dict[str, str], tmp_path: Path) -> MakeAnswers:
    """A factory: an answers file answering no to every question except those given
    (``answers_file(fever="yes")``); each call writes a new file."""
    made: list[Path] = []

    def make(**changes: str) -> Path:
        path = tmp_path / f"answers-{len(made)}.yaml"
        path.write_text(yaml.safe_dump({**all_no, **changes}), encoding="utf-8")
        made.append(path)
        return path

    return make


def answer_items(answers: dict[str, str]) -> list[str]:
    """``--answer ID=VALUE`` items for every answer."""
    return [item for key, value in answers.items() for item in ("--answer", f"{key}={value}")]
