"""The check-in's prompts, driven through a prompt_toolkit pipe input: the PEG's three
0-10 scores, the PGIC's seven answers, the offers after a routine and in a flare-up.

Every test sends all its keys first and then closes the input, so a key the prompt still
waits for ends it with EOF (Interrupted) instead of hanging."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime, timezone
from typing import Any

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput, Output
from prompt_toolkit.output.vt100 import Vt100_Output
from rich.console import Console

from hipguide.dataset import Dataset
from hipguide.errors import Interrupted
from hipguide.progress import FlareCheck
from hipguide.ui import prompts
from hipguide.ui.prompter import TerminalPrompter

ENTER = "\r"
DOWN = "\x1b[B"
UP = "\x1b[A"
BACKSPACE = "\x7f"
CTRL_C = "\x03"


def feed(prompt: Callable[..., Any], keys: str, *args: Any, **kwargs: Any) -> Any:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        kwargs.setdefault("output", DummyOutput())
        return prompt(*args, input=pipe, **kwargs)


def screen_output() -> tuple[Output, io.StringIO]:
    buffer = io.StringIO()
    return Vt100_Output(buffer, lambda: Size(rows=24, columns=80), term="dumb"), buffer


SCORE = {"low": "no pain", "high": "the worst", "number": 1, "total": 3}


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("0" + ENTER, 0),
        ("10" + ENTER, 10),
        (" 7 " + ENTER, 7),
        ("11" + ENTER + BACKSPACE + BACKSPACE + "9" + ENTER, 9),
        ("x" + ENTER + BACKSPACE + "4" + ENTER, 4),
        (ENTER + "5" + ENTER, 5),  # a scale has no default: Enter alone is not taken
        ("-1" + ENTER + BACKSPACE + BACKSPACE + "1" + ENTER, 1),
    ],
)
def test_a_score_is_a_whole_number_in_range(keys: str, expected: int) -> None:
    assert feed(prompts.ask_score, keys, "Pain?", 0, 10, **SCORE) == expected


def test_a_score_shows_its_position_and_what_its_ends_mean() -> None:
    output, screen = screen_output()
    feed(prompts.ask_score, "3" + ENTER, "How bad?", 0, 10, **SCORE, output=output)
    shown = screen.getvalue()
    assert "(1/3) How bad?" in shown
    assert "0 = no pain, 10 = the worst" in shown


LABELS = ("Very much improved", "Much improved", "A little improved", "No change",
          "A little worse", "Much worse", "Very much worse")  # fmt: skip
CHOICES = list(enumerate(LABELS, 1))


@pytest.mark.parametrize(
    ("keys", "default", "expected"),
    [
        (ENTER, 4, 4),
        ("1" + ENTER, 4, 1),
        ("7" + ENTER, 4, 7),
        (DOWN + ENTER, 4, 5),
        (UP + UP + ENTER, 4, 2),
        (ENTER, None, 1),
    ],
)
def test_a_numbered_answer(keys: str, default: int | None, expected: int) -> None:
    assert feed(prompts.ask_numbered, keys, "Since you started?", CHOICES, default) == expected


@pytest.mark.parametrize(
    "prompt",
    [
        lambda **io: prompts.ask_score("Pain?", 0, 10, **SCORE, **io),
        lambda **io: prompts.ask_numbered("Change?", CHOICES, 4, **io),
    ],
    ids=["score", "numbered"],
)
@pytest.mark.parametrize("keys", [CTRL_C, "", "\x04"], ids=["ctrl-c", "eof", "ctrl-d"])
def test_ctrl_c_and_eof_stop(prompt: Callable[..., Any], keys: str) -> None:
    with pytest.raises(Interrupted):
        feed(prompt, keys)


@pytest.fixture
def terminal() -> Iterator[Callable[[str], TerminalPrompter]]:
    """A terminal prompter whose keys are typed ahead on one pipe."""
    with ExitStack() as stack:

        def make(keys: str) -> TerminalPrompter:
            pipe = stack.enter_context(create_pipe_input())
            pipe.send_text(keys)
            pipe.close()
            console = Console(file=io.StringIO(), width=80, color_system=None)
            return TerminalPrompter(console, input=pipe, output=DummyOutput())

        yield make


def test_the_peg_is_three_scores_then_the_pgic(
    dataset: Dataset, terminal: Callable[[str], TerminalPrompter]
) -> None:
    prompter = terminal("6" + ENTER + "5" + ENTER + "7" + ENTER + "2" + ENTER)
    measures = dataset.rules.checkin

    assert prompter.checkin_peg(measures.peg) == (6, 5, 7)
    assert prompter.checkin_pgic(measures.pgic) == 2
    assert "past week" in prompter.console.file.getvalue()  # type: ignore[attr-defined]


def test_the_pgic_starts_on_no_change(
    dataset: Dataset, terminal: Callable[[str], TerminalPrompter]
) -> None:
    assert terminal(ENTER).checkin_pgic(dataset.rules.checkin.pgic) == 4


def test_a_missing_score_stops_the_checkin(
    dataset: Dataset, terminal: Callable[[str], TerminalPrompter]
) -> None:
    with pytest.raises(Interrupted):
        terminal("6" + ENTER + "5" + ENTER).checkin_peg(dataset.rules.checkin.peg)


@pytest.mark.parametrize(
    ("keys", "expected"), [(ENTER, True), ("n" + ENTER, False), ("y" + ENTER, True)]
)
def test_the_offers_default_to_yes(
    terminal: Callable[[str], TerminalPrompter], keys: str, expected: bool
) -> None:
    last = datetime(2024, 3, 4, 18, 0, tzinfo=timezone.utc)
    assert terminal(keys).offer_checkin(last) is expected
    assert terminal(keys).take_lighter(FlareCheck(7, 4.0, 5, True)) is expected
