"""The history use case: reading it, and forgetting it only when confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes import FakeClock, FakePrompter
from hipguide.errors import NoTerminalError, StoreError
from hipguide.flows.history import forget_history, read_history
from hipguide.flows.ports import NoHistory, NoPrompter, open_history
from hipguide.store import Store


def test_an_unusable_history_is_an_error_here(home: Path) -> None:
    problem = StoreError("The history file is damaged.")
    with pytest.raises(StoreError) as raised:
        read_history(NoHistory(problem, home / "history.sqlite3"))
    assert raised.value is problem


def test_reading_gives_sessions_checks_and_progress(home: Path) -> None:
    with Store.open(home) as store:
        store.record_check(FakeClock().now(), {"injury": "no"}, "self-care")
    outcome = read_history(open_history(home))
    assert [c.tier for c in outcome.checks] == ["self-care"]
    assert outcome.sessions == []
    assert outcome.progress.status == "too_few"


@pytest.mark.parametrize(("confirm", "deleted"), [(False, False), (True, True)])
def test_forgetting_asks_first(home: Path, confirm: bool, deleted: bool) -> None:
    Store.open(home).close()
    prompter = FakePrompter(confirm_forget=[confirm])
    outcome = forget_history(open_history(home), prompter, confirmed=False)
    assert outcome.deleted is deleted
    assert (home / "history.sqlite3").exists() is not deleted


def test_forgetting_with_yes_asks_nothing(home: Path) -> None:
    Store.open(home).close()
    outcome = forget_history(open_history(home), FakePrompter(), confirmed=True)
    assert outcome.deleted and not (home / "history.sqlite3").exists()


def test_forgetting_without_a_terminal_names_the_flag(home: Path) -> None:
    Store.open(home).close()
    with pytest.raises(NoTerminalError, match="the confirmation") as raised:
        forget_history(open_history(home), NoPrompter(no_input=False), confirmed=False)
    assert "--yes" in str(raised.value)
    assert (home / "history.sqlite3").exists()
